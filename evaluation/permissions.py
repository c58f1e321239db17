"""Who may do what with listening projects and evaluations. One predicate per rule.

Young people's words are anonymous but can still identify someone, so only partnership staff
who work with them read them; commissioners see counts (small numbers suppressed); youth
reviewers and applicants see only the public "you said, we did" page.
"""

from grants import permissions as grants_permissions
from programmes import permissions as programmes_permissions
from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role, sees_suppressed_figures

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


# --- Evaluations, outcome measures, cost and benefit ---------------------------------------
# Evaluations hold no personal data: staff who plan or commission work read them, and
# commissioners read them with counts of people suppressed. Outcome scores are per young
# person: only caseload staff (programmes' rule: administrators, managers for their
# programmes, practitioners for their own caseload) see or record them.

EVALUATION_READERS = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.ANALYST,
        Role.PROGRAMME_MANAGER,
        Role.PRACTITIONER,
        Role.GRANTS_OFFICER,
        Role.COMMISSIONER,
    }
)
EVALUATION_EDITORS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
OUTCOME_AGGREGATE_READERS = frozenset(
    {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}
)


def can_view_evaluations(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *EVALUATION_READERS)


def can_create_evaluations(user: User) -> bool:
    """Administrators and analysts for anything; managers for their programmes; grants
    officers for their awards (the form offers only what each may choose)."""
    return belongs_to_a_partnership(user) and has_role(
        user, *EVALUATION_EDITORS, Role.PROGRAMME_MANAGER, Role.GRANTS_OFFICER
    )


def can_edit_evaluation(user: User, evaluation) -> bool:
    if not belongs_to_a_partnership(user) or evaluation.partnership_id != user.partnership_id:
        return False
    if has_role(user, *EVALUATION_EDITORS):
        return True
    if evaluation.programme_id is not None:
        return programmes_permissions.can_manage_programme(user, evaluation.programme)
    return evaluation.award_id is not None and grants_permissions.can_manage_award(
        user, evaluation.award
    )


def can_view_outcome_summaries(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *OUTCOME_AGGREGATE_READERS)


def can_use_outcome_scores(user: User) -> bool:
    """May open the per-young-person score pages (each shows only their visible referrals)."""
    return programmes_permissions.can_use_caseload(user)


def can_record_outcome_score(user: User, referral) -> bool:
    return programmes_permissions.can_work_on_referral(user, referral)


def sees_suppressed_outcomes(user: User) -> bool:
    return sees_suppressed_figures(user)


# --- Impact reports ------------------------------------------------------------------------
# docs/roles.md: commissioners read impact reports; administrators see everything in their
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


def can_use_custom_report_periods(user: User) -> bool:
    """Staff who see casework may choose any dates for a report, for their own use. Anyone
    who sees suppressed figures (commissioners) chooses whole months, quarters or financial
    years only, and never sees a report of other dates (two overlapping periods could be
    subtracted to reveal a small number)."""
    return can_view_impact_reports(user) and not sees_suppressed_figures(user)
