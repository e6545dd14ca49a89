"""Models of the Analysis stage: comparisons, planned analyses, their stored results and GRADE.

A result (``AnalysisRun``) is written once per distinct input: its hash is unique per
analysis, so a retried or repeated job finds the row instead of adding a second one.
"""

from django.conf import settings
from django.db import models


class EffectMeasure(models.TextChoices):
    MD = "MD", "Mean difference"
    SMD = "SMD", "Standardised mean difference"
    RR = "RR", "Risk ratio"


class EffectModel(models.TextChoices):
    RANDOM = "random", "Random effects"
    FIXED = "fixed", "Fixed effect"


class Tau2Method(models.TextChoices):
    REML = "REML", "Restricted maximum likelihood"
    DL = "DL", "DerSimonian-Laird"
    PM = "PM", "Paule-Mandel"


class DataType(models.TextChoices):
    CONTINUOUS = "continuous", "Continuous"
    DICHOTOMOUS = "dichotomous", "Dichotomous"


class Comparison(models.Model):
    """A comparison the review plans (e.g. parent-infant psychotherapy vs control).

    A study's comparison (from extraction) belongs here when its comparator type is one of
    ``comparator_types`` or its label equals ``name``.
    """

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="analysis_comparisons"
    )
    name = models.CharField(max_length=200)
    intervention_label = models.CharField(max_length=120, default="Parent-infant psychotherapy")
    comparator_label = models.CharField(max_length=120, default="Control")
    comparator_types = models.ManyToManyField(
        "reviewapp.ComparatorType", related_name="analysis_comparisons", blank=True
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "name"], name="analysis_comparison_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Analysis(models.Model):
    """One meta-analysis: a comparison × outcome domain × time point, with its options.

    ``measure`` is set when every study uses the same instrument (MD); it is empty for an
    SMD across instruments. ``excluded_studies`` maps a study id (as text) to the reason.
    """

    review = models.ForeignKey("reviewapp.Review", on_delete=models.CASCADE, related_name="+")
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="analyses")
    domain = models.ForeignKey(
        "reviewapp.OutcomeDomain", on_delete=models.PROTECT, related_name="+"
    )
    measure = models.ForeignKey(
        "reviewapp.Measure", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    time_point = models.ForeignKey(
        "reviewapp.TimePoint", on_delete=models.PROTECT, related_name="+"
    )
    data_type = models.CharField(max_length=12, choices=DataType.choices)
    effect_measure = models.CharField(max_length=3, choices=EffectMeasure.choices)
    model = models.CharField(max_length=6, choices=EffectModel.choices, default=EffectModel.RANDOM)
    tau2_method = models.CharField(
        max_length=4, choices=Tau2Method.choices, default=Tau2Method.REML
    )
    hksj = models.BooleanField(default=False, verbose_name="Hartung-Knapp-Sidik-Jonkman")
    favours_left = models.CharField(max_length=80, default="Favours control")
    favours_right = models.CharField(max_length=80, default="Favours intervention")
    excluded_studies = models.JSONField(default=dict, blank=True)
    sensitivity_rob_domain = models.CharField(
        max_length=60,
        blank=True,
        verbose_name="Sensitivity: risk-of-bias domain",
        help_text="Also analyse without the studies at high risk on this domain.",
    )
    extra_subgroup = models.CharField(
        max_length=60,
        blank=True,
        verbose_name="Subgroups: another study characteristic",
        help_text="Subgroup by this characteristic too (the protocol's four are always run).",
    )
    sof_comment = models.TextField(blank=True)
    current_run = models.ForeignKey(
        "AnalysisRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The result for the data as they were at the last run.",
    )
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["comparison__order", "order", "id"]
        verbose_name_plural = "analyses"
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "domain", "time_point", "data_type"],
                name="analysis_one_per_comparison_outcome_time",
            ),
            models.CheckConstraint(
                condition=models.Q(effect_measure="RR", data_type="dichotomous")
                | models.Q(effect_measure__in=["MD", "SMD"], data_type="continuous"),
                name="analysis_measure_fits_data_type",
            ),
            models.CheckConstraint(
                condition=models.Q(model__in=EffectModel.values),
                name="analysis_model_known",
            ),
            models.CheckConstraint(
                condition=models.Q(tau2_method__in=Tau2Method.values),
                name="analysis_tau2_method_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comparison} · {self.domain} · {self.time_point}"

    @property
    def outcome_label(self) -> str:
        instrument = self.measure.abbreviation or self.measure.name if self.measure else ""
        return f"{self.domain.name} ({instrument})" if instrument else self.domain.name


class AnalysisRun(models.Model):
    """The result of an analysis for one exact input, written whole in one transaction.

    ``result`` holds both the fixed- and the random-effects results (engine JSON), and the
    sensitivity, subgroup and meta-regression results computed from the same snapshot.
    """

    class Status(models.TextChoices):
        OK = "ok", "Computed"
        FAILED = "failed", "Failed"

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=6, choices=Status.choices)
    input_hash = models.CharField(max_length=64)
    input_snapshot = models.JSONField()
    engine_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField()
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey(
        "reviewapp.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "input_hash"], name="analysis_run_one_per_input"
            ),
            models.CheckConstraint(
                condition=models.Q(status="ok", result__isnull=False)
                | models.Q(status="failed") & ~models.Q(error=""),
                name="analysis_run_ok_has_result_failed_has_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analysis} @ {self.input_hash[:8]} ({self.status})"


class GradeDomain(models.TextChoices):
    RISK_OF_BIAS = "risk_of_bias", "Risk of bias"
    INCONSISTENCY = "inconsistency", "Inconsistency"
    INDIRECTNESS = "indirectness", "Indirectness"
    IMPRECISION = "imprecision", "Imprecision"
    PUBLICATION_BIAS = "publication_bias", "Publication bias"


class GradeJudgement(models.Model):
    """The reviewers' decision on one GRADE domain of one SoF outcome (an analysis).

    ``suggested_downgrade`` is the rule's suggestion when the decision was made, so a later
    change in the data shows as a suggestion that differs from what was accepted.
    """

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="grade")
    domain = models.CharField(max_length=20, choices=GradeDomain.choices)
    suggested_downgrade = models.PositiveSmallIntegerField(default=0)
    accepted_downgrade = models.PositiveSmallIntegerField()
    footnote = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["analysis", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "domain"], name="grade_judgement_one_per_analysis_domain"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_downgrade__lte=2)
                & models.Q(suggested_downgrade__lte=2),
                name="grade_judgement_downgrade_at_most_two",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_downgrade=0) | ~models.Q(footnote=""),
                name="grade_judgement_downgrade_has_footnote",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_downgrade=models.F("suggested_downgrade"))
                | ~models.Q(footnote=""),
                name="grade_judgement_override_has_footnote",
            ),
            models.CheckConstraint(
                condition=models.Q(domain__in=GradeDomain.values),
                name="grade_judgement_domain_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analysis}: {self.domain} −{self.accepted_downgrade}"
