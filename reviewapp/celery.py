"""The Celery application; tasks live in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewapp.settings")

app = Celery("reviewapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def requeue_on_worker_start(**_kwargs) -> None:  # noqa: ANN003
    # Jobs written while the broker was down are sent now that a worker is listening.
    from reviewapp.jobs import requeue_waiting_jobs

    requeue_waiting_jobs()
