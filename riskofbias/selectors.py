"""Reads of the risk-of-bias stage: the tool's cells, progress, comparisons, consensus, overall risk.

Blinding: nothing here returns one assessor's judgements to another. The comparison is only for
an adjudicator or lead who did not assess the study; the consensus of a study is shown (table,
plots, exports) only once it is complete, so agreements seeded early reveal nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from extraction.models import Study
from extraction.selectors import study_in_review
from reviewapp.models import Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import review_setting
from riskofbias import defaults, rules
from riskofbias.models import (
    AssessorAssignment,
    ConsensusJudgement,
    OutcomeGroup,
    RobDomain,
    RobJudgement,
    RobTool,
)

CellKey = tuple[int, int | None]  # (domain id, outcome group id or None)


@dataclass(frozen=True)
class Cell:
    """One thing judged per study: a domain, or a domain for one outcome group."""

    domain: RobDomain
    group: OutcomeGroup | None

    @property
    def key(self) -> CellKey:
        return (self.domain.pk, self.group.pk if self.group else None)

    @property
    def name(self) -> str:
        return f"{self.domain.name} ({self.group.name})" if self.group else self.domain.name

    @property
    def short_name(self) -> str:
        return (
            f"{self.domain.short_name}: {self.group.name}" if self.group else self.domain.short_name
        )

    @property
    def field_prefix(self) -> str:
        return f"c{self.domain.pk}_{self.group.pk if self.group else 0}"


def tool_for_review(review: Review) -> RobTool | None:
    return RobTool.objects.filter(review=review).first()


def outcome_groups(review: Review) -> list[OutcomeGroup]:
    return list(OutcomeGroup.objects.filter(review=review))


def cells_for_review(review: Review) -> list[Cell]:
    """Return the cells of the review's tool, in domain then outcome-group order."""
    groups = outcome_groups(review)
    cells: list[Cell] = []
    for domain in RobDomain.objects.filter(tool__review=review):
        if domain.per_outcome_group:
            cells.extend(Cell(domain, group) for group in groups)
        else:
            cells.append(Cell(domain, None))
    return cells


def key_domain_keys(review: Review) -> list[str]:
    return list(review_setting(review, defaults.SETTING_KEY_DOMAINS, defaults.DEFAULT_KEY_DOMAINS))


def overall_rule(review: Review) -> rules.OverallRule:
    """Return the overall-risk rule the lead chose (the Handbook's key-domain rule by default)."""
    code = review_setting(review, defaults.SETTING_OVERALL_RULE, rules.DEFAULT_RULE)
    return rules.RULES.get(code, rules.RULES[rules.DEFAULT_RULE])


def studies_for_review(review: Review) -> QuerySet[Study]:
    return Study.objects.filter(review=review)


def study_for_review(review: Review, study_id: int) -> Study:
    """Return the review's study or raise 404 (never another review's study)."""
    return study_in_review(review, study_id)


def assignment_of(study: Study, user: AbstractBaseUser) -> AssessorAssignment | None:
    return AssessorAssignment.objects.filter(study=study, assessor=user).first()


def own_judgements(assignment: AssessorAssignment) -> dict[CellKey, RobJudgement]:
    """Return the assessor's own judgements, by cell."""
    return {(j.domain_id, j.outcome_group_id): j for j in assignment.judgements.all()}


def is_assessor(user: AbstractBaseUser, study: Study) -> bool:
    return AssessorAssignment.objects.filter(study=study, assessor=user).exists()


def can_adjudicate(user: AbstractBaseUser, review: Review, study: Study) -> bool:
    """Return whether the user may see both assessments of the study and resolve them."""
    held = roles_in_review(user, review)
    return bool(held & {Role.ADJUDICATOR, Role.LEAD}) and not is_assessor(user, study)


@dataclass
class StudyProgress:
    study: Study
    assessors: list[str]
    my_assignment: AssessorAssignment | None
    completed: int
    consensus_cells: int
    total_cells: int

    @property
    def assessed_twice(self) -> bool:
        return self.completed >= 2

    @property
    def consensus_complete(self) -> bool:
        return self.total_cells > 0 and self.consensus_cells >= self.total_cells

    @property
    def open_differences(self) -> int:
        return self.total_cells - self.consensus_cells if self.assessed_twice else 0


def progress_by_study(review: Review, user: AbstractBaseUser | None) -> list[StudyProgress]:
    """Return each study's assessment progress (and the user's own assignment, if any)."""
    return _progress(review, user, studies_for_review(review))


def _progress(
    review: Review, user: AbstractBaseUser | None, studies: QuerySet[Study]
) -> list[StudyProgress]:
    user_pk = getattr(user, "pk", None)
    cell_keys = {cell.key for cell in cells_for_review(review)}
    total = len(cell_keys)
    assignments = defaultdict(list)
    for a in AssessorAssignment.objects.filter(study__in=studies).select_related("assessor"):
        assignments[a.study_id].append(a)
    consensus = defaultdict(int)
    for row in ConsensusJudgement.objects.filter(study__in=studies).values(
        "study_id", "domain_id", "outcome_group_id"
    ):
        if (row["domain_id"], row["outcome_group_id"]) in cell_keys:
            consensus[row["study_id"]] += 1
    result = []
    for study in studies:
        mine = [a for a in assignments[study.pk] if a.assessor_id == user_pk]
        result.append(
            StudyProgress(
                study=study,
                assessors=[a.assessor.get_username() for a in assignments[study.pk]],
                my_assignment=mine[0] if mine else None,
                completed=sum(1 for a in assignments[study.pk] if a.completed_at),
                consensus_cells=consensus[study.pk],
                total_cells=total,
            )
        )
    return result


def progress_of(review: Review, study: Study) -> StudyProgress:
    """Return one study's progress (without anyone's own assignment)."""
    return _progress(review, None, studies_for_review(review).filter(pk=study.pk))[0]


@dataclass
class CellComparison:
    cell: Cell
    judgements: list[RobJudgement] = field(default_factory=list)
    consensus: ConsensusJudgement | None = None

    @property
    def agree(self) -> bool:
        levels = {j.level for j in self.judgements}
        return len(self.judgements) == 2 and len(levels) == 1


def comparison(review: Review, study: Study) -> list[CellComparison]:
    """Return both assessments side by side, cell by cell (for the adjudicator only)."""
    rows = {cell.key: CellComparison(cell) for cell in cells_for_review(review)}
    for j in RobJudgement.objects.filter(assignment__study=study).select_related(
        "assignment__assessor"
    ):
        if (j.domain_id, j.outcome_group_id) in rows:
            rows[(j.domain_id, j.outcome_group_id)].judgements.append(j)
    for c in ConsensusJudgement.objects.filter(study=study).select_related("decided_by"):
        if (c.domain_id, c.outcome_group_id) in rows:
            rows[(c.domain_id, c.outcome_group_id)].consensus = c
    return list(rows.values())


def consensus_judgements(review: Review) -> QuerySet[ConsensusJudgement]:
    """Return every consensus judgement of the review, with study, domain and outcome group.

    Contract (for the analysis app): one row per study × domain (× outcome group for the
    per-outcome domains, ``outcome_group`` None otherwise); ``level`` is "low", "high" or
    "unclear"; ``domain.key`` is stable (see ``riskofbias.defaults.DOMAINS``). A study whose
    consensus is still partial has only some rows; ``complete_consensus`` keeps only the
    finished studies.
    """
    return ConsensusJudgement.objects.filter(study__review=review).select_related(
        "study", "domain", "outcome_group", "decided_by"
    )


def complete_consensus(review: Review) -> dict[int, dict[CellKey, ConsensusJudgement]]:
    """Return {study id: {cell key: consensus}} for studies whose consensus covers every cell."""
    return _complete_consensus(review, {cell.key for cell in cells_for_review(review)})


def _complete_consensus(
    review: Review, cell_keys: set[CellKey]
) -> dict[int, dict[CellKey, ConsensusJudgement]]:
    by_study: dict[int, dict[CellKey, ConsensusJudgement]] = defaultdict(dict)
    for c in consensus_judgements(review):
        key = (c.domain_id, c.outcome_group_id)
        if key in cell_keys:
            by_study[c.study_id][key] = c
    return {
        sid: cells for sid, cells in by_study.items() if cell_keys and len(cells) == len(cell_keys)
    }


def _overall_risk(
    cells: dict[CellKey, ConsensusJudgement],
    group_id: int | None,
    rule: rules.OverallRule,
    keys: set[str],
) -> str:
    """Return one study's overall risk by the rule; per-outcome domains give one level per
    group (or the given group's level)."""
    by_domain: dict[int, list[str]] = defaultdict(list)
    domains = {}
    for (domain_id, gid), c in cells.items():
        domains[domain_id] = c.domain
        if group_id is None or gid is None or gid == group_id:
            by_domain[domain_id].append(c.level)
    levels = [
        rules.worst(levels)
        for domain_id, levels in by_domain.items()
        if not rule.key_domains_only or domains[domain_id].key in keys
    ]
    return rules.overall_risk(levels, rule) if levels else rules.UNCLEAR


def overall_risk_by_study(review: Review) -> dict[int, str]:
    """Return {study id: "low" | "high" | "unclear"} by the review's overall-risk rule.

    Contract (for the analysis app): only studies whose consensus is complete appear; the
    rule is ``overall_rule(review)`` (show its ``description`` where the result is used). A
    per-outcome domain counts with its worst level across the outcome groups; use
    ``overall_risk_by_study_and_group`` for one outcome group's verdict.
    """
    rule, keys = overall_rule(review), set(key_domain_keys(review))
    return {
        study_id: _overall_risk(cells, None, rule, keys)
        for study_id, cells in complete_consensus(review).items()
    }


def overall_risk_by_study_and_group(review: Review) -> dict[tuple[int, int], str]:
    """Return {(study id, outcome group id): level} by the review's overall-risk rule.

    Contract: as ``overall_risk_by_study``, but per-outcome domains count with their judgement
    for that outcome group only; one entry per complete study and outcome group of the review.
    """
    rule, keys = overall_rule(review), set(key_domain_keys(review))
    groups = outcome_groups(review)
    return {
        (study_id, group.pk): _overall_risk(cells, group.pk, rule, keys)
        for study_id, cells in complete_consensus(review).items()
        for group in groups
    }


@dataclass
class StudyTable:
    """A study's 'Risk of bias' table: one row per cell with the consensus and its support."""

    study: Study
    rows: list[tuple[Cell, ConsensusJudgement]]
    overall: str
    overall_by_group: list[tuple[OutcomeGroup, str]] = field(default_factory=list)


def rob_tables(review: Review) -> list[StudyTable]:
    """Return the 'Risk of bias' tables of the studies whose consensus is complete."""
    # One read of the cells and the consensus serves the rows and both overall verdicts.
    cells = cells_for_review(review)
    complete = _complete_consensus(review, {cell.key for cell in cells})
    rule, keys = overall_rule(review), set(key_domain_keys(review))
    groups = outcome_groups(review)
    return [
        StudyTable(
            study,
            [(cell, complete[study.pk][cell.key]) for cell in cells],
            _overall_risk(complete[study.pk], None, rule, keys),
            [(g, _overall_risk(complete[study.pk], g.pk, rule, keys)) for g in groups],
        )
        for study in studies_for_review(review)
        if study.pk in complete
    ]


def author_contact_url(review: Review, study: Study) -> str:
    """Return the study's author-contact log page, or this app's own request form."""
    try:
        return reverse(
            "extraction:author_contacts", kwargs={"slug": review.slug, "study_id": study.pk}
        )
    except NoReverseMatch:
        return reverse(
            "riskofbias:contact_investigators", kwargs={"slug": review.slug, "study_id": study.pk}
        )
