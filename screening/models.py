"""Models of the screening stage: one state row per record and stage, the reviewers' decisions,
the conflicts the adjudicator settles, full texts, and the relevance model's bookkeeping.

Invariants the code relies on are named database constraints: one decision per reviewer per
record and stage, one state row per record and stage, one conflict per state row, a reason for
every full-text exclusion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Stage(models.TextChoices):
    TITLE_ABSTRACT = "ta", "Title and abstract"
    FULL_TEXT = "ft", "Full text"


class Verdict(models.TextChoices):
    INCLUDE = "include", "Include"
    EXCLUDE = "exclude", "Exclude"
    UNSURE = "unsure", "Unsure"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Waiting for decisions"
    CONFLICT = "conflict", "Conflict: waiting for the adjudicator"
    INCLUDED = "included", "Included"
    EXCLUDED = "excluded", "Excluded"
    NOT_RETRIEVED = "not_retrieved", "Full text not retrievable"


RESOLVED_STATUSES = [ItemStatus.INCLUDED, ItemStatus.EXCLUDED, ItemStatus.NOT_RETRIEVED]


class ScreeningItem(models.Model):
    """The state of one unique record at one stage; the row locked when a decision lands.

    ``decision_count`` is kept in step with the decisions (inside the same locked transaction)
    so the queue can filter on it without counting; ``rank_score`` is the relevance model's
    score, so the queue orders in SQL.
    """

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey(
        "reviewapp.Record", on_delete=models.CASCADE, related_name="screening_items"
    )
    stage = models.CharField(max_length=2, choices=Stage.choices)
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    decision_count = models.PositiveSmallIntegerField(default=0)
    rank_score = models.FloatField(default=0.0)
    final_verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    final_reason = models.ForeignKey(
        "reviewapp.ExclusionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "stage"], name="screening_item_one_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="screening_item_stage_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values),
                name="screening_item_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ItemStatus.INCLUDED, ItemStatus.EXCLUDED])
                | ~models.Q(final_verdict=""),
                name="screening_item_resolved_has_verdict",
            ),
        ]
        indexes = [
            # The reviewer's queue: open rows of a stage, most relevant first.
            models.Index(
                fields=["review", "stage", "status", "-rank_score", "id"],
                name="screening_item_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} [{self.get_stage_display()}: {self.get_status_display()}]"

    @property
    def is_resolved(self) -> bool:
        return self.status in RESOLVED_STATUSES


class ScreeningDecision(models.Model):
    """One reviewer's decision on one record at one stage; changed in place until resolved."""

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ScreeningItem, on_delete=models.CASCADE, related_name="decisions")
    record = models.ForeignKey("reviewapp.Record", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=2, choices=Stage.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screening_decisions"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    reason = models.ForeignKey(
        "reviewapp.ExclusionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "stage", "reviewer"],
                name="screening_decision_one_per_reviewer_stage",
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values),
                name="screening_decision_verdict_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=Stage.FULL_TEXT, verdict=Verdict.EXCLUDE)
                | models.Q(reason__isnull=False),
                name="screening_decision_fulltext_exclude_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "item"], name="screening_decision_mine"),
            models.Index(fields=["review", "stage", "reviewer"], name="screening_decision_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.verdict} {self.record_id} ({self.stage})"


class ScreeningConflict(models.Model):
    """A disagreement on one record and stage, settled by the adjudicator's final decision."""

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ScreeningItem, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(max_length=40)
    detected_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    reason = models.ForeignKey(
        "reviewapp.ExclusionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["detected_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item"], name="screening_conflict_one_per_item"),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | ~models.Q(verdict=""),
                name="screening_conflict_resolved_has_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict on {self.item}"


def fulltext_upload_to(instance: FullText, filename: str) -> str:
    return f"fulltext/review-{instance.review_id}/record-{instance.record_id}.pdf"


class FullText(models.Model):
    """The full-text report of a record: an uploaded PDF, a link, or a note it was not found."""

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    record = models.ForeignKey("reviewapp.Record", on_delete=models.CASCADE, related_name="+")
    pdf = models.FileField(upload_to=fulltext_upload_to, blank=True)
    pdf_name = models.CharField(max_length=255, blank=True)
    link = models.URLField(max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record"], name="screening_fulltext_one_per_record"),
        ]

    def __str__(self) -> str:
        return f"Full text of {self.record}"


class RankingState(models.Model):
    """The relevance model's last training for a review, and its estimate of what remains."""

    review = models.OneToOneField("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    decisions_at_training = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(null=True, blank=True)
    n_included = models.PositiveIntegerField(default=0)
    n_excluded = models.PositiveIntegerField(default=0)
    n_ranked = models.PositiveIntegerField(default=0)
    estimated_relevant_remaining = models.FloatField(null=True, blank=True)
    model_name = models.CharField(max_length=60, blank=True)
    seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"Ranking of {self.review}"
