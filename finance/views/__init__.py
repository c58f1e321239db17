from finance.views.funding import overview, spend_record, stream_detail, stream_list
from finance.views.imports import (
    spend_import,
    spend_import_job,
    spend_import_job_cancel,
    spend_import_job_restore,
)

__all__ = [
    "overview",
    "spend_import",
    "spend_import_job",
    "spend_import_job_cancel",
    "spend_import_job_restore",
    "spend_record",
    "stream_detail",
    "stream_list",
]
