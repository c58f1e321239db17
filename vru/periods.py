"""The periods a published figure may cover: whole months, quarters and financial years
(UK, from 1 April), and the presets pages offer (this quarter, last quarter, this financial
year).

Two reports whose periods overlap can be subtracted from each other ("differencing"): a
report of 1 April to 31 May and one of 1 April to 30 May give away the people counted on
31 May, however well each is suppressed. Reports for people outside casework therefore
cover only whole calendar periods (a month, a quarter, or a financial year from April to
March), which nest inside each other instead of overlapping by a day. Staff may still choose
any dates for their own use; such a report is "custom" and is never shown outside casework.

The same rule holds for the programme dashboards (and any other page of figures with a date
range): whoever sees protected figures chooses whole periods only.

Pure date arithmetic (no database): the period kind follows from the dates, so it is
computed here and never trusted from a door. Who may choose what is decided by each caller
(evaluation.services.reports.report_period_check; programmes.selectors.programme_dashboard).
"""

import datetime

from django.db import models


class PeriodKind(models.TextChoices):
    MONTH = "month", "A month"
    QUARTER = "quarter", "A quarter"
    FINANCIAL_YEAR = "financial_year", "A financial year (April to March)"
    CUSTOM = "custom", "Other dates (staff only)"


WHOLE_PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.FINANCIAL_YEAR)

# How far back the form offers each kind of period (the newest is the one running today).
OPTIONS_BACK = {PeriodKind.MONTH: 36, PeriodKind.QUARTER: 16, PeriodKind.FINANCIAL_YEAR: 6}

FIRST_MONTH_OF_FINANCIAL_YEAR = 4  # April


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start_of(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the whole period of `kind` that contains `day`."""
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    if kind == PeriodKind.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if kind == PeriodKind.FINANCIAL_YEAR:
        year = day.year if day.month >= FIRST_MONTH_OF_FINANCIAL_YEAR else day.year - 1
        return datetime.date(year, FIRST_MONTH_OF_FINANCIAL_YEAR, 1)
    raise ValueError(f"{kind!r} is not a whole period.")


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.FINANCIAL_YEAR: 12}


def period_end_of(kind: str, start: datetime.date) -> datetime.date:
    """The last day of the whole period of `kind` starting on `start`."""
    return _add_months(start, MONTHS_IN[kind]) - datetime.timedelta(days=1)


def period_kind_of(start: datetime.date, end: datetime.date) -> str:
    """The kind of period from `start` to `end` (both included): a whole month, quarter or
    financial year if the dates are exactly one, otherwise custom."""
    for kind in WHOLE_PERIOD_KINDS:
        if period_start_of(kind, start) == start and period_end_of(kind, start) == end:
            return kind
    return PeriodKind.CUSTOM


def period_name(kind: str, start: datetime.date, end: datetime.date) -> str:
    """How people name the period: "November 2026", "October to December 2026",
    "Financial year 2026 to 2027", or the dates."""
    if kind == PeriodKind.MONTH:
        return f"{start:%B %Y}"
    if kind == PeriodKind.QUARTER:
        return f"{start:%B} to {end:%B %Y}"
    if kind == PeriodKind.FINANCIAL_YEAR:
        return f"Financial year {start.year} to {end.year}"
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def period_options(kind: str, *, today: datetime.date) -> list[tuple[str, str]]:
    """(first day as ISO date, name) of the whole periods of `kind` the form offers,
    newest first, starting with the one running today."""
    start = period_start_of(kind, today)
    options = []
    for _ in range(OPTIONS_BACK[kind]):
        end = period_end_of(kind, start)
        options.append((start.isoformat(), period_name(kind, start, end)))
        start = _add_months(start, -MONTHS_IN[kind])
    return options


WHOLE_PERIOD_MESSAGE = "Choose a whole month, a quarter or a financial year (April to March)."


def whole_period_error(
    start: datetime.date | None, end: datetime.date | None, *, whole_only: bool
) -> str | None:
    """Why these dates may not be published to someone who chooses whole periods only (every
    published figure covers a whole month, quarter or financial year, or all time), or None."""
    if not whole_only or (start is None and end is None):
        return None
    if start is None or end is None or end < start:
        return WHOLE_PERIOD_MESSAGE
    return None if period_kind_of(start, end) in WHOLE_PERIOD_KINDS else WHOLE_PERIOD_MESSAGE


# --- Presets: the periods a page offers in one click ------------------------------------


class Preset(models.TextChoices):
    THIS_QUARTER = "this_quarter", "This quarter"
    LAST_QUARTER = "last_quarter", "Last quarter"
    THIS_FINANCIAL_YEAR = "this_financial_year", "This financial year"
    LAST_FINANCIAL_YEAR = "last_financial_year", "Last financial year"


def preset_dates(preset: str, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of a preset period containing or just before `today`. Each is
    a whole quarter or financial year, so presets are open to every viewer."""
    if preset == Preset.THIS_QUARTER:
        start = period_start_of(PeriodKind.QUARTER, today)
        return start, period_end_of(PeriodKind.QUARTER, start)
    if preset == Preset.LAST_QUARTER:
        start = _add_months(period_start_of(PeriodKind.QUARTER, today), -3)
        return start, period_end_of(PeriodKind.QUARTER, start)
    if preset == Preset.THIS_FINANCIAL_YEAR:
        start = period_start_of(PeriodKind.FINANCIAL_YEAR, today)
        return start, period_end_of(PeriodKind.FINANCIAL_YEAR, start)
    if preset == Preset.LAST_FINANCIAL_YEAR:
        start = _add_months(period_start_of(PeriodKind.FINANCIAL_YEAR, today), -12)
        return start, period_end_of(PeriodKind.FINANCIAL_YEAR, start)
    raise ValueError(f"{preset!r} is not a preset period.")


def presets(*, today: datetime.date) -> list[dict]:
    """Every preset with its dates and name, for the links above a date range."""
    result = []
    for preset in Preset:
        start, end = preset_dates(preset, today=today)
        kind = period_kind_of(start, end)
        result.append(
            {
                "key": preset.value,
                "label": preset.label,
                "start": start,
                "end": end,
                "name": period_name(kind, start, end),
            }
        )
    return result
