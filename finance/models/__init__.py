from finance.models.funding import (
    Allocation,
    FundingStream,
    Quarter,
    QuarterlySpend,
    financial_year_label,
    financial_year_of,
    quarter_dates,
    quarter_of,
)
from finance.models.returns import BREAKDOWNS, COLUMNS, COUNT_COLUMNS, QuarterlyReturn

__all__ = [
    "BREAKDOWNS",
    "COLUMNS",
    "COUNT_COLUMNS",
    "Allocation",
    "FundingStream",
    "Quarter",
    "QuarterlyReturn",
    "QuarterlySpend",
    "financial_year_label",
    "financial_year_of",
    "quarter_dates",
    "quarter_of",
]
