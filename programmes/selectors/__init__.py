"""Every read of programmes and referrals that depends on who is asking.

A viewer who may not see a kind of record gets an empty queryset, so the doors answer 404.
Aggregates are computed in the database; commissioners get counts of 1 to 4 as "<5".
"""

from programmes.selectors.caseload import (  # noqa: F401
    CASELOAD_ROW_FIELDS,
    DEFAULT_REFERRAL_ORDERING,
    REFERRAL_ROW_FIELDS,
    REFERRAL_SORTS,
    recently_viewed,
    referral_ordering,
    referral_page,
    referral_rows,
)
from programmes.selectors.casework import contact_get, outcome_get  # noqa: F401
from programmes.selectors.dashboard import (  # noqa: F401
    Dashboard,
    compliance_by_month,
    programme_dashboard,
)
from programmes.selectors.programmes import (  # noqa: F401
    MyProgramme,
    assignable_staff,
    caseload_programmes,
    managed_programmes,
    notice_recipients,
    programme_list,
    programmes_for_referrals,
    staff_of,
)
from programmes.selectors.referrals import (  # noqa: F401
    open_only,
    programme_case_rows,
    referral_for_break_glass,
    referral_get,
    referral_import_jobs,
    referral_list,
    referrals_filtered,
)
from programmes.selectors.sessions import (  # noqa: F401
    attendee_candidate,
    detached_contact_get,
    session_attendees,
    session_get,
    session_list,
    street_colleagues,
    usual_places,
)
from programmes.selectors.timeline import (  # noqa: F401
    TimelineEntry,
    referral_timeline,
)
from programmes.selectors.versions import (  # noqa: F401
    Version,
    case_history,
    record_history,
)
