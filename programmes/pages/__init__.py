"""Programme pages other than the referral page (programmes.views): lists, sessions, imports.

Each module is a door: thin views that parse, call a selector or a service, and render.
"""

from programmes.pages.caseload import caseload
from programmes.pages.imports import referral_import, referral_import_job
from programmes.pages.programmes import programme_detail, programme_list
from programmes.pages.sessions import (
    session_attendees,
    session_create,
    session_detached_contact,
    session_detail,
    session_list,
)

__all__ = [
    "caseload",
    "programme_detail",
    "programme_list",
    "referral_import",
    "referral_import_job",
    "session_attendees",
    "session_create",
    "session_detached_contact",
    "session_detail",
    "session_list",
]
