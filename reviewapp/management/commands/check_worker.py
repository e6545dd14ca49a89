import time

from django.core.management.base import BaseCommand, CommandError

from reviewapp.jobs import job_start
from reviewapp.models import Job


class Command(BaseCommand):
    help = "Send a health job through the task queue and wait for a worker to answer it."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options) -> None:  # noqa: ANN002, ANN003
        job = job_start(review=None, kind="health", task_name="reviewapp.worker_health")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.DONE:
                self.stdout.write(f"Worker answered: {job.result}")
                return
            if job.status == Job.Status.FAILED:
                raise CommandError(f"The health job failed: {job.error}")
            time.sleep(0.5)
        raise CommandError(
            f"No worker answered within {timeout:g} s ({job.message or job.status})."
        )
