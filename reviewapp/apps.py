from django.apps import AppConfig

# The apps of the review workflow, in workflow order: the dashboard shows their panels in this
# order and a review export walks their models (one list, so a new stage app is not half-wired).
WORKFLOW_APPS = ("reviewapp", "screening", "extraction", "riskofbias", "analysis")


class ReviewAppConfig(AppConfig):
    name = "reviewapp"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Register every app's tasks now, so jobs can be dispatched by name from web processes
        # too (Celery's lazy autodiscovery only runs inside a worker).
        from reviewapp.celery import app

        app.autodiscover_tasks(force=True)
