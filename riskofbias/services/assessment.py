"""Writes of one assessor's work: who assesses a study, their judgements, handing them in."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from extraction.models import Study
from reviewapp.models import Membership, Review, Role
from reviewapp.selectors import is_lead, review_members
from reviewapp.services import audit_record
from riskofbias import errors, selectors
from riskofbias.errors import RobError
from riskofbias.models import AssessorAssignment, RobJudgement
from riskofbias.services.common import (
    JudgementInput,
    lock_assignments,
    study_in_review,
    tool_of,
    validate_entry,
)
from riskofbias.services.consensus import consensus_seed_agreements

ASSESSOR_ROLES = [Role.REVIEWER, Role.ADJUDICATOR, Role.LEAD]


@transaction.atomic
def assessors_assign(
    *, actor: AbstractBaseUser, review: Review, study_id: int, assessor_ids: Sequence[int]
) -> list[AssessorAssignment]:
    """Make exactly these two members the study's assessors (lead only)."""
    if not is_lead(actor, review):
        raise RobError(errors.LEAD_ONLY)
    study = study_in_review(review, study_id)
    ids = list(dict.fromkeys(int(i) for i in assessor_ids))
    if len(ids) != 2:
        raise RobError(errors.ASSESSORS_COUNT.format(study=study))
    users = list(get_user_model().objects.filter(pk__in=ids))
    for user in users:
        if not Membership.objects.filter(
            review=review, user=user, role__in=ASSESSOR_ROLES
        ).exists():
            raise RobError(errors.ASSESSOR_NOT_MEMBER.format(username=user.get_username()))
    if len(users) != 2:
        raise RobError(errors.ASSESSORS_COUNT.format(study=study))
    current = AssessorAssignment.objects.select_for_update().filter(study=study)
    before = sorted(a.assessor.get_username() for a in current)
    for assignment in current.exclude(assessor_id__in=ids):
        if assignment.judgements.exists() or assignment.completed_at:
            raise RobError(
                errors.ASSESSOR_HAS_JUDGEMENTS.format(
                    username=assignment.assessor.get_username(), study=study
                )
            )
        assignment.delete()
    for user in users:
        AssessorAssignment.objects.get_or_create(study=study, assessor=user)
    after = sorted(u.get_username() for u in users)
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.assessors.assign",
        obj=study,
        before={"assessors": before},
        after={"assessors": after},
    )
    return list(AssessorAssignment.objects.filter(study=study))


@transaction.atomic
def assessors_assign_defaults(*, actor: AbstractBaseUser | None, review: Review) -> int:
    """Assign the review's first two reviewers to every study without assessors; return how many."""
    reviewers = list(review_members(review, Role.REVIEWER)[:2])
    if len(reviewers) < 2:
        return 0
    studies = list(Study.objects.filter(review=review, rob_assignments__isnull=True).order_by("pk"))
    AssessorAssignment.objects.bulk_create(
        AssessorAssignment(study=study, assessor=user) for study in studies for user in reviewers
    )
    if studies:
        audit_record(
            actor=actor,
            review=review,
            action="riskofbias.assessors.assign_defaults",
            after={
                "studies": [s.label for s in studies],
                "assessors": [u.get_username() for u in reviewers],
            },
        )
    return len(studies)


@transaction.atomic
def judgements_save(
    *,
    actor: AbstractBaseUser,
    review: Review,
    study_id: int,
    entries: Sequence[JudgementInput],
    complete: bool = False,
) -> AssessorAssignment:
    """Save the assessor's own judgements of a study; with ``complete``, hand them in.

    Every entry is checked before anything is written, so bad input saves nothing. An entry
    with neither a level nor text is left unjudged.
    """
    study = study_in_review(review, study_id)
    tool = tool_of(review)
    assignment = lock_assignments(study).get(actor.pk)
    if assignment is None:
        raise RobError(errors.ASSESSOR_NOT_ASSIGNED.format(study=study))
    if assignment.completed_at:
        raise RobError(errors.ASSESSMENT_LOCKED.format(study=study))
    cells = {cell.key: cell for cell in selectors.cells_for_review(review)}
    to_save = []
    for entry in entries:
        if not entry.level:
            if entry.has_text:
                cell = cells.get((entry.domain_id, entry.outcome_group_id))
                name = cell.name if cell else entry.domain_id
                raise RobError(errors.SUPPORT_WITHOUT_LEVEL.format(study=study, cell=name))
            continue
        validate_entry(entry, study=study, tool=tool, cells=cells)
        to_save.append(entry)
    existing = selectors.own_judgements(assignment)
    changed = {}
    for entry in to_save:
        judgement = existing.get((entry.domain_id, entry.outcome_group_id)) or RobJudgement(
            assignment=assignment,
            domain_id=entry.domain_id,
            outcome_group_id=entry.outcome_group_id,
        )
        values = {
            "level": entry.level,
            "quote": entry.quote.strip(),
            "page": entry.page.strip(),
            "justification": entry.justification.strip(),
            "nothing_reported": entry.nothing_reported,
        }
        if judgement.pk and all(getattr(judgement, k) == v for k, v in values.items()):
            continue
        for name, value in values.items():
            setattr(judgement, name, value)
        judgement.full_clean()
        judgement.save()
        changed[cells[(entry.domain_id, entry.outcome_group_id)].name] = entry.level
    if changed:
        audit_record(
            actor=actor,
            review=review,
            action="riskofbias.judgements.save",
            obj=assignment,
            after={"study": study.label, "judgements": changed},
        )
    if complete:
        _complete(actor=actor, review=review, study=study, assignment=assignment, cells=cells)
    return assignment


def _complete(*, actor, review, study, assignment, cells) -> None:
    judged = set(selectors.own_judgements(assignment))
    missing = [cell.name for key, cell in cells.items() if key not in judged]
    if missing:
        raise RobError(errors.ASSESSMENT_INCOMPLETE.format(study=study, missing="; ".join(missing)))
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["completed_at"])
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.assessment.complete",
        obj=assignment,
        after={"study": study.label},
    )
    done = AssessorAssignment.objects.filter(study=study, completed_at__isnull=False).count()
    if done >= 2:
        consensus_seed_agreements(actor=actor, review=review, study=study)


@transaction.atomic
def assessment_reopen(*, actor: AbstractBaseUser, review: Review, study_id: int) -> None:
    """Take back one's handed-in assessment while the other assessor is still working."""
    study = study_in_review(review, study_id)
    assignments = lock_assignments(study)
    assignment = assignments.get(actor.pk)
    if assignment is None:
        raise RobError(errors.ASSESSOR_NOT_ASSIGNED.format(study=study))
    done = sum(1 for a in assignments.values() if a.completed_at)
    if done >= 2:
        raise RobError(errors.REOPEN_AFTER_BOTH.format(study=study))
    assignment.completed_at = None
    assignment.save(update_fields=["completed_at"])
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.assessment.reopen",
        obj=assignment,
        after={"study": study.label},
    )
