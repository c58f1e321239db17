"""Which programmes a viewer may see, manage or work on, and who works on them."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from programmes import permissions, yef
from programmes.models import Programme, ProgrammeStaff, Referral
from vru import compiled
from vru.models import Role, User
from vru.permissions import has_role
from vru.viewer import remembered


def _managed_programme_ids(viewer: User) -> QuerySet:
    return ProgrammeStaff.objects.filter(user=viewer, role=ProgrammeStaff.StaffRole.MANAGER).values(
        "programme_id"
    )


def _staffed_programme_ids(viewer: User) -> QuerySet:
    return ProgrammeStaff.objects.filter(user=viewer).values("programme_id")


def programme_list(*, viewer: User) -> QuerySet[Programme]:
    if not permissions.can_view_programmes(viewer):
        return Programme.objects.none()
    return Programme.objects.filter(partnership_id=viewer.partnership_id)


def programmes_for_referrals(*, viewer: User) -> QuerySet[Programme]:
    """Programmes the viewer may log referrals for."""
    if not permissions.can_use_caseload(viewer):
        return Programme.objects.none()
    qs = Programme.objects.filter(partnership_id=viewer.partnership_id)
    if has_role(viewer, Role.ADMINISTRATOR):
        return qs
    return qs.filter(pk__in=_staffed_programme_ids(viewer))


@dataclass(frozen=True)
class MyProgramme:
    id: int
    name: str
    manages: bool  # may assign its caseload, import into it
    harmful: bool = False  # its YEF toolkit approach is rated harmful (warn wherever shown)


def caseload_programmes(*, viewer: User) -> list[MyProgramme]:
    """The programmes whose referrals the viewer logs, and which of them they manage: one
    query, remembered for the rest of the request (the lists ask several times)."""
    return remembered(viewer, "caseload_programmes", lambda: _caseload_programmes(viewer))


def _caseload_programmes(viewer: User) -> list[MyProgramme]:
    if not permissions.can_use_caseload(viewer):
        return []
    if has_role(viewer, Role.ADMINISTRATOR):
        return [
            MyProgramme(row["pk"], row["name"], True, yef.is_harmful(row["yef_approach"]))
            for row in _rows_of(
                "caseload_programmes:all",
                lambda inputs: Programme.objects.filter(partnership_id=inputs[0]).values(
                    "pk", "name", "yef_approach"
                ),
                [viewer.partnership_id],
            )
        ]
    manager = has_role(viewer, Role.PROGRAMME_MANAGER)
    return [
        MyProgramme(
            row["programme_id"],
            row["programme__name"],
            manager and row["role"] == ProgrammeStaff.StaffRole.MANAGER,
            yef.is_harmful(row["programme__yef_approach"]),
        )
        for row in _rows_of(
            "caseload_programmes:staffed",
            lambda inputs: (
                ProgrammeStaff.objects.filter(
                    user_id=inputs[0], programme__partnership_id=inputs[1]
                )
                .order_by("programme__name")
                .values("programme_id", "programme__name", "role", "programme__yef_approach")
            ),
            [viewer.pk, viewer.partnership_id],
        )
    ]


def _rows_of(key: str, build, ids: list[int]) -> list[dict]:
    """The rows of build(ids): compiled once on PostgreSQL (vru.compiled), else the ORM."""
    if connection.vendor == "postgresql":
        found = compiled.rows(key, build, [int] * len(ids), ids)
        if found is not None:
            return found
    return list(build(ids))


def managed_programmes(*, viewer: User) -> QuerySet[Programme]:
    if not permissions.can_use_caseload(viewer):
        return Programme.objects.none()
    qs = Programme.objects.filter(partnership_id=viewer.partnership_id)
    if has_role(viewer, Role.ADMINISTRATOR):
        return qs
    if has_role(viewer, Role.PROGRAMME_MANAGER):
        return qs.filter(pk__in=_managed_programme_ids(viewer))
    return Programme.objects.none()


def notice_recipients(
    *, programme: Programme, also: tuple[int | None, ...] = (), leave_out: int | None = None
) -> list[str]:
    """The e-mail addresses a programme's notices go to (a new referral, a missed contact
    target): its managers and the users in `also`, only active users with an address, not
    `leave_out` (who did the thing being told)."""
    managers = ProgrammeStaff.objects.filter(
        programme=programme, role=ProgrammeStaff.StaffRole.MANAGER
    ).values_list("user_id", flat=True)
    users = User.objects.filter(is_active=True).exclude(email="")
    users = users.filter(pk__in=[*managers, *[pk for pk in also if pk is not None]])
    if leave_out is not None:
        users = users.exclude(pk=leave_out)
    return sorted(users.values_list("email", flat=True))


def staff_of(programmes) -> QuerySet[User]:
    """The people who work on these programmes, for the assign list."""
    return (
        User.objects.filter(programme_memberships__programme__in=programmes)
        .distinct()
        .order_by("first_name", "last_name")
    )


def assignable_staff(*, referral: Referral) -> QuerySet[User]:
    """Who a referral may be assigned to (its programme's staff), each with `open_cases`: the
    cases now assigned to them in any programme that are neither closed nor anonymised.
    One query for the whole list, however many people it holds."""
    open_case = Q(caseload__anonymised_at__isnull=True) & ~Q(
        caseload__status=Referral.Status.CLOSED
    )
    return (
        User.objects.filter(programme_memberships__programme=referral.programme)
        .annotate(open_cases=Count("caseload", filter=open_case, distinct=True))
        .order_by("first_name", "last_name", "pk")
    )
