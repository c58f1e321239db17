"""What a referral, a contact, an outcome and a session are when they come in: their fields
and their rules, written once for every door (common.py says how the doors use them)."""

from programmes.inputs.casework import (
    CONTACT_FIELDS,
    CONTACT_REQUIRED,
    CONTACT_UNKNOWN,
    OUTCOME_ALREADY,
    OUTCOME_FIELDS,
    OUTCOME_REQUIRED,
    OUTCOME_UNKNOWN,
    SESSION_FIELDS,
    SESSION_REQUIRED,
    SESSION_UNKNOWN,
    check_contact,
    check_outcome,
    check_session,
)
from programmes.inputs.common import (
    MAX_CONTACT_MINUTES,
    NOT_STAFF,
    Errors,
    Judged,
    raise_if,
    unknown_choice,
)
from programmes.inputs.referrals import (
    REFERRAL_FIELDS,
    REFERRAL_REQUIRED,
    REFERRAL_UNKNOWN,
    ReferralInput,
    age_on,
)
from programmes.models.programmes import NOT_YOUR_AREA, NOT_YOUR_PROGRAMME

__all__ = [
    "CONTACT_FIELDS",
    "CONTACT_REQUIRED",
    "CONTACT_UNKNOWN",
    "MAX_CONTACT_MINUTES",
    "NOT_STAFF",
    "NOT_YOUR_AREA",
    "NOT_YOUR_PROGRAMME",
    "OUTCOME_ALREADY",
    "OUTCOME_FIELDS",
    "OUTCOME_REQUIRED",
    "OUTCOME_UNKNOWN",
    "REFERRAL_FIELDS",
    "REFERRAL_REQUIRED",
    "REFERRAL_UNKNOWN",
    "SESSION_FIELDS",
    "SESSION_REQUIRED",
    "SESSION_UNKNOWN",
    "Errors",
    "Judged",
    "ReferralInput",
    "age_on",
    "check_contact",
    "check_outcome",
    "check_session",
    "raise_if",
    "unknown_choice",
]
