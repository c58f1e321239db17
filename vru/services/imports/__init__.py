"""Imports of reference data: validate every row, then save all or none.

- rows: what an import found (RowError, ImportOutcome) and the rules shared about rows;
- tables: reading a CSV or XLSX file into a table, every cell checked;
- resources: the pipeline for django-import-export resources (dry run, then save);
- jobs: the core's import jobs, run in Celery;
- expiry: what a finished import keeps of its file (row errors, a file still held),
  cleared after VRU_IMPORT_DETAILS_DAYS.
"""

from vru.services.imports.expiry import import_details_expire
from vru.services.imports.jobs import (
    IMPORT_JOB_RUN,
    import_job_create,
    import_job_hand_over,
    import_job_run,
)
from vru.services.imports.resources import (
    check_with_resource,
    import_rows,
    import_with_resource,
)
from vru.services.imports.rows import (
    MAX_SHARE_OUTSIDE,
    ImportOutcome,
    RowError,
    another_area_refusal,
    digest,
    in_chunks,
    records_pointing_at,
    skipped_by_reason,
    unquoted,
)
from vru.services.imports.tables import (
    FILE_FORMATS,
    MAX_CELL_CHARS,
    MAX_LISTED,
    check_cells,
    check_headers,
    csv_rows,
    decode_csv,
    has_values,
    padded_rows,
    read_table,
)

__all__ = [
    "FILE_FORMATS",
    "IMPORT_JOB_RUN",
    "MAX_CELL_CHARS",
    "MAX_LISTED",
    "MAX_SHARE_OUTSIDE",
    "ImportOutcome",
    "RowError",
    "another_area_refusal",
    "check_cells",
    "check_headers",
    "check_with_resource",
    "csv_rows",
    "decode_csv",
    "digest",
    "has_values",
    "import_details_expire",
    "import_job_create",
    "import_job_hand_over",
    "import_job_run",
    "import_rows",
    "import_with_resource",
    "in_chunks",
    "padded_rows",
    "read_table",
    "records_pointing_at",
    "skipped_by_reason",
    "unquoted",
]
