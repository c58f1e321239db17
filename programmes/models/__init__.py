"""Programmes, young people, referrals, contacts, sessions and outcomes.

Personal data: a young person's identity (name, date of birth, address, contact details) lives
in YoungPersonIdentity, apart from the pseudonymous YoungPerson everyone works with. Every
record belongs to exactly one partnership (directly or through its programme).
"""

from programmes.models.notices import NewReferralNotice, NoticeDigest
from programmes.models.programmes import DEFAULT_RETENTION_MONTHS, Programme, ProgrammeStaff
from programmes.models.recent import RecentView
from programmes.models.referrals import (
    ALLOWED_TRANSITIONS,
    BreachNotification,
    Contact,
    Outcome,
    Referral,
    StatusChange,
    consent_tag,
)
from programmes.models.retention import RetentionRun
from programmes.models.sessions import DetachedContact, Session, SessionCount
from programmes.models.street import StreetDevice, StreetRecord
from programmes.models.versions import RecordVersion
from programmes.models.young_people import (
    EducationStatus,
    Ethnicity,
    Gender,
    SearchToken,
    YoungPerson,
    YoungPersonIdentity,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "DEFAULT_RETENTION_MONTHS",
    "BreachNotification",
    "Contact",
    "DetachedContact",
    "EducationStatus",
    "Ethnicity",
    "Gender",
    "NewReferralNotice",
    "NoticeDigest",
    "Outcome",
    "Programme",
    "ProgrammeStaff",
    "RecentView",
    "RecordVersion",
    "Referral",
    "RetentionRun",
    "SearchToken",
    "Session",
    "SessionCount",
    "StatusChange",
    "StreetDevice",
    "StreetRecord",
    "YoungPerson",
    "YoungPersonIdentity",
    "consent_tag",
]
