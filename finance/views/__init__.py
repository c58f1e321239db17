from finance.views.fair_reach import fair_reach
from finance.views.funding import overview, spend_record, stream_detail, stream_list
from finance.views.imports import (
    spend_import,
    spend_import_job,
    spend_import_job_cancel,
    spend_import_job_restore,
)
from finance.views.population import (
    population_import,
    population_import_job,
    population_import_job_cancel,
    population_import_job_restore,
)
from finance.views.provider_upkeep import (
    contract_create,
    contract_edit,
    kpi_create,
    kpi_delete,
    kpi_edit,
    provider_edit,
    provider_list,
    provider_staff,
    provider_staff_remove,
)
from finance.views.providers import contract_detail, contract_list, kpi_figure_record
from finance.views.return_records import return_records
from finance.views.returns import (
    return_correct,
    return_detail,
    return_export,
    return_list,
    return_lock,
    return_refresh,
    return_review,
)

__all__ = [
    "contract_create",
    "contract_detail",
    "contract_edit",
    "contract_list",
    "fair_reach",
    "kpi_create",
    "kpi_delete",
    "kpi_edit",
    "kpi_figure_record",
    "overview",
    "population_import",
    "population_import_job",
    "population_import_job_cancel",
    "population_import_job_restore",
    "provider_edit",
    "provider_list",
    "provider_staff",
    "provider_staff_remove",
    "return_correct",
    "return_detail",
    "return_export",
    "return_list",
    "return_lock",
    "return_records",
    "return_refresh",
    "return_review",
    "spend_import",
    "spend_import_job",
    "spend_import_job_cancel",
    "spend_import_job_restore",
    "spend_record",
    "stream_detail",
    "stream_list",
]
