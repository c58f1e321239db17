"""Who may do what with listening projects. One predicate per rule.

Young people's words are anonymous but can still identify someone, so only partnership staff
who work with them read them; commissioners see counts (small numbers suppressed); youth
reviewers and applicants see only the public "you said, we did" page.
"""

from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role

FEEDBACK_READERS = frozenset(
    {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.GRANTS_OFFICER}
)
LISTENING_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


def can_read_feedback(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *FEEDBACK_READERS)


def can_view_listening_summary(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *FEEDBACK_READERS, Role.COMMISSIONER)


def can_manage_listening(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *LISTENING_MANAGERS)


def can_record_feedback(user: User) -> bool:
    return can_manage_listening(user)


def can_handle_safeguarding_alerts(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.ADMINISTRATOR)


def sees_suppressed_counts(user: User) -> bool:
    return not can_read_feedback(user)


# --- Impact reports ------------------------------------------------------------------------
# DESIGN.md: commissioners read impact reports; administrators see everything in their
# partnership; analysts see aggregates; programme managers answer for their programmes'
# results. Reports hold suppressed aggregates only, so these four may request and read them.
# Practitioners (their own caseload), grants officers (their rounds), youth reviewers and
# applicants may not.
REPORT_READERS = frozenset(
    {Role.COMMISSIONER, Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER}
)


def can_view_impact_reports(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *REPORT_READERS)


def can_request_impact_report(user: User) -> bool:
    return can_view_impact_reports(user)
