"""Every write to programmes and referrals. Keyword-only, one transaction each, audited.

Callers import the package (`from programmes import services`) and call `services.<name>`.
"""

from programmes.services.break_glass import break_glass_notify, identity_break_glass
from programmes.services.casework import contact_record, outcome_record
from programmes.services.corrections import (
    REAUTH_NEEDED,
    STALE,
    contact_correct,
    outcome_correct,
    referral_correct,
    session_correct,
)
from programmes.services.imports import (
    ReferralImportOutcome,
    read_rows,
    referral_import_job_create,
    referral_import_job_run,
    referrals_import,
)
from programmes.services.notices import notice_digest_send, notices_sweep
from programmes.services.programmes import (
    programme_create,
    programme_staff_remove,
    programme_staff_set,
)
from programmes.services.recent import referral_viewed
from programmes.services.referrals import (
    ASSIGNED_WHY,
    identity_search_record,
    identity_view,
    possible_duplicates,
    referral_assign,
    referral_consent_withdraw,
    referral_create,
    referral_status_change,
)
from programmes.services.retention import (
    case_notes_expire,
    cases_past_retention,
    identity_expire,
    referral_details_expire,
)
from programmes.services.sessions import (
    detached_contact_record,
    session_attendee_add,
    session_attendee_remove,
    session_record,
)
from programmes.services.sla import (
    retention_anonymise,
    retention_schedule,
    session_attendance_expire,
    young_person_erase,
)
from programmes.services.street import (
    DeviceGoneError,
    NotTheirsError,
    street_device_gone,
    street_device_revoke,
    street_device_signed_out,
    street_devices_restamp,
    street_key,
    street_password_changed,
    street_records_store,
)
from programmes.services.versions import current_version

__all__ = [
    "ASSIGNED_WHY",
    "REAUTH_NEEDED",
    "STALE",
    "DeviceGoneError",
    "NotTheirsError",
    "ReferralImportOutcome",
    "break_glass_notify",
    "case_notes_expire",
    "cases_past_retention",
    "contact_correct",
    "contact_record",
    "current_version",
    "detached_contact_record",
    "identity_break_glass",
    "identity_expire",
    "identity_search_record",
    "identity_view",
    "notice_digest_send",
    "notices_sweep",
    "outcome_correct",
    "outcome_record",
    "possible_duplicates",
    "programme_create",
    "programme_staff_remove",
    "programme_staff_set",
    "read_rows",
    "referral_assign",
    "referral_consent_withdraw",
    "referral_correct",
    "referral_create",
    "referral_details_expire",
    "referral_import_job_create",
    "referral_import_job_run",
    "referral_status_change",
    "referral_viewed",
    "referrals_import",
    "retention_anonymise",
    "retention_schedule",
    "session_attendance_expire",
    "session_attendee_add",
    "session_attendee_remove",
    "session_correct",
    "session_record",
    "street_device_gone",
    "street_device_revoke",
    "street_device_signed_out",
    "street_devices_restamp",
    "street_key",
    "street_password_changed",
    "street_records_store",
    "young_person_erase",
]
