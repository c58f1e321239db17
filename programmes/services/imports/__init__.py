"""Bulk import of referrals from a custody spreadsheet (CSV or XLSX): reading, validation,
loading (COPY on PostgreSQL), and the Celery job that runs it with visible progress."""

from programmes.services.imports.reading import read_rows
from programmes.services.imports.service import (
    ReferralImportOutcome,
    referral_import_job_create,
    referral_import_job_run,
    referrals_import,
)
from programmes.services.imports.validation import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ReferralImportOutcome",
    "read_rows",
    "referral_import_job_create",
    "referral_import_job_run",
    "referrals_import",
]
