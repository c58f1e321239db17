"""Reads of the money record for a viewer: funding streams, and spend against allocation per
quarter and year to date, each figure summed in the database.

Spend of a programme is its recorded quarterly spend; spend of a grant round is the tranches
of its awards released in the quarter (a released tranche is money paid out)."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from finance import permissions
from finance.models import (
    Allocation,
    FundingStream,
    QuarterlySpend,
    financial_year_of,
    quarter_dates,
    quarter_of,
)
from grants.models import GrantRound
from programmes.models import Programme
from vru.models import User

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def funding_streams(*, viewer: User) -> QuerySet[FundingStream]:
    if not permissions.can_view_finance(viewer):
        return FundingStream.objects.none()
    allocated = (
        Allocation.objects.filter(stream=OuterRef("pk"))
        .order_by()
        .values("stream")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return FundingStream.objects.filter(partnership_id=viewer.partnership_id).annotate(
        allocated=Coalesce(Subquery(allocated[:1]), ZERO)
    )


def allocations(*, viewer: User) -> QuerySet[Allocation]:
    if not permissions.can_view_finance(viewer):
        return Allocation.objects.none()
    return Allocation.objects.filter(stream__partnership_id=viewer.partnership_id).select_related(
        "stream", "programme", "grant_round"
    )


def spend_records(*, viewer: User) -> QuerySet[QuarterlySpend]:
    if not permissions.can_view_finance(viewer):
        return QuarterlySpend.objects.none()
    return QuarterlySpend.objects.filter(
        programme__partnership_id=viewer.partnership_id
    ).select_related("programme")


@dataclass(frozen=True)
class SpendLine:
    """One programme's or grant round's money in a financial year, up to a quarter."""

    kind: str  # "programme" or "grant round"
    target_id: int
    name: str
    allocated: Decimal
    quarters: list[Decimal]  # spend in Q1..Q4 (quarters after `upto` are 0)
    recorded_quarters: int  # quarters with a figure recorded (programmes) or paid (rounds)
    upto: int

    @property
    def year_to_date(self) -> Decimal:
        return sum(self.quarters[: self.upto], Decimal(0))

    @property
    def profile_to_date(self) -> Decimal:
        """The allocation spread evenly over the year, to the end of quarter `upto`."""
        return (self.allocated * self.upto / 4).quantize(Decimal("0.01"))

    @property
    def variance(self) -> Decimal:
        """Spend to date less the evenly profiled allocation: below 0 underspend, above 0
        overspend."""
        return self.year_to_date - self.profile_to_date

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.year_to_date

    @property
    def status(self) -> str:
        if self.year_to_date > self.allocated:
            return "Over allocation"
        if self.variance > 0:
            return "Overspend to date"
        if self.variance < 0:
            return "Underspend to date"
        return "On profile"


def _quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    start, end = quarter_dates(year, quarter)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


def spend_against_allocation(
    *, viewer: User, financial_year: int, upto: int = 4
) -> list[SpendLine]:
    """Each programme and grant round with an allocation or spend in `financial_year`: its
    allocation, spend per quarter (to quarter `upto`), year to date and variance. Two
    queries, every sum in the database."""
    if not permissions.can_view_finance(viewer):
        return []
    partnership_id = viewer.partnership_id
    year_allocations = Allocation.objects.filter(
        stream__financial_year=financial_year, stream__partnership_id=partnership_id
    )

    def allocated(field: str):
        return Coalesce(
            Subquery(
                year_allocations.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(total=Sum("amount"))
                .values("total")[:1]
            ),
            ZERO,
        )

    spend = QuarterlySpend.objects.filter(financial_year=financial_year, quarter__lte=upto)
    programmes = (
        Programme.objects.filter(partnership_id=partnership_id)
        .annotate(
            allocated=allocated("programme"),
            **{
                f"q{q}": Coalesce(
                    Subquery(
                        spend.filter(programme=OuterRef("pk"), quarter=q).values("amount")[:1]
                    ),
                    ZERO,
                )
                for q in range(1, 5)
            },
            recorded=Subquery(
                spend.filter(programme=OuterRef("pk"))
                .order_by()
                .values("programme")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .filter(Q(allocated__gt=0) | Q(recorded__gt=0))
        .order_by("name")
    )
    lines = [
        SpendLine(
            kind="programme",
            target_id=p.pk,
            name=p.name,
            allocated=p.allocated,
            quarters=[getattr(p, f"q{q}") if q <= upto else Decimal(0) for q in range(1, 5)],
            recorded_quarters=p.recorded or 0,
            upto=upto,
        )
        for p in programmes
    ]
    quarter_sums = {}
    for q in range(1, upto + 1):
        start, end = _quarter_bounds(financial_year, q)
        quarter_sums[f"q{q}"] = Coalesce(
            Sum(
                "applications__decision__award__tranches__amount",
                filter=Q(applications__decision__award__tranches__released_at__range=(start, end)),
            ),
            ZERO,
        )
    rounds = (
        GrantRound.objects.filter(partnership_id=partnership_id)
        .annotate(allocated=allocated("grant_round"), **quarter_sums)
        .order_by("title")
    )
    for r in rounds:
        quarters = [getattr(r, f"q{q}", Decimal(0)) for q in range(1, 5)]
        if not r.allocated and not any(quarters):
            continue
        lines.append(
            SpendLine(
                kind="grant round",
                target_id=r.pk,
                name=r.title,
                allocated=r.allocated,
                quarters=quarters,
                recorded_quarters=sum(1 for amount in quarters if amount),
                upto=upto,
            )
        )
    return lines


def quarters_starting_within(start: date, end: date) -> list[tuple[int, int]]:
    """(financial year, quarter) of every quarter whose first day falls in [start, end]."""
    found = []
    year, quarter = financial_year_of(start), quarter_of(start)
    while True:
        first = quarter_dates(year, quarter)[0]
        if first > end:
            return found
        if first >= start:
            found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def recorded_spend(*, programme_id: int, start: date, end: date) -> tuple[Decimal | None, int]:
    """(spend, quarters): the recorded spend of a programme in the quarters that start within
    [start, end], summed in the database, and how many quarters have a figure; spend is None
    when none has (callers then fall back to the budget)."""
    pairs = quarters_starting_within(start, end)
    if not pairs:
        return None, 0
    match = Q()
    for year, quarter in pairs:
        match |= Q(financial_year=year, quarter=quarter)
    found = QuarterlySpend.objects.filter(match, programme_id=programme_id).aggregate(
        total=Sum("amount"), quarters=Count("pk")
    )
    return found["total"], found["quarters"]


def spend_by_programme(programme_ids) -> dict[int, list[tuple[date, Decimal]]]:
    """Programme id -> (first day of the quarter, amount) of every quarter with a recorded
    figure, in one query (value for money sums them over each evaluation's dates)."""
    found: dict[int, list[tuple[date, Decimal]]] = {}
    for programme_id, year, quarter, amount in QuarterlySpend.objects.filter(
        programme_id__in=list(programme_ids)
    ).values_list("programme_id", "financial_year", "quarter", "amount"):
        found.setdefault(programme_id, []).append((quarter_dates(year, quarter)[0], amount))
    return found


def spend_within(quarters: list[tuple[date, Decimal]], start: date, end: date):
    """(total, quarters counted) of the quarters that start within [start, end]; total is
    None when none does."""
    inside = [amount for first, amount in quarters if start <= first <= end]
    return (sum(inside, Decimal(0)) if inside else None), len(inside)
