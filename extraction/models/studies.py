"""Studies (a trial and its reports), who extracts each, and contact with their authors."""

from django.conf import settings
from django.db import models


class Study(models.Model):
    """One trial; it groups the included reports (records) that describe it.

    Extraction, risk of bias and analysis are per study, not per report.
    """

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="studies")
    label = models.CharField(
        max_length=120, help_text="How the review cites it, e.g. 'Cohen 1999'."
    )
    reports = models.ManyToManyField("reviewapp.Record", related_name="studies", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        verbose_name_plural = "studies"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "label"], name="study_unique_label_per_review"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class AuthorContact(models.Model):
    """One request to a study's investigators for missing information, and what came back."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="author_contacts")
    contacted = models.CharField(max_length=200, help_text="Who was asked (name, e-mail).")
    question = models.TextField(help_text="What was asked.")
    asked_on = models.DateField()
    reply = models.TextField(blank=True)
    replied_on = models.DateField(null=True, blank=True)
    data_received = models.TextField(blank=True, help_text="What data arrived, if any.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replied_on__isnull=True)
                | models.Q(replied_on__gte=models.F("asked_on")),
                name="author_contact_reply_not_before_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study}: asked {self.contacted} on {self.asked_on}"


class ExtractorAssignment(models.Model):
    """One reviewer who extracts a study independently (two per study by default)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extraction_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user"], name="extraction_assignment_one_per_user_study"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} extracts {self.study}"
