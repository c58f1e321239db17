"""The periods an impact report may cover: whole months, quarters and financial years.

The rule and its arithmetic are the core's (vru.periods), shared with the programme
dashboards; this module keeps the names evaluation's callers use."""

from vru.periods import (  # noqa: F401
    FIRST_MONTH_OF_FINANCIAL_YEAR,
    MONTHS_IN,
    OPTIONS_BACK,
    WHOLE_PERIOD_KINDS,
    WHOLE_PERIOD_MESSAGE,
    PeriodKind,
    period_end_of,
    period_kind_of,
    period_name,
    period_options,
    period_start_of,
    whole_period_error,
)
