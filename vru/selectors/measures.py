"""Success measures: each value with the period it covers, and the comparisons the needs
assessment makes between two of them.

A % change exists only for a recorded comparison (``SuccessMeasureComparison``), never between
neighbours of a measure's values: those may be periods of different kinds (a year to July
beside a calendar year), which the needs assessment never compared.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from vru import permissions
from vru.models import (
    ComparisonKind,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    User,
)
from vru.selectors import disclosure


def percent_change(*, previous: Decimal, current: Decimal) -> int | None:
    """Whole-percent change, rounded half away from zero as the SNA prints it (-32.5 -> -33)."""
    if previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return int(change.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _format_value(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def shown_figure(value: Decimal, *, counts_people: bool, suppress: bool) -> tuple[str, bool]:
    """(the figure as shown, whether it is hidden): the one place success measures apply
    the small-number rule. A count of people from 1 to 4 is "<5" to those who see
    suppressed figures; every change computed from it is withheld too."""
    # published statistics, not our records: the small-number rule without adjustment
    hidden = disclosure.is_hidden(value, suppress=suppress and counts_people)
    return (disclosure.hidden_mark() if hidden else _format_value(value)), hidden


def format_change(change: int) -> str:
    """ "-12%", "+5%", "0%": as the needs assessment prints a change."""
    return "0%" if change == 0 else f"{change:+d}%"


@dataclass(frozen=True)
class ShownComparison:
    """One comparison as a viewer sees it: both figures, and the % change unless a figure
    is hidden (or the earlier one is 0)."""

    comparison: SuccessMeasureComparison
    earlier: SuccessMeasureValue
    later: SuccessMeasureValue
    earlier_shown: str
    later_shown: str
    change: int | None
    hidden: bool

    @property
    def kind(self) -> str:
        return self.comparison.kind

    @property
    def kind_label(self) -> str:
        return self.comparison.get_kind_display()

    @property
    def note(self) -> str:
        return self.comparison.note

    @property
    def source_table(self) -> str:
        return self.comparison.source_table

    @property
    def periods(self) -> str:
        """Both periods, later first: "calendar 2023 against 2020", "FY2021/22 against
        FY2018/19", "calendar 2023 against FY2018/19"."""
        earlier = self.earlier.label
        if self.earlier.period_kind == self.later.period_kind == "calendar year":
            earlier = earlier.removeprefix("calendar ")
        return f"{self.later.label} against {earlier}"

    @property
    def change_text(self) -> str:
        if self.hidden:
            return "change not shown"
        if self.change is None:
            return "no % change (the earlier figure is 0)"
        return format_change(self.change)

    @property
    def headline(self) -> str:
        """ "calendar 2023 against 2020: -12%"."""
        return f"{self.periods}: {self.change_text}"

    @property
    def improved(self) -> bool | None:
        if not self.change:
            return None
        down_is_good = self.later.measure.direction == SuccessMeasure.Direction.DOWN
        return (self.change < 0) == down_is_good


@dataclass(frozen=True)
class MeasureRow:
    """One value of a measure with the comparisons that end at it (None where the needs
    assessment makes none)."""

    value: SuccessMeasureValue
    shown_value: str
    suppressed: bool
    against_previous: ShownComparison | None
    against_baseline: ShownComparison | None

    @property
    def change_from_previous(self) -> int | None:
        return self.against_previous.change if self.against_previous else None

    @property
    def change_from_baseline(self) -> int | None:
        return self.against_baseline.change if self.against_baseline else None


@dataclass(frozen=True)
class MeasureFigures:
    measure: SuccessMeasure
    rows: list[MeasureRow]
    comparisons: list[ShownComparison]

    @property
    def headline(self) -> ShownComparison | None:
        """The comparison whose later period ends last (the baseline one first when the
        latest period is compared both ways): what a summary shows for the measure."""
        if not self.comparisons:
            return None
        return max(
            self.comparisons,
            key=lambda c: (
                c.later.period_end,
                c.kind == ComparisonKind.BASELINE,
                -c.later.period_start.toordinal(),
            ),
        )


def _prefetched(qs: QuerySet[SuccessMeasure]) -> QuerySet[SuccessMeasure]:
    return qs.prefetch_related(
        Prefetch("values", queryset=SuccessMeasureValue.objects.order_by("period_start")),
        Prefetch("comparisons", queryset=SuccessMeasureComparison.objects.order_by("pk")),
    )


def success_measure_list(*, viewer: User) -> QuerySet[SuccessMeasure]:
    if not permissions.can_view_strategy(viewer):
        return SuccessMeasure.objects.none()
    return _prefetched(SuccessMeasure.objects.for_viewer(viewer))


def partnership_success_measures(*, partnership_id: int) -> QuerySet[SuccessMeasure]:
    """Every measure of a partnership, for a report that is published as built (its
    figures go through ``measure_figures(..., suppress=True)``)."""
    return _prefetched(SuccessMeasure.objects.filter(partnership_id=partnership_id))


def measure_figures(
    *, measure: SuccessMeasure, suppress: bool, until: date | None = None
) -> MeasureFigures:
    """A measure's values (ending by `until`, if given) and its recorded comparisons, with
    small counts of people hidden when `suppress`. Uses the prefetched values and
    comparisons of ``success_measure_list``: no query per measure."""
    values = [v for v in measure.values.all() if until is None or v.period_end <= until]
    by_id = {v.pk: v for v in values}
    for v in values:
        v.measure = measure  # the comparison's direction without a query
    shown = {
        v.pk: shown_figure(v.value, counts_people=measure.counts_people, suppress=suppress)
        for v in values
    }
    comparisons = []
    for c in measure.comparisons.all():
        if c.earlier_id not in by_id or c.later_id not in by_id:
            continue
        earlier, later = by_id[c.earlier_id], by_id[c.later_id]
        hidden = shown[earlier.pk][1] or shown[later.pk][1]
        comparisons.append(
            ShownComparison(
                comparison=c,
                earlier=earlier,
                later=later,
                earlier_shown=shown[earlier.pk][0],
                later_shown=shown[later.pk][0],
                change=None
                if hidden
                else percent_change(previous=earlier.value, current=later.value),
                hidden=hidden,
            )
        )
    comparisons.sort(
        key=lambda c: (c.later.period_end, c.later.period_start, c.kind != ComparisonKind.PREVIOUS)
    )
    ending_at = {(c.later.pk, c.kind): c for c in comparisons}
    rows = [
        MeasureRow(
            value=v,
            shown_value=shown[v.pk][0],
            suppressed=shown[v.pk][1],
            against_previous=ending_at.get((v.pk, ComparisonKind.PREVIOUS)),
            against_baseline=ending_at.get((v.pk, ComparisonKind.BASELINE)),
        )
        for v in values
    ]
    return MeasureFigures(measure=measure, rows=rows, comparisons=comparisons)


def success_measure_figures(*, viewer: User, measure: SuccessMeasure) -> MeasureFigures:
    """The measure as the viewer sees it: commissioners see people-counts of 1-4 as "<5"."""
    return measure_figures(
        measure=measure,
        suppress=permissions.sees_suppressed_figures(viewer),
    )


def success_measure_rows(*, viewer: User, measure: SuccessMeasure) -> list[MeasureRow]:
    return success_measure_figures(viewer=viewer, measure=measure).rows
