"""Writes of the rights app (young people's rights under UK GDPR, and retention per kind)."""

from rights.services.gather import disclosures_made, request_gather
from rights.services.request_retention import request_copies_expire, requests_expire
from rights.services.requests import (
    REQUEST_DUE,
    erasure_decide,
    erasure_obstacles,
    request_create,
    request_extend,
    request_finish,
    request_reminder_send,
    request_reminders_enqueue,
)
from rights.services.resume import request_gather_again, request_gathers_resume
from rights.services.retention import retention_apply
from rights.services.review import (
    ALREADY_DOWNLOADED,
    bundle_download,
    item_redact,
    items_viewed,
    redaction_remove,
    request_gather_start,
)

__all__ = [
    "ALREADY_DOWNLOADED",
    "REQUEST_DUE",
    "bundle_download",
    "disclosures_made",
    "erasure_decide",
    "erasure_obstacles",
    "item_redact",
    "items_viewed",
    "redaction_remove",
    "request_copies_expire",
    "request_create",
    "request_extend",
    "request_finish",
    "request_gather",
    "request_gather_again",
    "request_gather_start",
    "request_gathers_resume",
    "request_reminder_send",
    "request_reminders_enqueue",
    "requests_expire",
    "retention_apply",
]
