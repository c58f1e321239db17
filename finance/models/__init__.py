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
from finance.models.providers import KPI, Contract, KPIFigure, Provider, ProviderStaff
from finance.models.returns import BREAKDOWNS, COLUMNS, COUNT_COLUMNS, QuarterlyReturn

__all__ = [
    "BREAKDOWNS",
    "COLUMNS",
    "COUNT_COLUMNS",
    "KPI",
    "Allocation",
    "Contract",
    "FundingStream",
    "KPIFigure",
    "Provider",
    "ProviderStaff",
    "Quarter",
    "QuarterlyReturn",
    "QuarterlySpend",
    "financial_year_label",
    "financial_year_of",
    "quarter_dates",
    "quarter_of",
]
