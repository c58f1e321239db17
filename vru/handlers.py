"""Outbox handlers for vru's own work (vru.services.outbox): long jobs handed to Celery."""

from vru.models import OutboxMessage
from vru.services.imports import IMPORT_JOB_RUN, import_job_hand_over
from vru.services.outbox import handler


@handler(IMPORT_JOB_RUN)
def import_job_run(message: OutboxMessage) -> None:
    import_job_hand_over(job_id=message.target_id)
