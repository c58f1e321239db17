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
  LSOAs (vru.selectors.areas.priority_lsoa_codes).
- a **grant award** with a tranche released or a monitoring return approved in the quarter.
  Spend: tranches released in the quarter. Reach: the latest monitoring return approved in
  the quarter (its young people by age band and by LSOA); grant monitoring returns do not
  collect sex, ethnicity, starts, completions or outcomes, so reach is "not known" by sex and
  ethnicity and those three are left empty.

The published copy (outside the partnership) goes through the disclosure control
(vru.selectors.disclosure): each person counts with their fixed adjustment, then small
numbers are hidden and every breakdown is protected against subtraction from its total.
"""

from collections import defaultdict
from datetime import datetime, time
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from finance import permissions
from finance.models import QuarterlyReturn, QuarterlySpend, quarter_dates
from finance.models.returns import AGE_COLUMNS, BREAKDOWNS, ETHNICITY_COLUMNS, SEX_COLUMNS
from grants.models import Award, MonitoringReturn, Tranche
from programmes.models import Outcome, Programme, Referral
from vru.age_bands import AGE_NOT_KNOWN, band_of
from vru.models import User
from vru.selectors import disclosure
from vru.selectors.areas import priority_lsoa_codes

PERSON_KIND = "finance_return_person"
PEOPLE_COLUMNS = ("young_people_reached", "new_starts", "completions", "outcomes_recorded")


def returns_for(*, viewer: User) -> QuerySet[QuarterlyReturn]:
    if not permissions.can_view_returns(viewer):
        return QuarterlyReturn.objects.none()
    return QuarterlyReturn.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "produced_by", "reviewed_by", "locked_by", "supersedes"
    )


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    start, end = quarter_dates(year, quarter)
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


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
    first, last = quarter_dates(year, quarter)
    start, end = quarter_bounds(year, quarter)
    priority = priority_lsoa_codes(partnership_id)
    rows, published = [], []
    for row, adjusted in _programme_rows(
        partnership_id, year, quarter, start, end, first, last, priority
    ):
        rows.append(row)
        published.append(_publish(row, adjusted))
    for row, adjusted in _award_rows(partnership_id, start, end, priority):
        rows.append(row)
        published.append(_publish(row, adjusted))
    return rows, published


def _programme_rows(partnership_id, year, quarter, start, end, first, last, priority):
    programmes = {p.pk: p for p in Programme.objects.filter(partnership_id=partnership_id)}
    referrals = Referral.objects.filter(programme__partnership_id=partnership_id)
    # latest referral (with a contact in the quarter) of each person reached, per programme
    people: dict[int, dict[int, dict]] = defaultdict(dict)
    for r in (
        referrals.filter(contacts__occurred_at__range=(start, end))
        .distinct()
        .order_by("programme_id", "young_person_id", "referred_at", "pk")
        .values(
            "programme_id",
            "young_person_id",
            "age_at_referral",
            "lsoa__code",
            "young_person__gender",
            "young_person__ethnicity",
        )
    ):
        people[r["programme_id"]][r["young_person_id"]] = r
    starts = _people_by_programme(referrals.filter(first_contact_at__range=(start, end)))
    completions = _people_by_programme(
        referrals.filter(
            closed_at__range=(start, end), closure_reason=Referral.ClosureReason.COMPLETED
        )
    )
    outcomes = _ids_by_programme(
        Outcome.objects.filter(
            referral__programme__partnership_id=partnership_id, achieved_on__range=(first, last)
        ).values_list("referral__programme_id", "pk")
    )
    spend = dict(
        QuarterlySpend.objects.filter(
            programme__partnership_id=partnership_id, financial_year=year, quarter=quarter
        ).values_list("programme_id", "amount")
    )
    active = set(people) | set(starts) | set(completions) | set(outcomes) | set(spend)
    for programme in sorted((programmes[pk] for pk in active), key=lambda p: p.name):
        row = _empty_row("programme", programme.name, programme.delivering_organisation)
        adjusted = _empty_row("programme", programme.name, programme.delivering_organisation)
        if programme.pk in spend:
            row["spend_in_quarter"] = _money(spend[programme.pk])
        for person_id, r in people.get(programme.pk, {}).items():
            weight = 1 + disclosure.adjustment(PERSON_KIND, person_id)
            band = band_of(r["age_at_referral"]) or AGE_NOT_KNOWN[0]
            cells = [
                "young_people_reached",
                _column(AGE_COLUMNS, band),
                _column(SEX_COLUMNS, r["young_person__gender"]),
                _column(ETHNICITY_COLUMNS, r["young_person__ethnicity"]),
            ]
            if r["lsoa__code"] in priority:
                cells.append("reached_in_priority_neighbourhoods")
            for cell in cells:
                row[cell] += 1
                adjusted[cell] += weight
        for column, found in (("new_starts", starts), ("completions", completions)):
            for person_id in found.get(programme.pk, ()):
                row[column] += 1
                adjusted[column] += 1 + disclosure.adjustment(PERSON_KIND, person_id)
        for outcome_id in outcomes.get(programme.pk, ()):
            row["outcomes_recorded"] += 1
            adjusted["outcomes_recorded"] += 1 + disclosure.adjustment("outcome", outcome_id)
        yield row, adjusted


def _money(amount) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def _column(columns, value) -> str:
    for name, key in columns:
        if key == value:
            return name
    return columns[-1][0]  # not known


def _people_by_programme(referrals) -> dict[int, set[int]]:
    return _ids_by_programme(referrals.values_list("programme_id", "young_person_id").distinct())


def _ids_by_programme(pairs) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for programme_id, record_id in pairs:
        found[programme_id].add(record_id)
    return found


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
        for column in ("new_starts", "completions", "outcomes_recorded"):
            row[column] = adjusted[column] = None  # not collected by monitoring returns
        if award.pk in paid:
            row["spend_in_quarter"] = _money(paid[award.pk])
        monitoring_return = latest.get(award.pk)
        if monitoring_return is not None:
            for band, count in (monitoring_return.young_people_by_age_band or {}).items():
                count = int(count)
                column = _column(AGE_COLUMNS, band)
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
