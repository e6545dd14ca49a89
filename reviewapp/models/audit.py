from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003 - Django's signature
        raise TypeError("The audit trail is append-only: events cannot be updated.")

    def delete(self):
        raise TypeError("The audit trail is append-only: events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened in a review. Rows are only ever added.

    The object is kept as a label and an id rather than a foreign key, so that the trail
    survives the object's deletion; the actor and review are SET_NULL with copied names.
    On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE as well.
    """

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.SET_NULL, null=True, related_name="audit_events"
    )
    review_slug = models.CharField(max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["review", "-at"], name="audit_review_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit trail is append-only: events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise TypeError("The audit trail is append-only: events cannot be deleted.")
