from finance.selectors.fair_reach import fair_reach, katz_interval
from finance.selectors.funding import (
    SpendLine,
    allocations,
    funding_streams,
    quarters_starting_within,
    recorded_spend,
    spend_against_allocation,
    spend_by_programme,
    spend_records,
    spend_within,
)
from finance.selectors.imports import population_import_jobs, spend_import_jobs
from finance.selectors.providers import (
    contract_kpi,
    contract_kpis,
    contract_programmes,
    contracts,
    kpi_figures,
    provider_staff,
    provider_staff_choices,
    providers,
)
from finance.selectors.return_records import (
    return_cell_records,
    return_drill_downs,
    return_programme,
    stored_figure,
)
from finance.selectors.returns import compute_return, returns_for

__all__ = [
    "SpendLine",
    "allocations",
    "compute_return",
    "contract_kpi",
    "contract_kpis",
    "contract_programmes",
    "contracts",
    "fair_reach",
    "funding_streams",
    "katz_interval",
    "kpi_figures",
    "population_import_jobs",
    "provider_staff",
    "provider_staff_choices",
    "providers",
    "quarters_starting_within",
    "recorded_spend",
    "return_cell_records",
    "return_drill_downs",
    "return_programme",
    "returns_for",
    "spend_against_allocation",
    "spend_by_programme",
    "spend_import_jobs",
    "spend_records",
    "spend_within",
    "stored_figure",
]
