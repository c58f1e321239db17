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

__all__ = [
    "Allocation",
    "FundingStream",
    "Quarter",
    "QuarterlySpend",
    "financial_year_label",
    "financial_year_of",
    "quarter_dates",
    "quarter_of",
]
