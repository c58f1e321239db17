from finance.services.funding import (
    allocation_add,
    allocation_remove,
    funding_stream_save,
    spend_record,
)
from finance.services.population_imports import population_import_job_create
from finance.services.providers import (
    contract_create,
    kpi_figure_record,
    provider_create,
    provider_staff_add,
)
from finance.services.returns import (
    return_correct,
    return_lock,
    return_produce,
    return_refresh,
    return_review,
)
from finance.services.spend_imports import spend_import_job_create

__all__ = [
    "allocation_add",
    "allocation_remove",
    "contract_create",
    "funding_stream_save",
    "kpi_figure_record",
    "population_import_job_create",
    "provider_create",
    "provider_staff_add",
    "return_correct",
    "return_lock",
    "return_produce",
    "return_refresh",
    "return_review",
    "spend_import_job_create",
    "spend_record",
]
