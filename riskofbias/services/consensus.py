"""Writes of the consensus: agreements become consensus; the adjudicator resolves differences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from extraction.models import Study
from reviewapp.models import Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import audit_record
from riskofbias import errors, selectors
from riskofbias.errors import RobError
from riskofbias.models import AssessorAssignment, ConsensusJudgement, ConsensusSource
from riskofbias.services.common import (
    JudgementInput,
    lock_assignments,
    study_in_review,
    tool_of,
    validate_entry,
)


def _merged_support(judgements: list) -> dict:
    """Keep the first assessor's quote; join the justifications when they differ."""
    quoted = [j for j in judgements if j.quote.strip()]
    source = quoted[0] if quoted else judgements[0]
    justifications = list(dict.fromkeys(j.justification.strip() for j in judgements))
    return {
        "quote": source.quote,
        "page": source.page,
        "nothing_reported": not quoted and all(j.nothing_reported for j in judgements),
        "justification": " / ".join(justifications),
    }


@transaction.atomic
def consensus_seed_agreements(
    *, actor: AbstractBaseUser | None, review: Review, study: Study
) -> int:
    """Make every cell where both assessors agree a consensus judgement; return how many.

    Runs when the second assessment is handed in; existing consensus is left as it is.
    """
    done = AssessorAssignment.objects.filter(study=study, completed_at__isnull=False).count()
    if done < 2:
        raise RobError(errors.NOT_ASSESSED_TWICE.format(study=study, done=done))
    created = []
    for row in selectors.comparison(review, study):
        if row.consensus is not None or not row.agree:
            continue
        ConsensusJudgement.objects.create(
            study=study,
            domain=row.cell.domain,
            outcome_group=row.cell.group,
            level=row.judgements[0].level,
            source=ConsensusSource.AGREEMENT,
            **_merged_support(row.judgements),
        )
        created.append(row.cell.name)
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.consensus.agreements",
        obj=study,
        after={"study": study.label, "agreed": created},
    )
    return len(created)


@transaction.atomic
def consensus_resolve(
    *,
    actor: AbstractBaseUser,
    review: Review,
    study_id: int,
    domain_id: int,
    outcome_group_id: int | None,
    level: str,
    quote: str = "",
    page: str = "",
    justification: str = "",
    nothing_reported: bool = False,
) -> ConsensusJudgement:
    """Record the adjudicator's consensus for one cell of a study assessed twice."""
    if not roles_in_review(actor, review) & {Role.ADJUDICATOR, Role.LEAD}:
        raise RobError(errors.ADJUDICATOR_ROLE)
    study = study_in_review(review, study_id)
    if selectors.is_assessor(actor, study):
        raise RobError(errors.ADJUDICATOR_IS_ASSESSOR.format(study=study))
    done = sum(1 for a in lock_assignments(study).values() if a.completed_at)
    if done < 2:
        raise RobError(errors.NOT_ASSESSED_TWICE.format(study=study, done=done))
    entry = JudgementInput(
        domain_id=domain_id,
        outcome_group_id=outcome_group_id,
        level=level,
        quote=quote,
        page=page,
        justification=justification,
        nothing_reported=nothing_reported,
    )
    cells = {cell.key: cell for cell in selectors.cells_for_review(review)}
    cell = validate_entry(entry, study=study, tool=tool_of(review), cells=cells)
    consensus = ConsensusJudgement.objects.filter(
        study=study, domain_id=domain_id, outcome_group_id=outcome_group_id
    ).first()
    before = {"level": consensus.level, "source": consensus.source} if consensus else None
    consensus = consensus or ConsensusJudgement(
        study=study, domain_id=domain_id, outcome_group_id=outcome_group_id
    )
    consensus.level = level
    consensus.quote = quote.strip()
    consensus.page = page.strip()
    consensus.justification = justification.strip()
    consensus.nothing_reported = nothing_reported
    consensus.source = ConsensusSource.ADJUDICATED
    consensus.decided_by = actor
    consensus.full_clean()
    consensus.save()
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.consensus.resolve",
        obj=consensus,
        before=before,
        after={"study": study.label, "cell": cell.name, "level": level},
    )
    return consensus
