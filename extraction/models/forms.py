"""The review's data extraction form, kept as data the lead edits in the browser."""

from django.db import models


class FieldKind(models.TextChoices):
    TEXT = "text", "Text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number (with unit)"
    INTEGER = "integer", "Whole number"
    CHOICE = "choice", "One choice"
    MULTI_CHOICE = "multi_choice", "Several choices"
    YES_NO_UNCLEAR = "yes_no_unclear", "Yes / no / unclear"
    DATE = "date", "Date"


CHOICE_KINDS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)


class ChoiceSource(models.TextChoices):
    OWN = "", "The choices listed on the field"
    COMPARATOR_TYPES = "comparator_types", "The review's comparator types"


class FormSection(models.Model):
    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="extraction_sections"
    )
    title = models.CharField(max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "title"], name="extraction_form_section_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    """One question of the form; answers are stored under ``key`` in each extraction."""

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="extraction_fields"
    )
    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(
        max_length=60, help_text="Short stable name used in exports, e.g. 'duration_weeks'."
    )
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=FieldKind.choices, default=FieldKind.TEXT)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)
    choices = models.JSONField(default=list, blank=True)
    choice_source = models.CharField(
        max_length=30, choices=ChoiceSource.choices, default=ChoiceSource.OWN, blank=True
    )
    unit = models.CharField(max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "key"], name="extraction_form_field_unique_key"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=FieldKind.values),
                name="extraction_form_field_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        """Return the choices offered, read from the review's vocabulary where the field says so."""
        if self.choice_source == ChoiceSource.COMPARATOR_TYPES:
            return list(self.review.comparator_types.values_list("name", flat=True))
        return [str(c) for c in self.choices or []]
