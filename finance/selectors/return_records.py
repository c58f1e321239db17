"""The records behind each count of a programme's row of the quarterly return: the one code
path that both computes the cells (finance.selectors.returns.compute_return counts them) and
lists them for the drill-down (so a list always has as many records as its figure).

For each programme and count column: {record key: referral id}. The key is the young person
(every column counting people: one entry per person, with their latest such referral) or the
outcome (``outcomes_recorded``). Reached: a contact in the quarter on a referral to the
programme; age band (from age at referral) and neighbourhood (home LSOA at referral) from the
latest such referral, sex and ethnicity from the young person's record. New starts: first
contact in the quarter. Completions: closed as completed in the quarter. Outcomes: achieved
in the quarter. Priority neighbourhoods: the current risk run's priority LSOAs.

These are ids only: who may see the referrals behind them is for programmes' selectors."""

from collections import defaultdict
from datetime import datetime, time

from django.utils import timezone

from finance import permissions
from finance.models import quarter_dates
from finance.models.returns import AGE_COLUMNS, ETHNICITY_COLUMNS, SEX_COLUMNS
from programmes.models import Outcome, Programme, Referral
from vru.age_bands import AGE_NOT_KNOWN, band_of
from vru.selectors.areas import priority_lsoa_codes

PERSON_KIND = "finance_return_person"
OUTCOME_KIND = "outcome"


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    start, end = quarter_dates(year, quarter)
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def column_of(columns, value) -> str:
    for name, key in columns:
        if key == value:
            return name
    return columns[-1][0]  # not known


def disclosure_kind(column: str) -> str:
    """What a record key of the column is, for its fixed disclosure adjustment."""
    return OUTCOME_KIND if column == "outcomes_recorded" else PERSON_KIND


def programme_cells(
    partnership_id: int, year: int, quarter: int, *, programme_id: int | None = None
) -> dict[int, dict[str, dict[int, int]]]:
    """programme id -> count column -> {record key: referral id} (keys in a stable order).
    Only the columns with a record appear. ``programme_id`` narrows it to one programme."""
    first, last = quarter_dates(year, quarter)
    start, end = quarter_bounds(year, quarter)
    priority = priority_lsoa_codes(partnership_id)
    referrals = Referral.objects.filter(programme__partnership_id=partnership_id)
    outcomes = Outcome.objects.filter(
        referral__programme__partnership_id=partnership_id, achieved_on__range=(first, last)
    )
    if programme_id is not None:
        referrals = referrals.filter(programme_id=programme_id)
        outcomes = outcomes.filter(referral__programme_id=programme_id)
    cells: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    latest = ("programme_id", "young_person_id", "referred_at", "pk")
    # the latest referral (with a contact in the quarter) of each person reached
    reached: dict[tuple[int, int], dict] = {}
    for r in (
        referrals.filter(contacts__occurred_at__range=(start, end))
        .distinct()
        .order_by(*latest)
        .values(
            "pk",
            "programme_id",
            "young_person_id",
            "referred_at",
            "age_at_referral",
            "lsoa__code",
            "young_person__gender",
            "young_person__ethnicity",
        )
    ):
        reached[(r["programme_id"], r["young_person_id"])] = r
    for (programme, person), r in reached.items():
        columns = [
            "young_people_reached",
            column_of(AGE_COLUMNS, band_of(r["age_at_referral"]) or AGE_NOT_KNOWN[0]),
            column_of(SEX_COLUMNS, r["young_person__gender"]),
            column_of(ETHNICITY_COLUMNS, r["young_person__ethnicity"]),
        ]
        if r["lsoa__code"] in priority:
            columns.append("reached_in_priority_neighbourhoods")
        for column in columns:
            cells[programme][column][person] = r["pk"]
    for column, found in (
        ("new_starts", referrals.filter(first_contact_at__range=(start, end))),
        (
            "completions",
            referrals.filter(
                closed_at__range=(start, end), closure_reason=Referral.ClosureReason.COMPLETED
            ),
        ),
    ):
        for programme, person, referral in found.order_by(*latest).values_list(
            "programme_id", "young_person_id", "pk"
        ):
            cells[programme][column][person] = referral  # the person's latest such referral
    for programme, outcome, referral in outcomes.order_by("pk").values_list(
        "referral__programme_id", "pk", "referral_id"
    ):
        cells[programme]["outcomes_recorded"][outcome] = referral
    return {programme: dict(columns) for programme, columns in cells.items()}


def cell_records(
    partnership_id: int, year: int, quarter: int, *, programme_id: int, column: str
) -> list[tuple[int, int]]:
    """(record key, referral id) of each record behind one cell, as it is counted now."""
    cells = programme_cells(partnership_id, year, quarter, programme_id=programme_id)
    return list(cells.get(programme_id, {}).get(column, {}).items())


def return_programme(*, quarterly_return, pk: int):
    """A programme of the return's partnership (None for any other)."""
    return Programme.objects.filter(partnership_id=quarterly_return.partnership_id, pk=pk).first()


def stored_figure(*, quarterly_return, programme, column: str) -> int:
    """The figure the return holds for the programme's cell (0 when it has no row for it):
    rows carry the programme's id; returns produced before that are matched by name."""
    for row in quarterly_return.rows:
        if row.get("intervention_type") != "programme":
            continue
        if "programme_id" in row:
            match = row["programme_id"] == programme.pk
        else:
            match = row.get("intervention") == programme.name
        if match:
            return row.get(column) or 0
    return 0


def return_cell_records(*, quarterly_return, programme, column: str) -> list[tuple[int, int]]:
    """The records behind one cell of the return's programme row, as they are now."""
    return cell_records(
        quarterly_return.partnership_id,
        quarterly_return.financial_year,
        quarterly_return.quarter,
        programme_id=programme.pk,
        column=column,
    )


def return_drill_downs(*, viewer, quarterly_return) -> dict[int, int]:
    """Row index -> programme id, for each programme row of the return whose figures the
    viewer may open (finance.permissions.can_drill_into_return)."""
    if not permissions.sees_true_return_counts(viewer):
        return {}
    programmes = {
        p.pk: p for p in Programme.objects.filter(partnership_id=quarterly_return.partnership_id)
    }
    by_name = {p.name: p for p in programmes.values()}
    drill = {}
    for index, row in enumerate(quarterly_return.rows):
        if row.get("intervention_type") != "programme":
            continue
        if "programme_id" in row:
            programme = programmes.get(row["programme_id"])
        else:
            programme = by_name.get(row.get("intervention"))
        if programme is not None and permissions.can_drill_into_return(viewer, programme):
            drill[index] = programme.pk
    return drill
