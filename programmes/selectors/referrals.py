"""Which referrals a viewer may see: the one visibility rule every referral read goes through."""

from datetime import datetime

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from programmes import permissions
from programmes.filters import ReferralFilter
from programmes.models import ProgrammeStaff, Referral
from programmes.selectors.programmes import managed_programmes
from vru.models import ImportJob, Role, User


def _referral_visibility(viewer: User) -> Q | None:
    if not permissions.can_use_caseload(viewer):
        return None
    return _visibility(
        partnership_id=viewer.partnership_id,
        user_id=viewer.pk,
        roles=viewer.role_names,
        staffed=sorted(permissions.staff_roles(viewer).items()),
    )


def _visibility(
    *, partnership_id: int, user_id: int, roles: frozenset[str], staffed: list[tuple[int, str]]
) -> Q:
    """Which referrals someone of these roles, staffing these (programme id, staff role)
    pairs (by id), may see. A function of these values only: referral_page compiles it once
    per shape (vru.compiled)."""
    if Role.ADMINISTRATOR in roles:
        return Q(partnership_id=partnership_id)
    # The viewer's programmes as a list of ids (loaded with the signed-in user, see
    # permissions.staff_roles), not a subquery: with one, planning the list's query cost
    # PostgreSQL more than running it (docs/performance.md, "Lists of referrals").
    q = Q(pk__in=[])
    if Role.PROGRAMME_MANAGER in roles:
        managed = [p for p, role in staffed if role == ProgrammeStaff.StaffRole.MANAGER]
        q |= Q(programme_id__in=managed)
    if roles & permissions.FRONTLINE_ROLES:
        # their own caseload (practitioners, provider staff), while they still work on the programme
        q |= Q(assigned_to_id=user_id, programme_id__in=[p for p, _ in staffed])
    # the partnership bounds it all (a programme id of another partnership shows nothing)
    return Q(partnership_id=partnership_id) & q


def referral_list(
    *,
    viewer: User,
    filters: dict | None = None,
    now: datetime | None = None,
    open_only: bool = False,
) -> QuerySet[Referral]:
    """The referrals the viewer may see: awaiting first contact (by due time) first; only
    those not closed with `open_only` (the caseload, unless a status is chosen)."""
    visible = _referral_visibility(viewer)
    return _referrals(visible, filters, now or timezone.now(), open_only=open_only)


def _referrals(
    visible: Q | None, filters: dict | None, now: datetime, *, open_only: bool = False
) -> QuerySet[Referral]:
    # none for a viewer without a caseload, with the same columns (lists read "breached")
    referrals = Referral.objects.none() if visible is None else Referral.objects.filter(visible)
    if open_only:
        referrals = referrals.exclude(status=Referral.Status.CLOSED)
    qs = (
        referrals.select_related("programme", "young_person", "assigned_to", "lsoa")
        .annotate(
            breached=Case(
                When(Referral.breached_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-awaiting_contact", "due_at", "id")
    )
    if referrals_filtered(filters):
        qs = ReferralFilter(filters, queryset=qs).qs
    return qs


def referrals_filtered(filters: dict | None) -> bool:
    """Whether the request's parameters name any of the referral filters with a value."""
    return bool(filters) and any(filters.get(name) for name in ReferralFilter.base_filters)


def open_only(filters) -> bool:
    """The caseload shows open cases unless the viewer chooses statuses (Closed among them)."""
    if not filters:
        return True
    chosen = filters.getlist("status") if hasattr(filters, "getlist") else filters.get("status")
    return not chosen


def referral_get(*, viewer: User, pk: int) -> Referral | None:
    return referral_list(viewer=viewer).filter(pk=pk).first()


def programme_case_rows(*, viewer: User, programme, pks) -> QuerySet | None:
    """The programme's referrals among ``pks`` as pseudonymous rows (id, reference, referred,
    status; never a name), for a viewer who may see every case of the programme; None for
    anyone else (the door answers 404)."""
    if not permissions.can_view_programme_cases(viewer, programme):
        return None
    return (
        referral_list(viewer=viewer)
        .filter(programme=programme, pk__in=list(pks))
        .order_by("young_person__reference", "pk")
        .values("pk", "young_person__reference", "referred_at", "status", "anonymised_at")
    )


def referral_import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """Referral import jobs the viewer may follow: those into programmes they manage."""
    managed = managed_programmes(viewer=viewer).values("pk")
    return ImportJob.objects.filter(
        kind=ImportJob.Kind.REFERRALS, partnership_id=viewer.partnership_id, target_id__in=managed
    ).select_related("created_by")


def referral_for_break_glass(*, viewer: User, reference: str) -> Referral | None:
    """The young person's latest open-to-identity referral in the viewer's partnership, found
    by their pseudonymous reference (what a caller from the police or a school quotes).
    Only for those who may use break-glass; None when there is no such case."""
    if not permissions.can_use_break_glass(viewer):
        return None
    return (
        Referral.objects.filter(
            partnership_id=viewer.partnership_id,
            young_person__reference=reference.strip().upper(),  # as filters.ReferralFilter
            anonymised_at__isnull=True,
        )
        .select_related("programme", "young_person", "partnership")
        .order_by("-referred_at", "-pk")
        .first()
    )
