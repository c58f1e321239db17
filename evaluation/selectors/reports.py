"""Reads of impact reports, filtered by who is asking."""

from django.db.models import QuerySet

from evaluation import permissions
from evaluation.filters import ImpactReportFilter
from evaluation.models import ImpactReport
from evaluation.report_periods import PeriodKind
from programmes.models import Programme
from vru.filters import ordered
from vru.models import CommunitySafetyPartnership, LocalAuthority, User


def _visible(viewer: User) -> QuerySet[ImpactReport]:
    """The partnership's reports the viewer may see: they hold only suppressed aggregates,
    so every reader sees them all, except that a report of custom dates is for staff only."""
    if not permissions.can_view_impact_reports(viewer):
        return ImpactReport.objects.none()
    qs = ImpactReport.objects.for_viewer(viewer)
    if not permissions.can_use_custom_report_periods(viewer):
        qs = qs.exclude(period_kind=PeriodKind.CUSTOM)
    return qs


def impact_report_list(*, viewer: User, filters: dict | None = None) -> QuerySet[ImpactReport]:
    """The reports the viewer may see (see _visible). Filters: status, scope; sort by
    REPORT_SORTS (- for desc)."""
    qs = (
        _visible(viewer)
        .select_related("requested_by", "scope_programme", "scope_csp", "scope_local_authority")
        .defer("content")
    )
    if filters:
        qs = ordered(ImpactReportFilter(filters, queryset=qs).qs, "-pk")
    return qs


def impact_report_get(*, viewer: User, pk: int) -> ImpactReport | None:
    return (
        _visible(viewer)
        .filter(pk=pk)
        .select_related("partnership", "scope_programme", "scope_csp", "scope_local_authority")
        .first()
    )


def report_scope_choices(*, viewer: User) -> dict:
    """What a report may be narrowed to: the viewer's partnership's programmes and areas."""
    if not permissions.can_request_impact_report(viewer):
        return {
            "programmes": Programme.objects.none(),
            "csps": CommunitySafetyPartnership.objects.none(),
            "local_authorities": LocalAuthority.objects.none(),
        }
    pid = viewer.partnership_id
    return {
        "programmes": Programme.objects.filter(partnership_id=pid).order_by("name"),
        "csps": CommunitySafetyPartnership.objects.filter(partnership_id=pid).order_by("name"),
        "local_authorities": LocalAuthority.objects.filter(partnership_id=pid).order_by("name"),
    }
