"""What a partner (a person of a duty-holder organisation) reads: their organisation, and the
protected figures of the areas it covers."""

from dataclasses import dataclass

from django.utils import timezone

from duty import permissions
from duty.models import DutyHolder
from evaluation import selectors as evaluation_selectors
from vru.models import LocalAuthority, User


@dataclass(frozen=True)
class AreaFigures:
    local_authority: LocalAuthority
    headlines: evaluation_selectors.Headlines


def partner_holder(*, viewer: User) -> DutyHolder | None:
    holder_id = permissions.partner_holder_id(viewer)
    if holder_id is None:
        return None
    return DutyHolder.objects.get(pk=holder_id)


def partner_area_figures(*, viewer: User, today=None) -> list[AreaFigures]:
    """This financial year's headline figures for each area the partner's organisation
    covers, as an impact report of that local authority computes them, through the
    disclosure control (a partner never sees true counts: vru.permissions)."""
    if not permissions.can_view_area_figures(viewer):
        return []
    today = today or timezone.localdate()
    areas = LocalAuthority.objects.filter(
        pk__in=DutyHolder.areas.through.objects.filter(
            dutyholder_id=permissions.partner_holder_id(viewer)
        ).values("localauthority_id"),
        partnership_id=viewer.partnership_id,
    ).order_by("name")
    figures = []
    for area in areas:
        headlines = evaluation_selectors.area_headlines(
            viewer=viewer, local_authority=area, today=today
        )
        if headlines is not None:
            figures.append(AreaFigures(local_authority=area, headlines=headlines))
    return figures
