"""Awards, their rows for lists and exports, and monitoring returns."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from grants import permissions
from grants.filters import AwardFilter
from grants.models import (
    Award,
    MonitoringReturn,
    Tranche,
)
from grants.selectors.applications import viewer_organisation_id
from vru.models import User


def award_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Award]:
    qs = Award.objects.select_related(
        "decision__application__organisation", "decision__application__grant_round"
    )
    if permissions.is_grants_staff(viewer):
        qs = qs.for_viewer(viewer)
    elif (org := viewer_organisation_id(viewer)) is not None:
        qs = qs.filter(decision__application__organisation_id=org)
    else:
        return Award.objects.none()
    if filters is not None:
        qs = AwardFilter(filters, queryset=qs).qs
    return qs


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class _AwardRows:
    """A sliceable, countable view of award rows as plain dicts, for the API's pagination:
    the COUNT and the page's rows come from the database, tranches in one more query."""

    FIELDS = (
        "pk",
        "decision__application_id",
        "decision__application__title",
        "decision__application__organisation__name",
        "amount",
        "awarded_on",
        "starts_on",
        "ends_on",
    )

    def __init__(self, queryset: QuerySet[Award]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        rows = list(self.queryset.values_list(*self.FIELDS)[index])
        tranches: dict[int, list[dict]] = defaultdict(list)
        for award_id, number, amount, due_on, released_at in (
            Tranche.objects.filter(award_id__in=[r[0] for r in rows])
            .order_by("award_id", "number")
            .values_list("award_id", "number", "amount", "due_on", "released_at")
        ):
            tranches[award_id].append(
                {
                    "number": number,
                    "amount": _money(amount),
                    "due_on": due_on.isoformat(),
                    "released_at": _datetime(released_at),
                }
            )
        return [
            {
                "id": pk,
                "application": application,
                "title": title,
                "organisation": organisation,
                "amount": _money(amount),
                "awarded_on": awarded.isoformat(),
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "tranches": tranches[pk],
            }
            for pk, application, title, organisation, amount, awarded, starts, ends in rows
        ]


def _datetime(value) -> str | None:
    from rest_framework.fields import DateTimeField

    return None if value is None else DateTimeField().to_representation(value)


def award_rows(queryset: QuerySet[Award]) -> _AwardRows:
    """Plain rows of an already viewer-scoped award queryset (see award_list)."""
    return _AwardRows(queryset)


def award_get(*, viewer: User, pk: int) -> Award | None:
    return (
        award_list(viewer=viewer)
        .prefetch_related("tranches", "monitoring_returns")
        .filter(pk=pk)
        .first()
    )


def monitoring_return_list(*, viewer: User) -> QuerySet[MonitoringReturn]:
    return MonitoringReturn.objects.filter(award__in=award_list(viewer=viewer)).select_related(
        "award__decision__application"
    )
