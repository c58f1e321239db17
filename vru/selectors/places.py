"""Neighbourhoods (LSOAs), local authorities and community safety partnerships, as the viewer may see them."""

from django.db.models import Avg, Count, Q, QuerySet, Sum

from vru import permissions
from vru.filters import LSOAFilter
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    LocalAuthority,
    User,
)


def lsoa_list(*, viewer: User, filters: dict | None = None) -> QuerySet[LSOA]:
    if not permissions.can_view_areas(viewer):
        return LSOA.objects.none()
    qs = (
        LSOA.objects.for_viewer(viewer)
        .select_related("local_authority", "community_safety_partnership")
        .defer("boundary")  # geometry is only needed on the LSOA's own page
    )
    if filters is not None:
        qs = LSOAFilter(filters, queryset=qs).qs
    return qs


def lsoa_get(*, viewer: User, code: str) -> LSOA | None:
    if not permissions.can_view_areas(viewer):
        return None
    return (
        LSOA.objects.for_viewer(viewer)
        .filter(code=code)
        .select_related("local_authority", "community_safety_partnership")
        .first()
    )


def local_authority_list(*, viewer: User) -> QuerySet[LocalAuthority]:
    if not permissions.can_view_areas(viewer):
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.for_viewer(viewer).select_related("community_safety_partnership")


def community_safety_partnership_list(*, viewer: User) -> QuerySet[CommunitySafetyPartnership]:
    if not permissions.can_view_areas(viewer):
        return CommunitySafetyPartnership.objects.none()
    return CommunitySafetyPartnership.objects.for_viewer(viewer)


def area_summary(*, viewer: User) -> dict:
    """Headline figures about the partnership's neighbourhoods, computed in the database."""
    qs = lsoa_list(viewer=viewer)
    figures = qs.aggregate(
        lsoas=Count("pk"),
        population=Sum("population"),
        most_deprived=Count("pk", filter=Q(imd_decile__lte=2)),
        average_imd_score=Avg("imd_score"),
        local_authorities=Count("local_authority", distinct=True),
        csps=Count("community_safety_partnership", distinct=True),
    )
    return figures
