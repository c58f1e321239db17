"""Every write to the core. Keyword-only, one transaction each, audited.

Callers import the package (`from vru import services`) and call `services.<name>`.
"""

from vru.services.accounts import user_create, user_roles_set
from vru.services.audit import audit_record, record_delete, record_save
from vru.services.imports import (
    ImportOutcome,
    RowError,
    import_job_create,
    import_job_run,
    import_rows,
    read_table,
)
from vru.services.strategy import (
    needs_assessment_create,
    needs_assessment_publish,
    success_measure_create,
)

__all__ = [
    "ImportOutcome",
    "RowError",
    "audit_record",
    "import_job_create",
    "import_job_run",
    "import_rows",
    "needs_assessment_create",
    "needs_assessment_publish",
    "read_table",
    "record_delete",
    "record_save",
    "success_measure_create",
    "user_create",
    "user_roles_set",
]
