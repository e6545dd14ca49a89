"""A review's protocol vocabulary: data the lead edits, never code."""

from django.db import models

from reviewapp.models.reviews import Review


class VocabularyItem(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class OutcomeDomain(VocabularyItem):
    class Importance(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    class Group(models.TextChoices):
        PARENT = "parent", "Parent"
        RELATIONSHIP = "relationship", "Parent-infant relationship"
        INFANT = "infant", "Infant"
        ADVERSE = "adverse", "Adverse effects"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcome_domains")
    importance = models.CharField(max_length=20, choices=Importance.choices)
    group = models.CharField(max_length=20, choices=Group.choices)

    class Meta(VocabularyItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="outcome_domain_unique_name"),
        ]


class Measure(VocabularyItem):
    """An instrument that measures an outcome domain (BDI, CARE-Index, ...)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="measures")
    domain = models.ForeignKey(OutcomeDomain, on_delete=models.CASCADE, related_name="measures")
    abbreviation = models.CharField(max_length=40, blank=True)
    higher_is_better = models.BooleanField(
        null=True, blank=True, help_text="Leave unknown if it depends on the subscale."
    )
    scale_min = models.FloatField(null=True, blank=True)
    scale_max = models.FloatField(null=True, blank=True)

    class Meta(VocabularyItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="measure_unique_name"),
            models.CheckConstraint(
                condition=models.Q(scale_min__isnull=True)
                | models.Q(scale_max__isnull=True)
                | models.Q(scale_min__lt=models.F("scale_max")),
                name="measure_scale_min_below_max",
            ),
        ]


class TimePoint(VocabularyItem):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="time_points")
    months_after_intervention = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for 'post-intervention'."
    )

    class Meta(VocabularyItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="time_point_unique_name"),
        ]


class ExclusionReason(VocabularyItem):
    """A reason a full-text report is excluded, drawn from the eligibility criteria."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="exclusion_reasons")

    class Meta(VocabularyItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="exclusion_reason_unique_name"),
        ]


class ComparatorType(VocabularyItem):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comparator_types")
    is_active_treatment = models.BooleanField(
        default=False, help_text="An active therapy rather than a control condition."
    )

    class Meta(VocabularyItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="comparator_type_unique_name"),
        ]
