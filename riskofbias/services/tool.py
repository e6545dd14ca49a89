"""Writes that set up a review's tool: the default tool, outcome groups and the overall rule."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviewapp.models import Review
from reviewapp.selectors import is_lead
from reviewapp.services import audit_record, review_update_settings
from riskofbias import defaults, errors, rules
from riskofbias.errors import RobError
from riskofbias.models import ConsensusJudgement, OutcomeGroup, RobDomain, RobJudgement, RobTool


@transaction.atomic
def tool_install_default(*, actor: AbstractBaseUser | None, review: Review) -> RobTool:
    """Give the review the protocol's tool and default outcome groups (idempotent)."""
    tool, created = RobTool.objects.get_or_create(
        review=review,
        defaults={
            "name": defaults.TOOL_NAME,
            "citation": defaults.TOOL_CITATION,
            "levels": defaults.TOOL_LEVELS,
        },
    )
    if not created:
        return tool
    RobDomain.objects.bulk_create(
        RobDomain(
            tool=tool,
            key=key,
            name=name,
            short_name=short,
            bias_type=bias_type,
            per_outcome_group=per_outcome,
            questions=questions,
            position=position,
        )
        for position, (key, name, short, bias_type, per_outcome, questions) in enumerate(
            defaults.DOMAINS, start=1
        )
    )
    if not OutcomeGroup.objects.filter(review=review).exists():
        OutcomeGroup.objects.bulk_create(
            OutcomeGroup(review=review, name=name, position=i)
            for i, name in enumerate(defaults.OUTCOME_GROUPS, start=1)
        )
    audit_record(
        actor=actor,
        review=review,
        action="riskofbias.tool.install",
        obj=tool,
        after={"tool": tool.name, "domains": [d[0] for d in defaults.DOMAINS]},
    )
    return tool


@transaction.atomic
def rob_settings_update(
    *,
    actor: AbstractBaseUser,
    review: Review,
    rule: str,
    key_domains: Sequence[str],
    outcome_group_names: Sequence[str],
) -> Review:
    """Set the overall-risk rule, the key domains and the outcome groups (lead only)."""
    if not is_lead(actor, review):
        raise RobError(errors.LEAD_ONLY)
    try:
        rules.rule_for(rule)
    except ValueError as exc:
        raise RobError(str(exc)) from None
    known = set(RobDomain.objects.filter(tool__review=review).values_list("key", flat=True))
    if not key_domains:
        raise RobError(errors.KEY_DOMAINS_EMPTY)
    for key in key_domains:
        if key not in known:
            raise RobError(errors.KEY_DOMAIN_UNKNOWN.format(key=key))
    names = [n.strip() for n in outcome_group_names if n.strip()]
    names = list(dict.fromkeys(names))
    if not names:
        raise RobError(errors.OUTCOME_GROUPS_EMPTY)
    _outcome_groups_set(review, names)
    return review_update_settings(
        actor=actor,
        review=review,
        changes={
            defaults.SETTING_OVERALL_RULE: rule,
            defaults.SETTING_KEY_DOMAINS: list(key_domains),
            "rob_outcome_groups": names,
        },
    )


def _outcome_groups_set(review: Review, names: list[str]) -> None:
    existing = {g.name: g for g in OutcomeGroup.objects.filter(review=review)}
    for name, group in existing.items():
        if name in names:
            continue
        in_use = (
            RobJudgement.objects.filter(outcome_group=group).exists()
            or ConsensusJudgement.objects.filter(outcome_group=group).exists()
        )
        if in_use:
            raise RobError(errors.OUTCOME_GROUP_IN_USE.format(name=name))
        group.delete()
    for position, name in enumerate(names, start=1):
        group = existing.get(name) or OutcomeGroup(review=review, name=name)
        group.position = position
        group.save()
