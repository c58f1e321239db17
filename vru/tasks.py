from celery import shared_task

from vru import services


@shared_task(acks_late=True)
def import_job_run(job_id: int) -> str:
    return services.import_job_run(job_id=job_id).status
