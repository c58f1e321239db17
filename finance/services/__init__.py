from finance.services.funding import (
    allocation_add,
    allocation_remove,
    funding_stream_save,
    spend_record,
)
from finance.services.population_imports import population_import_job_create
from finance.services.providers import (
    contract_create,
    contract_update,
    kpi_delete,
    kpi_figure_record,
    kpi_save,
    provider_create,
    provider_staff_add,
    provider_staff_remove,
    provider_update,
)
from finance.services.returns import (
    return_correct,
    return_lock,
    return_produce,
    return_records_viewed,
    return_refresh,
    return_review,
)
from finance.services.spend_imports import spend_import_job_create

__all__ = [
    "allocation_add",
    "allocation_remove",
    "contract_create",
    "contract_update",
    "funding_stream_save",
    "kpi_delete",
    "kpi_figure_record",
    "kpi_save",
    "population_import_job_create",
    "provider_create",
    "provider_staff_add",
    "provider_staff_remove",
    "provider_update",
    "return_correct",
    "return_lock",
    "return_produce",
    "return_records_viewed",
    "return_refresh",
    "return_review",
    "spend_import_job_create",
    "spend_record",
]
