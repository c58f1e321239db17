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
from finance.models.population import (
    ALL_AGES,
    COMPARED_GROUPS,
    PopulationEthnicGroup,
    PopulationFigure,
    PopulationSex,
    compared_group,
)
from finance.models.providers import KPI, Contract, KPIFigure, Provider, ProviderStaff
from finance.models.returns import BREAKDOWNS, COLUMNS, COUNT_COLUMNS, QuarterlyReturn

__all__ = [
    "ALL_AGES",
    "BREAKDOWNS",
    "COLUMNS",
    "COMPARED_GROUPS",
    "COUNT_COLUMNS",
    "KPI",
    "Allocation",
    "Contract",
    "FundingStream",
    "KPIFigure",
    "PopulationEthnicGroup",
    "PopulationFigure",
    "PopulationSex",
    "Provider",
    "ProviderStaff",
    "Quarter",
    "QuarterlyReturn",
    "QuarterlySpend",
    "compared_group",
    "financial_year_label",
    "financial_year_of",
    "quarter_dates",
    "quarter_of",
]
