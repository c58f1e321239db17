"""Young people's rights: subject access (and correction, erasure) requests, the records
gathered for them and their redactions, and the per-kind retention runs."""

from rights.models.requests import GatheredItem, Redaction, SubjectAccessRequest
from rights.models.retention import KindRetentionRun

__all__ = ["GatheredItem", "KindRetentionRun", "Redaction", "SubjectAccessRequest"]
