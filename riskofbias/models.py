"""Models of the risk-of-bias stage: the tool as data, assessors, judgements and the consensus.

The tool (domains, their questions, the allowed judgements) is stored per review so a lead can
adapt it, as RevMan allows; ``riskofbias.defaults`` holds the protocol's tool (Higgins 2011).
"""

from django.conf import settings
from django.db import models

BLANK = r"^\s*$"


class Level(models.TextChoices):
    LOW = "low", "Low risk"
    HIGH = "high", "High risk"
    UNCLEAR = "unclear", "Unclear risk"


class RobTool(models.Model):
    """The risk-of-bias tool a review uses: a name, its citation and the allowed judgements."""

    review = models.OneToOneField(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="rob_tool"
    )
    name = models.CharField(max_length=200)
    citation = models.CharField(max_length=300, blank=True)
    # Allowed judgements, a subset of Level, in display order.
    levels = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review"], name="rob_tool_one_per_review"),
        ]

    def __str__(self) -> str:
        return self.name


class RobDomain(models.Model):
    """One domain of the tool, with the signalling questions the assessors answer."""

    tool = models.ForeignKey(RobTool, on_delete=models.CASCADE, related_name="domains")
    key = models.SlugField(max_length=60, help_text="Stable identifier, used in settings.")
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=40, help_text="Column heading in the plots.")
    bias_type = models.CharField(max_length=60, blank=True, help_text="e.g. 'Selection bias'.")
    questions = models.JSONField(default=list, blank=True)
    per_outcome_group = models.BooleanField(
        default=False, help_text="Judged once per outcome group (e.g. parent-report, observer)."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "key"], name="rob_domain_unique_key_per_tool"),
        ]

    def __str__(self) -> str:
        return self.name


class OutcomeGroup(models.Model):
    """A group of outcomes judged together in the per-outcome domains (e.g. observer-rated)."""

    review = models.ForeignKey(
        "reviewapp.Review", on_delete=models.CASCADE, related_name="rob_outcome_groups"
    )
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "name"], name="rob_outcome_group_unique_name_per_review"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessorAssignment(models.Model):
    """One assessor assigned to judge one study; ``completed_at`` is set when they hand it in."""

    study = models.ForeignKey(
        "extraction.Study", on_delete=models.CASCADE, related_name="rob_assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rob_assignments"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["study", "assessor__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "assessor"], name="rob_assignment_one_per_assessor_study"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} assesses {self.study}"


class SupportedJudgement(models.Model):
    """A level with its support: a quote (with page) from the report and a justification.

    When the report says nothing, ``nothing_reported`` stands in for the quote; the
    justification is always required.
    """

    domain = models.ForeignKey(RobDomain, on_delete=models.CASCADE, related_name="+")
    outcome_group = models.ForeignKey(
        OutcomeGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    quote = models.TextField(blank=True)
    page = models.CharField(max_length=40, blank=True)
    nothing_reported = models.BooleanField(default=False)
    justification = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        group = f" ({self.outcome_group})" if self.outcome_group_id else ""
        return f"{self.domain}{group}: {self.level}"

    @staticmethod
    def support_condition() -> models.Q:
        has_quote = ~models.Q(quote__regex=BLANK) & ~models.Q(page__regex=BLANK)
        return ~models.Q(justification__regex=BLANK) & (has_quote | models.Q(nothing_reported=True))

    def support_text(self) -> str:
        """Return the support as RevMan prints it: the quote, then the comment."""
        quote = (
            "Not reported."
            if self.nothing_reported and not self.quote.strip()
            else f'Quote: "{self.quote.strip()}" (p. {self.page.strip()}).'
        )
        return f"{quote} Comment: {self.justification.strip()}"


class RobJudgement(SupportedJudgement):
    """One assessor's judgement of one domain (× outcome group) of one study."""

    assignment = models.ForeignKey(
        AssessorAssignment, on_delete=models.CASCADE, related_name="judgements"
    )

    class Meta:
        ordering = ["assignment", "domain__position", "outcome_group__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "domain"],
                condition=models.Q(outcome_group__isnull=True),
                name="rob_judgement_one_per_assessor_domain",
            ),
            models.UniqueConstraint(
                fields=["assignment", "domain", "outcome_group"],
                condition=models.Q(outcome_group__isnull=False),
                name="rob_judgement_one_per_assessor_domain_group",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="rob_judgement_level_known"
            ),
            models.CheckConstraint(
                condition=SupportedJudgement.support_condition(),
                name="rob_judgement_support_required",
            ),
        ]


class ConsensusSource(models.TextChoices):
    AGREEMENT = "agreement", "Both assessors agreed"
    ADJUDICATED = "adjudicated", "Resolved by the adjudicator"


class ConsensusJudgement(SupportedJudgement):
    """The review's judgement of one domain (× outcome group) of one study."""

    study = models.ForeignKey(
        "extraction.Study", on_delete=models.CASCADE, related_name="rob_consensus"
    )
    source = models.CharField(max_length=12, choices=ConsensusSource.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["study", "domain__position", "outcome_group__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "domain"],
                condition=models.Q(outcome_group__isnull=True),
                name="rob_consensus_one_per_study_domain",
            ),
            models.UniqueConstraint(
                fields=["study", "domain", "outcome_group"],
                condition=models.Q(outcome_group__isnull=False),
                name="rob_consensus_one_per_study_domain_group",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="rob_consensus_level_known"
            ),
            models.CheckConstraint(
                condition=SupportedJudgement.support_condition(),
                name="rob_consensus_support_required",
            ),
        ]
