"""Helpers the assessment and consensus services share: input, lookups, validation."""

from __future__ import annotations

from dataclasses import dataclass

from extraction.models import Study
from reviewapp.models import Review
from riskofbias import errors, selectors
from riskofbias.errors import RobError
from riskofbias.models import AssessorAssignment, RobTool


@dataclass(frozen=True)
class JudgementInput:
    """One judgement as entered: the cell, the level and its support."""

    domain_id: int
    outcome_group_id: int | None
    level: str
    quote: str = ""
    page: str = ""
    justification: str = ""
    nothing_reported: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.quote.strip() or self.page.strip() or self.justification.strip())

    @property
    def supported(self) -> bool:
        quoted = bool(self.quote.strip() and self.page.strip())
        return bool(self.justification.strip()) and (quoted or self.nothing_reported)


def study_in_review(review: Review, study_id: int) -> Study:
    study = Study.objects.filter(review=review, pk=study_id).first()
    if study is None:
        raise RobError(errors.NO_SUCH_STUDY.format(study_id=study_id))
    return study


def lock_assignments(study: Study) -> dict[int, AssessorAssignment]:
    """Lock the study's assignments (in id order), so two hand-ins or resolves run one at a time."""
    rows = AssessorAssignment.objects.select_for_update().filter(study=study).order_by("pk")
    return {a.assessor_id: a for a in rows}


def tool_of(review: Review) -> RobTool:
    tool = selectors.tool_for_review(review)
    if tool is None:
        raise RobError(errors.NO_TOOL)
    return tool


def validate_entry(
    entry: JudgementInput, *, study: Study, tool: RobTool, cells: dict
) -> selectors.Cell:
    """Check one entry against the tool; raise RobError naming the study and cell at fault."""
    cell = cells.get((entry.domain_id, entry.outcome_group_id))
    if cell is None:
        raise RobError(
            errors.NO_SUCH_CELL.format(
                study=study, domain_id=entry.domain_id, group_id=entry.outcome_group_id
            )
        )
    if entry.level not in tool.levels:
        raise RobError(
            errors.LEVEL_NOT_IN_TOOL.format(
                study=study, cell=cell.name, level=entry.level, levels=", ".join(tool.levels)
            )
        )
    if not entry.supported:
        raise RobError(errors.SUPPORT_MISSING.format(study=study, cell=cell.name))
    return cell
