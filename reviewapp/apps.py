from django.apps import AppConfig


class ReviewAppConfig(AppConfig):
    name = "reviewapp"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Register every app's tasks now, so jobs can be dispatched by name from web processes
        # too (Celery's lazy autodiscovery only runs inside a worker).
        from reviewapp.celery import app

        app.autodiscover_tasks(force=True)
