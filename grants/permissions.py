"""Who may do what with grants. One predicate per rule; services, views, API and templates
call these.

- Grants officers and administrators run rounds, check eligibility, moderate and decide:
  everything of their partnership's rounds.
- A youth reviewer sees only the applications assigned to them (no contact details), and
  scores only when trained and, under 18, with a parent or guardian's consent.
- An applicant sees only its own organisation's applications and awards.
- Other roles (analyst, programme manager, practitioner, commissioner) have no grants pages.
"""

import datetime

from django.utils import timezone

from grants.models import Application, Assignment, Award, MonitoringReturn
from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role

GRANT_STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.GRANTS_OFFICER})


def is_grants_staff(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *GRANT_STAFF_ROLES)


def is_youth_reviewer(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.YOUTH_REVIEWER)


def is_applicant(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.APPLICANT)


def can_use_grants(user: User) -> bool:
    return is_grants_staff(user) or is_youth_reviewer(user) or is_applicant(user)


def can_manage_rounds(user: User) -> bool:
    return is_grants_staff(user)


def can_edit_application(user: User, application: Application) -> bool:
    membership = getattr(user, "grant_membership", None) if is_applicant(user) else None
    return (
        membership is not None
        and membership.organisation_id == application.organisation_id
        and application.status == Application.Status.DRAFT
    )


def can_manage_application(user: User, application: Application) -> bool:
    """Grants staff of the round's partnership, whatever the application's state (services
    check the state separately, so a wrong state is a ValidationError, not a 403)."""
    return is_grants_staff(user) and application.grant_round.partnership_id == user.partnership_id


def can_check_eligibility(user: User, application: Application) -> bool:
    return (
        can_manage_application(user, application)
        and application.status == Application.Status.SUBMITTED
    )


def can_review(user: User, assignment: Assignment, *, today: datetime.date | None = None) -> bool:
    """The assigned reviewer, allowed to score, on an application that passed eligibility."""
    member = assignment.reviewer
    return (
        is_youth_reviewer(user)
        and member.user_id == user.pk
        and member.may_score_on(today or timezone.localdate())
        and assignment.application.status == Application.Status.ELIGIBLE
    )


def can_decide(user: User, application: Application) -> bool:
    return (
        can_manage_application(user, application)
        and application.status == Application.Status.ELIGIBLE
    )


def can_manage_award(user: User, award: Award) -> bool:
    return (
        is_grants_staff(user)
        and award.decision.application.grant_round.partnership_id == user.partnership_id
    )


def can_submit_return(user: User, monitoring_return: MonitoringReturn) -> bool:
    membership = getattr(user, "grant_membership", None) if is_applicant(user) else None
    return (
        membership is not None
        and membership.organisation_id
        == monitoring_return.award.decision.application.organisation_id
        and monitoring_return.status == MonitoringReturn.Status.DUE
    )


def can_export_360giving(user: User) -> bool:
    return is_grants_staff(user)
