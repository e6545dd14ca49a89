"""Background imports: a thin task around the import service."""

from celery import shared_task
from django.contrib.auth import get_user_model

from reviewapp.jobs import job_run
from reviewapp.references.services import batch_import


@shared_task(name="references.import_batch", acks_late=True, soft_time_limit=1800, time_limit=1900)
def import_batch_task(job_id: int) -> None:
    def work(job):  # noqa: ANN001, ANN202
        arguments = job.arguments
        actor = get_user_model().objects.filter(pk=arguments.get("actor_id")).first()
        return batch_import(
            actor=actor, batch_id=arguments["batch_id"], on_error=arguments["on_error"], job=job
        )

    job_run(job_id, work)
