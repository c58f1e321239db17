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
from finance.selectors.imports import spend_import_jobs

__all__ = [
    "SpendLine",
    "allocations",
    "funding_streams",
    "quarters_starting_within",
    "recorded_spend",
    "spend_against_allocation",
    "spend_by_programme",
    "spend_import_jobs",
    "spend_records",
    "spend_within",
]
