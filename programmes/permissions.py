"""Who may do what with programmes and referrals. One predicate per rule.

docs/roles.md: administrators see everything in their partnership; programme managers all cases of
their programmes; practitioners only their own caseload and their programme's sessions; provider staff (a
commissioned provider's staff, made practitioners of the programmes their provider is contracted
for by finance.services) exactly as practitioners, through that programme membership only;
analysts and commissioners aggregates only (commissioners with small numbers suppressed);
youth reviewers and applicants nothing here.
"""

from programmes.models import Programme, ProgrammeStaff, Referral
from vru import viewer
from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role

# Who works on their own caseload and their programmes' sessions, limited to the programmes
# they staff (programmes.ProgrammeStaff): practitioners, and provider staff (commissioned
# providers' staff, staffed on their contracts' programmes by finance.services.providers).
FRONTLINE_ROLES = frozenset({Role.PRACTITIONER, Role.PROVIDER})
CASE_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER, *FRONTLINE_ROLES})
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


def _parse_staff_roles(value: str | None) -> dict[int, str]:
    pairs = (item.split(":", 1) for item in viewer.split(value))
    return {int(programme_id): role for programme_id, role in pairs}


# Loaded with the signed-in user in the same query (vru.viewer, programmes.apps)
STAFF_ROLES_FACT = viewer.Fact(
    name="programme_staff_roles",
    select=lambda connection: (
        f"SELECT {viewer.text_list(connection, "ps.programme_id || ':' || ps.role")} "  # noqa: S608 - names from models
        f"FROM {ProgrammeStaff._meta.db_table} ps WHERE ps.user_id = u.id"
    ),
    parse=_parse_staff_roles,
)


def staff_roles(user: User) -> dict[int, str]:
    """Programme id -> the user's staff role there, for every programme they staff: loaded
    with the signed-in user, otherwise one query a request (vru.viewer.remembered)."""
    if not user.is_authenticated:
        return {}
    return viewer.remembered(
        user,
        STAFF_ROLES_FACT.name,
        lambda: dict(ProgrammeStaff.objects.filter(user=user).values_list("programme_id", "role")),
    )


def _staff_role(user: User, programme: Programme) -> str | None:
    return staff_roles(user).get(programme.pk)


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


def can_view_programme_cases(user: User, programme: Programme) -> bool:
    """Every case of the programme, not only one's own caseload (lists of the records behind
    a figure): administrators and the programme's managers."""
    return can_manage_programme(user, programme)


def can_view_programme_dashboard(user: User, programme: Programme) -> bool:
    if not _in_partnership(user, programme):
        return False
    if has_role(user, Role.ADMINISTRATOR, Role.ANALYST, Role.COMMISSIONER):
        return True
    return can_manage_programme(user, programme)


def is_frontline(user: User) -> bool:
    """Works only their own caseload (a practitioner or provider staff), managing nothing."""
    return has_role(user, *FRONTLINE_ROLES) and not has_role(
        user, Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER
    )


def can_use_caseload(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *CASE_ROLES)


def can_create_referral(user: User, programme: Programme) -> bool:
    if not _in_partnership(user, programme):
        return False
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return has_role(user, Role.PROGRAMME_MANAGER, *FRONTLINE_ROLES) and (
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
        has_role(user, *FRONTLINE_ROLES)
        and referral.assigned_to_id == user.pk
        and _staff_role(user, referral.programme) is not None
    )


def can_work_on_referral(user: User, referral: Referral) -> bool:
    """Record contacts, status changes and outcomes: whoever may see the case."""
    return can_view_referral(user, referral) and referral.anonymised_at is None


def can_withdraw_consent(user: User, referral: Referral) -> bool:
    """Record that consent was withdrawn: only on a case where consent was given, by whoever
    may work on it (the page offers it and the service refuses it by this one rule)."""
    return can_work_on_referral(user, referral) and referral.consent_given_by != ""


def can_view_identity(user: User, referral: Referral) -> bool:
    return can_view_referral(user, referral) and referral.anonymised_at is None


def can_assign_referral(user: User, referral: Referral) -> bool:
    return can_manage_programme(user, referral.programme)


def can_import_referrals(user: User, programme: Programme) -> bool:
    return can_manage_programme(user, programme)


def can_record_session(user: User, programme: Programme) -> bool:
    return can_create_referral(user, programme)


def can_use_street_work(user: User) -> bool:
    """The street-work page and its sync: whoever records sessions (on the programmes they
    may record them for: each record is judged by can_record_session)."""
    return can_use_caseload(user)


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
