"""Grant rounds, organisations and applications, as the viewer may see them."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from grants import permissions
from grants.filters import ApplicationFilter, GrantRoundFilter, OrganisationFilter
from grants.models import (
    Application,
    Assignment,
    GrantRound,
    Organisation,
    OrganisationMembership,
)
from vru.models import User


def viewer_organisation_id(viewer: User) -> int | None:
    if not permissions.is_applicant(viewer):
        return None
    membership = getattr(viewer, "grant_membership", None)
    return membership.organisation_id if membership is not None else None


def grant_round_list(*, viewer: User, filters: dict | None = None) -> QuerySet[GrantRound]:
    if permissions.is_grants_staff(viewer):
        qs = GrantRound.objects.for_viewer(viewer)
    elif (org := viewer_organisation_id(viewer)) is not None:
        now = timezone.now()
        qs = (
            GrantRound.objects.for_viewer(viewer)
            .filter(Q(opens_at__lte=now, closes_at__gt=now) | Q(applications__organisation_id=org))
            .distinct()
        )
    else:
        # nothing to see, but still annotated: the API's ?sort=applications orders by it
        qs = GrantRound.objects.none()
    # Staff count every submitted application in the round; an applicant counts only its
    # own organisation's (how many others applied is not theirs to know).
    counted = ~Q(applications__status=Application.Status.DRAFT)
    if not permissions.is_grants_staff(viewer):
        counted &= Q(applications__organisation_id=org)
    qs = qs.order_by("-opens_at", "title", "pk").annotate(
        application_count=Count("applications", filter=counted, distinct=True)
    )
    if filters is not None:
        qs = GrantRoundFilter(filters, queryset=qs).qs
    return qs


def organisation_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Organisation]:
    """The partnership's applicant organisations, for grants staff only, with how many
    applications they have submitted and how many people act for them."""
    if not permissions.is_grants_staff(viewer):
        return Organisation.objects.none()
    qs = (
        Organisation.objects.for_viewer(viewer)
        .select_related("local_authority")
        .annotate(
            application_count=Count(
                "applications",
                filter=~Q(applications__status=Application.Status.DRAFT),
                distinct=True,
            ),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name", "pk")
    )
    if filters is not None:
        qs = OrganisationFilter(filters, queryset=qs).qs
    return qs


def user_to_add_to_organisation(*, viewer: User, username: str) -> User | None:
    """The user of the viewer's partnership with this username (any capitals), for grants
    staff giving someone access to an organisation; nobody else may look users up."""
    if not permissions.is_grants_staff(viewer):
        return None
    return User.objects.filter(
        partnership_id=viewer.partnership_id, username__iexact=username
    ).first()


def organisation_members(*, viewer: User, organisation: Organisation):
    if not permissions.is_grants_staff(viewer) or (
        organisation.partnership_id != viewer.partnership_id
    ):
        return OrganisationMembership.objects.none()
    return organisation.memberships.select_related("user").order_by("user__username")


def open_round_list(*, viewer: User) -> QuerySet[GrantRound]:
    """Rounds taking applications now, for an applicant to start one."""
    if viewer_organisation_id(viewer) is None:
        return GrantRound.objects.none()
    now = timezone.now()
    return (
        GrantRound.objects.for_viewer(viewer)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
    )


def application_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Application]:
    qs = Application.objects.select_related("grant_round", "organisation")
    if permissions.is_grants_staff(viewer):
        qs = qs.for_viewer(viewer)
    elif (org := viewer_organisation_id(viewer)) is not None:
        qs = qs.for_viewer(viewer).filter(organisation_id=org)
    else:
        return Application.objects.none()
    if filters is not None:
        qs = ApplicationFilter(filters, queryset=qs).qs
    return qs


def application_get(*, viewer: User, pk: int) -> Application | None:
    return (
        application_list(viewer=viewer)
        .prefetch_related(
            "budget_lines",
            "lsoas",
            "attachments",
            "recommendations",
            "eligibility_answers__question",
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer__user")),
        )
        .filter(pk=pk)
        .first()
    )
