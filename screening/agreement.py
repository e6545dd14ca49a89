"""Agreement between screeners: Cohen's kappa and percentage agreement per stage and pair."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

from django.db.models import Q

from reviewapp.models import Review
from screening.models import RESOLVED_STATUSES, ScreeningDecision, Stage
from screening.selectors import unblinded_stages


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa for paired ratings (Cohen 1960): (p_o − p_e) / (1 − p_e).

    None when there are no pairs, or when chance agreement is 1 (both raters used one
    category throughout), where kappa is undefined.
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement_by_pair(review: Review) -> list[dict[str, Any]]:
    """Return Cohen's kappa and % agreement per stage and reviewer pair.

    Only records on which both reviewers have decided, and which are resolved (or whose stage
    the lead unblinded), are counted: agreement on open records would reveal votes.
    """
    unblinded = unblinded_stages(review)
    decisions = (
        ScreeningDecision.objects.filter(review=review)
        .filter(Q(item__status__in=RESOLVED_STATUSES) | Q(stage__in=unblinded))
        .values_list("stage", "item_id", "reviewer__username", "verdict")
        .order_by("stage", "item_id")
    )
    by_item: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for stage, item_id, username, verdict in decisions.iterator(chunk_size=5000):
        by_item[(stage, item_id)][username] = verdict
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for (stage, _item), votes in by_item.items():
        for a, b in combinations(sorted(votes), 2):
            pairs[(stage, a, b)].append((votes[a], votes[b]))
    rows = []
    for (stage, a, b), ratings in sorted(pairs.items()):
        kappa = cohen_kappa(ratings)
        rows.append(
            {
                "stage": Stage(stage).label,
                "reviewers": f"{a} / {b}",
                "n": len(ratings),
                "percent_agreement": round(100 * sum(x == y for x, y in ratings) / len(ratings), 1),
                "kappa": None if kappa is None else round(kappa, 3),
            }
        )
    return rows
