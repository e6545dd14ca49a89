"""Fixtures of the risk-of-bias tests: the default tool, studies, and judging helpers."""

from __future__ import annotations

import pytest

from extraction.models import Study
from riskofbias.models import OutcomeGroup, RobDomain
from riskofbias.services import (
    JudgementInput,
    assessors_assign_defaults,
    judgements_save,
    tool_install_default,
)

ALL_LOW: dict[str, str] = {}


@pytest.fixture
def tool(review, lead):
    return tool_install_default(actor=lead, review=review)


@pytest.fixture
def make_study(review, tool, lead):
    def make(label: str = "Cohen 1999", assign: bool = True):
        study = Study.objects.create(review=review, label=label)
        if assign:
            assessors_assign_defaults(actor=lead, review=review)
        return study

    return make


@pytest.fixture
def study(make_study):
    return make_study()


def cell_entries(review, levels: dict | None = None, default: str = "low") -> list[JudgementInput]:
    """Return an entry for every cell: ``levels`` maps a domain key, or (key, group name), to a level."""
    levels = levels or {}
    groups = list(OutcomeGroup.objects.filter(review=review))
    entries = []
    for domain in RobDomain.objects.filter(tool__review=review):
        for group in groups if domain.per_outcome_group else [None]:
            level = levels.get((domain.key, group.name) if group else domain.key)
            if level is None:
                level = levels.get(domain.key, default)
            entries.append(
                JudgementInput(
                    domain_id=domain.pk,
                    outcome_group_id=group.pk if group else None,
                    level=level,
                    quote=f"Randomised by {domain.key}",
                    page="4",
                    justification=f"Judged {level} for {domain.name}",
                )
            )
    return entries


@pytest.fixture
def judge(review):
    """Return ``judge(user, study, levels, complete=True)``: one assessor judges every cell."""

    def do(user, study, levels: dict | None = None, complete: bool = True, default: str = "low"):
        return judgements_save(
            actor=user,
            review=review,
            study_id=study.pk,
            entries=cell_entries(review, levels, default),
            complete=complete,
        )

    return do


def domain(review, key: str) -> RobDomain:
    return RobDomain.objects.get(tool__review=review, key=key)


def group(review, name: str) -> OutcomeGroup:
    return OutcomeGroup.objects.get(review=review, name=name)
