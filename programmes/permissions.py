"""Who may do what with programmes and referrals. One predicate per rule.

docs/roles.md: administrators see everything in their partnership; programme managers all cases of
their programmes; practitioners only their own caseload and their programme's sessions;
analysts and commissioners aggregates only (commissioners with small numbers suppressed);
youth reviewers and applicants nothing here.
"""

from programmes.models import Programme, ProgrammeStaff, Referral
from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role

CASE_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER, Role.PRACTITIONER})
PROGRAMME_READERS = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.ANALYST,
        Role.PROGRAMME_MANAGER,
        Role.PRACTITIONER,
        Role.GRANTS_OFFICER,
        Role.COMMISSIONER,
    }
)
AGGREGATE_READERS = frozenset(
    {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}
)


def _staff_role(user: User, programme: Programme) -> str | None:
    cache = user.__dict__.setdefault("_programme_roles", {})
    if programme.pk not in cache:
        cache[programme.pk] = (
            ProgrammeStaff.objects.filter(programme=programme, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[programme.pk]


def _in_partnership(user: User, programme: Programme) -> bool:
    return belongs_to_a_partnership(user) and programme.partnership_id == user.partnership_id


def can_view_programmes(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *PROGRAMME_READERS)


def can_manage_programme(user: User, programme: Programme) -> bool:
    if not _in_partnership(user, programme):
        return False
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.PROGRAMME_MANAGER) and (
        _staff_role(user, programme) == ProgrammeStaff.StaffRole.MANAGER
    )


def can_view_programme_dashboard(user: User, programme: Programme) -> bool:
    if not _in_partnership(user, programme):
        return False
    if has_role(user, Role.ADMINISTRATOR, Role.ANALYST, Role.COMMISSIONER):
        return True
    return can_manage_programme(user, programme)


def can_use_caseload(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *CASE_ROLES)


def can_create_referral(user: User, programme: Programme) -> bool:
    if not _in_partnership(user, programme):
        return False
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.PROGRAMME_MANAGER, Role.PRACTITIONER) and (
        _staff_role(user, programme) is not None
    )


def can_view_referral(user: User, referral: Referral) -> bool:
    """The rule selectors.referral_list applies in SQL, for one referral in hand."""
    if not belongs_to_a_partnership(user) or referral.partnership_id != user.partnership_id:
        return False
    if has_role(user, Role.ADMINISTRATOR):
        return True
    if can_manage_programme(user, referral.programme):
        return True
    return (
        has_role(user, Role.PRACTITIONER)
        and referral.assigned_to_id == user.pk
        and _staff_role(user, referral.programme) is not None
    )


def can_work_on_referral(user: User, referral: Referral) -> bool:
    """Record contacts, status changes and outcomes: whoever may see the case."""
    return can_view_referral(user, referral) and referral.anonymised_at is None


def can_view_identity(user: User, referral: Referral) -> bool:
    return can_view_referral(user, referral) and referral.anonymised_at is None


def can_assign_referral(user: User, referral: Referral) -> bool:
    return can_manage_programme(user, referral.programme)


def can_import_referrals(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_record_session(user: User, programme: Programme) -> bool:
    return can_create_referral(user, programme)


def sees_named_cases(user: User) -> bool:
    return can_use_caseload(user)


def can_break_glass(user: User, referral: Referral) -> bool:
    """Break-glass: a programme manager may open the identity of a young person on a case
    outside their own programmes (same partnership, not anonymised), giving a reason. The
    read is audited with the reason and the designated safeguarding lead is told."""
    return (
        belongs_to_a_partnership(user)
        and referral.partnership_id == user.partnership_id
        and referral.anonymised_at is None
        and has_role(user, Role.PROGRAMME_MANAGER)
        and not can_view_identity(user, referral)
    )


def can_use_break_glass(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.PROGRAMME_MANAGER)
