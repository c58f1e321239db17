"""Every write to the core. Keyword-only, one transaction each, audited.

Callers import the package (`from vru import services`) and call `services.<name>`.
"""

from vru.services import (
    encryption,
    outbox,  # the transactional outbox: outbox.enqueue(kind=..., ...)
)
from vru.services.accounts import user_anonymise, user_create, user_roles_set
from vru.services.areas import (
    area_maps_draw,
    area_profiles_generate,
    area_profiles_generate_latest,
    crime_file_import,
    crime_file_plan,
    factor_set_install,
    factor_values,
    harm_weights_load,
    hotspots_compute,
    hotspots_compute_all,
    import_checks_expire,
    import_job_cancel,
    import_job_confirm,
    import_job_replaced,
    import_job_restore,
    import_job_restore_problem,
    indicator_file_plan,
    indicators_import,
    lsoa_boundaries_set,
    lsoas_delete,
    reviewed_import_job_run,
    risk_run_compute,
    risk_run_create,
    risk_run_make_current,
    risk_run_reproduce,
)
from vru.services.areas.command_jobs import reviewed_import_by_command
from vru.services.audit import audit_record, record_delete, record_save
from vru.services.encryption import field_keys_rotate
from vru.services.imports import (
    ImportOutcome,
    RowError,
    import_details_expire,
    import_job_create,
    import_job_run,
    import_rows,
    read_table,
)
from vru.services.mfa import mfa_totp_enrol
from vru.services.sessions import user_deactivate, user_sessions_end
from vru.services.sign_ins import sign_in_records_expire
from vru.services.strategy import (
    needs_assessment_create,
    needs_assessment_publish,
    success_measure_create,
)
from vru.services.tokens import (
    api_token_create,
    api_token_revoke,
    api_token_used,
    api_tokens_revoke_all,
)

__all__ = [
    "ImportOutcome",
    "RowError",
    "api_token_create",
    "api_token_revoke",
    "api_token_used",
    "api_tokens_revoke_all",
    "area_maps_draw",
    "area_profiles_generate",
    "area_profiles_generate_latest",
    "audit_record",
    "crime_file_import",
    "crime_file_plan",
    "encryption",
    "factor_set_install",
    "factor_values",
    "field_keys_rotate",
    "harm_weights_load",
    "hotspots_compute",
    "hotspots_compute_all",
    "import_checks_expire",
    "import_details_expire",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
    "import_job_replaced",
    "import_job_restore",
    "import_job_restore_problem",
    "import_job_run",
    "import_rows",
    "indicator_file_plan",
    "indicators_import",
    "lsoa_boundaries_set",
    "lsoas_delete",
    "mfa_totp_enrol",
    "needs_assessment_create",
    "needs_assessment_publish",
    "outbox",
    "read_table",
    "record_delete",
    "record_save",
    "reviewed_import_by_command",
    "reviewed_import_job_run",
    "risk_run_compute",
    "risk_run_create",
    "risk_run_make_current",
    "risk_run_reproduce",
    "sign_in_records_expire",
    "success_measure_create",
    "user_anonymise",
    "user_create",
    "user_deactivate",
    "user_roles_set",
    "user_sessions_end",
]
