"""One extractor's (or the consensus) answers, arms, comparisons and outcome numbers for a study."""

from django.conf import settings
from django.db import models

from extraction.models.studies import Study


class Extraction(models.Model):
    """An extractor's independent extraction of a study, or the consensus of two.

    ``answers`` maps form field keys to values; ``{"not_reported": true}`` marks a value the
    reports do not give, which is not the same as a field left empty. ``resolutions`` (consensus
    only) records, per cell, how the agreed value was reached.
    """

    class Kind(models.TextChoices):
        EXTRACTOR = "extractor", "Extractor"
        CONSENSUS = "consensus", "Consensus"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="extractions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXTRACTOR)
    extractor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extractions",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    resolutions = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["study", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "extractor"],
                condition=models.Q(kind="extractor"),
                name="extraction_one_per_extractor_per_study",
            ),
            models.UniqueConstraint(
                fields=["study"],
                condition=models.Q(kind="consensus"),
                name="extraction_one_consensus_per_study",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="extractor", extractor__isnull=False)
                | models.Q(kind="consensus", extractor__isnull=True),
                name="extraction_extractor_only_on_extractor_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="extraction_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        who = self.extractor or "consensus"
        return f"{self.study} — {who} ({self.status})"

    @property
    def is_consensus(self) -> bool:
        return self.kind == self.Kind.CONSENSUS


class Arm(models.Model):
    """A group of participants as randomised in the trial."""

    extraction = models.ForeignKey(Extraction, on_delete=models.CASCADE, related_name="arms")
    label = models.CharField(max_length=120, help_text="As the report names it.")
    description = models.CharField(max_length=500, blank=True)
    n_randomised = models.PositiveIntegerField(null=True, blank=True)
    n_analysed = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["extraction", "label"], name="extraction_arm_unique_label"
            ),
            models.CheckConstraint(
                condition=models.Q(n_randomised__isnull=True) | models.Q(n_randomised__gte=1),
                name="extraction_arm_randomised_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(n_analysed__isnull=True)
                | models.Q(n_randomised__isnull=True)
                | models.Q(n_analysed__lte=models.F("n_randomised")),
                name="extraction_arm_analysed_within_randomised",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Comparison(models.Model):
    """Which arms play intervention and control; arms on one side are combined (Handbook 6.5.2.10)."""

    extraction = models.ForeignKey(Extraction, on_delete=models.CASCADE, related_name="comparisons")
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["extraction", "label"], name="extraction_comparison_unique_label"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ArmRole(models.Model):
    class Role(models.TextChoices):
        INTERVENTION = "intervention", "Intervention"
        CONTROL = "control", "Control"

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="roles")
    arm = models.ForeignKey(Arm, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["comparison", "role", "arm__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "arm"], name="extraction_arm_one_role_per_comparison"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["intervention", "control"]),
                name="extraction_arm_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arm} as {self.role} in {self.comparison}"


class DataType(models.TextChoices):
    CONTINUOUS = "continuous", "Continuous (mean, SD, N)"
    DICHOTOMOUS = "dichotomous", "Dichotomous (events, N)"


class ChangeOrFinal(models.TextChoices):
    FINAL = "final", "Final values"
    CHANGE = "change", "Change from baseline"


# The numbers of a result, in the order the forms and the comparison show them.
NUMBER_FIELDS = ["mean", "sd", "se", "ci_lower", "ci_upper", "t_value", "n", "events"]


class OutcomeResult(models.Model):
    """The numbers for one arm, measure and time point, as the report gives them.

    SD may be missing when SE, a 95% CI or a t statistic is given instead; the selectors
    derive it (Cochrane Handbook 6.5.2). ``not_reported`` lists the numbers the reports do not
    give; ``sources`` maps each number to where it was found (page, table).
    """

    extraction = models.ForeignKey(Extraction, on_delete=models.CASCADE, related_name="results")
    arm = models.ForeignKey(Arm, on_delete=models.CASCADE, related_name="results")
    measure = models.ForeignKey("reviewapp.Measure", on_delete=models.PROTECT, related_name="+")
    time_point = models.ForeignKey(
        "reviewapp.TimePoint", on_delete=models.PROTECT, related_name="+"
    )
    data_type = models.CharField(
        max_length=12, choices=DataType.choices, default=DataType.CONTINUOUS
    )
    change_or_final = models.CharField(
        max_length=6, choices=ChangeOrFinal.choices, default=ChangeOrFinal.FINAL
    )
    higher_is_better = models.BooleanField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    sd = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    ci_lower = models.FloatField(null=True, blank=True)
    ci_upper = models.FloatField(null=True, blank=True)
    t_value = models.FloatField(
        null=True, blank=True, help_text="t statistic of the difference between the arms."
    )
    n = models.PositiveIntegerField(null=True, blank=True)
    events = models.PositiveIntegerField(null=True, blank=True)
    not_reported = models.JSONField(default=list, blank=True)
    sources = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["measure__order", "time_point__order", "arm__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["arm", "measure", "time_point"],
                name="extraction_result_one_per_arm_measure_time",
            ),
            models.CheckConstraint(
                condition=models.Q(sd__isnull=True) | models.Q(sd__gte=0),
                name="extraction_result_sd_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(se__isnull=True) | models.Q(se__gte=0),
                name="extraction_result_se_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(n__isnull=True) | models.Q(n__gte=1),
                name="extraction_result_n_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(events__isnull=True)
                | models.Q(n__isnull=True)
                | models.Q(events__lte=models.F("n")),
                name="extraction_result_events_within_n",
            ),
            models.CheckConstraint(
                condition=models.Q(ci_lower__isnull=True)
                | models.Q(ci_upper__isnull=True)
                | models.Q(ci_lower__lte=models.F("ci_upper")),
                name="extraction_result_ci_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(data_type__in=DataType.values),
                name="extraction_result_data_type_known",
            ),
            models.CheckConstraint(
                condition=models.Q(change_or_final__in=ChangeOrFinal.values),
                name="extraction_result_change_or_final_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arm} · {self.measure} · {self.time_point}"
