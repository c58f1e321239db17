from finance.selectors.funding import (
    SpendLine,
    allocations,
    funding_streams,
    quarters_starting_within,
    recorded_spend,
    spend_against_allocation,
    spend_records,
)
from finance.selectors.imports import spend_import_jobs

__all__ = [
    "SpendLine",
    "allocations",
    "funding_streams",
    "quarters_starting_within",
    "recorded_spend",
    "spend_against_allocation",
    "spend_import_jobs",
    "spend_records",
]
