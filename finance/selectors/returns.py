"""The quarterly return's figures, worked out from the records (finance.services.returns
stores them when a return is produced), and the reads of returns for a viewer.

One row per intervention active in the quarter:

- a **programme** with spend recorded for the quarter, or young people reached, started,
  completed or outcomes recorded in it. Reached: distinct young people with a contact in
  the quarter on a referral to the programme (people, not contacts or referrals); their age
  band (vru.age_bands, from age at referral), neighbourhood (home LSOA at referral) are from
  their latest such referral; sex and ethnicity from the young person's record. New starts:
  distinct young people whose referral had its first contact in the quarter. Completions:
  distinct young people whose referral closed as completed in the quarter. Outcomes recorded:
  outcomes achieved in the quarter. Priority neighbourhoods: the current risk run's priority
  LSOAs (vru.selectors.areas.priority_lsoa_codes). Every count is the number of records
  finance.selectors.return_records lists behind it (the drill-down reads the same lists).
- a **grant award** with a tranche released or a monitoring return approved in the quarter.
  Spend: tranches released in the quarter. Reach: the latest monitoring return approved in
  the quarter (its young people by age band and by LSOA, its new starts, completions and
  outcomes achieved); grant monitoring returns do not collect sex or ethnicity, so reach is
  "not known" by both. A return sent before it asked for starts, completions and outcomes
  leaves those empty.

The published copy (outside the partnership) goes through the disclosure control
(vru.selectors.disclosure): each person counts with their fixed adjustment, then small
numbers are hidden and every breakdown is protected against subtraction from its total.
"""

from decimal import Decimal

from django.db.models import QuerySet, Sum

from finance import permissions
from finance.models import QuarterlyReturn, QuarterlySpend
from finance.models.returns import AGE_COLUMNS, BREAKDOWNS, ETHNICITY_COLUMNS, SEX_COLUMNS
from finance.selectors.return_records import (
    column_of,
    disclosure_kind,
    programme_cells,
    quarter_bounds,
)
from grants.models import Award, MonitoringReturn, Tranche
from programmes.models import Programme
from vru.models import User
from vru.selectors import disclosure
from vru.selectors.areas import priority_lsoa_codes

# a grant award's figures as its monitoring return gives them (grants.MonitoringReturn)
AWARD_FIGURES = {
    "new_starts": "new_starts",
    "completions": "completions",
    "outcomes_recorded": "outcomes_achieved",
}


def returns_for(*, viewer: User) -> QuerySet[QuarterlyReturn]:
    if not permissions.can_view_returns(viewer):
        return QuarterlyReturn.objects.none()
    return QuarterlyReturn.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "produced_by", "reviewed_by", "locked_by", "supersedes"
    )


def _empty_row(kind: str, name: str, delivered_by: str) -> dict:
    row = {
        "intervention_type": kind,
        "intervention": name,
        "delivered_by": delivered_by,
        "spend_in_quarter": "",
    }
    for column in ("young_people_reached", "new_starts", "completions", "outcomes_recorded"):
        row[column] = 0
    for columns in (AGE_COLUMNS, SEX_COLUMNS, ETHNICITY_COLUMNS):
        for name_, _ in columns:
            row[name_] = 0
    row["reached_in_priority_neighbourhoods"] = 0
    return row


def compute_return(partnership_id: int, year: int, quarter: int) -> tuple[list, list]:
    """(rows, published rows) of the return for a quarter, from the records. Reads only."""
    start, end = quarter_bounds(year, quarter)
    priority = priority_lsoa_codes(partnership_id)
    rows, published = [], []
    for row, adjusted in _programme_rows(partnership_id, year, quarter):
        rows.append(row)
        published.append(_publish(row, adjusted))
    for row, adjusted in _award_rows(partnership_id, start, end, priority):
        rows.append(row)
        published.append(_publish(row, adjusted))
    return rows, published


def _programme_rows(partnership_id, year, quarter):
    programmes = {p.pk: p for p in Programme.objects.filter(partnership_id=partnership_id)}
    cells = programme_cells(partnership_id, year, quarter)
    spend = dict(
        QuarterlySpend.objects.filter(
            programme__partnership_id=partnership_id, financial_year=year, quarter=quarter
        ).values_list("programme_id", "amount")
    )
    active = set(cells) | set(spend)
    for programme in sorted((programmes[pk] for pk in active), key=lambda p: p.name):
        row = _empty_row("programme", programme.name, programme.delivering_organisation)
        adjusted = _empty_row("programme", programme.name, programme.delivering_organisation)
        row["programme_id"] = programme.pk  # for the drill-down; never exported or published
        if programme.pk in spend:
            row["spend_in_quarter"] = _money(spend[programme.pk])
        for column, records in cells.get(programme.pk, {}).items():
            kind = disclosure_kind(column)
            row[column] = len(records)
            adjusted[column] = sum(1 + disclosure.adjustment(kind, key) for key in records)
        yield row, adjusted


def _money(amount) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def _award_rows(partnership_id, start, end, priority):
    awards = Award.objects.in_partnership(partnership_id).select_related(
        "decision__application__organisation", "decision__application__grant_round"
    )
    paid = dict(
        Tranche.objects.filter(award__in=awards, released_at__range=(start, end))
        .values("award")
        .annotate(total=Sum("amount"))
        .values_list("award", "total")
    )
    latest = {}
    for monitoring_return in MonitoringReturn.objects.filter(
        award__in=awards, status=MonitoringReturn.Status.APPROVED, approved_at__range=(start, end)
    ).order_by("award", "number"):
        latest[monitoring_return.award_id] = monitoring_return
    for award in sorted(
        (a for a in awards if a.pk in paid or a.pk in latest),
        key=lambda a: (str(a.decision.application.organisation), a.pk),
    ):
        application = award.decision.application
        name = f"{application.organisation} ({application.grant_round.title})"
        row = _empty_row("grant award", name, str(application.organisation))
        adjusted = _empty_row("grant award", name, str(application.organisation))
        for column in AWARD_FIGURES:
            row[column] = adjusted[column] = None  # until a monitoring return gives them
        if award.pk in paid:
            row["spend_in_quarter"] = _money(paid[award.pk])
        monitoring_return = latest.get(award.pk)
        if monitoring_return is not None:
            for band, count in (monitoring_return.young_people_by_age_band or {}).items():
                count = int(count)
                column = column_of(AGE_COLUMNS, band)
                row[column] += count
                if count:
                    adjusted[column] += max(
                        0,
                        count
                        + disclosure.adjustment(f"monitoring_return:{band}", monitoring_return.pk),
                    )
            in_priority = sum(
                int(n)
                for code, n in (monitoring_return.young_people_by_lsoa or {}).items()
                if code in priority
            )
            row["reached_in_priority_neighbourhoods"] = in_priority
            if in_priority:
                adjusted["reached_in_priority_neighbourhoods"] = max(
                    0,
                    in_priority + disclosure.adjustment("monitoring_return", monitoring_return.pk),
                )
            for column, field in AWARD_FIGURES.items():
                count = getattr(monitoring_return, field)
                if count is None:
                    continue  # a return sent before it asked for the figure
                row[column] = count
                adjusted[column] = (
                    max(
                        0,
                        count
                        + disclosure.adjustment(f"monitoring_return:{field}", monitoring_return.pk),
                    )
                    if count
                    else 0
                )
            for target in (row, adjusted):
                total = sum(target[name] for name, _ in AGE_COLUMNS)
                target["young_people_reached"] = total
                target["sex_not_known"] = total
                target["ethnicity_not_known"] = total
        yield row, adjusted


def _publish(row: dict, adjusted: dict) -> dict:
    """The row as it leaves the partnership: adjusted counts, small numbers hidden ("<5"),
    and each breakdown protected so that no hidden cell can be found by subtraction."""
    shown = dict(row)
    shown.pop("programme_id", None)
    total_hidden = False
    for columns in BREAKDOWNS.values():
        table = disclosure.protect_table(
            [[adjusted[name]] for name in columns], row_totals=False, column_totals=True
        )
        for name, cells in zip(columns, table.cells, strict=True):
            shown[name] = cells[0]
        total_hidden = total_hidden or bool(table.hidden_column_totals[0])
    reached = adjusted["young_people_reached"]
    shown["young_people_reached"] = (
        disclosure.SECONDARY_MARK
        if total_hidden and not disclosure.is_small(reached)
        else disclosure.shown_count(reached)
    )
    for column in (
        "new_starts",
        "completions",
        "outcomes_recorded",
        "reached_in_priority_neighbourhoods",
    ):
        value = adjusted[column]
        shown[column] = "" if value is None else disclosure.shown_count(value)
    return shown
