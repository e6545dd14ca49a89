"""Rules that turn a study's domain judgements into its overall risk of bias.

Plain functions over level strings, so the analysis app and the tests can use them without a
database. The default follows the Cochrane Handbook 5.1, table 8.7.a ("summary assessments of
the risk of bias within a study"), applied to the review's key domains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from riskofbias.models import Level

LOW, HIGH, UNCLEAR = Level.LOW.value, Level.HIGH.value, Level.UNCLEAR.value


@dataclass(frozen=True)
class OverallRule:
    code: str
    name: str
    description: str
    key_domains_only: bool
    unclear_counts_as_high: bool


RULES: dict[str, OverallRule] = {
    rule.code: rule
    for rule in [
        OverallRule(
            code="key_domains",
            name="Key domains (Handbook table 8.7.a)",
            description=(
                "High if any key domain is at high risk; low if all key domains are at low risk; "
                "unclear otherwise."
            ),
            key_domains_only=True,
            unclear_counts_as_high=False,
        ),
        OverallRule(
            code="all_domains",
            name="All domains",
            description=(
                "High if any domain is at high risk; low if all domains are at low risk; "
                "unclear otherwise."
            ),
            key_domains_only=False,
            unclear_counts_as_high=False,
        ),
        OverallRule(
            code="key_domains_strict",
            name="Key domains, unclear counts as high",
            description=(
                "Low only if all key domains are at low risk; high if any key domain is at high "
                "or unclear risk."
            ),
            key_domains_only=True,
            unclear_counts_as_high=True,
        ),
    ]
}
DEFAULT_RULE = "key_domains"
UNKNOWN_RULE = "Unknown overall-risk rule {code!r}: choose one of {choices}."
UNKNOWN_LEVEL = "Unknown risk-of-bias level {level!r}: expected low, high or unclear."
NO_DOMAINS = "The overall-risk rule needs at least one judged domain."


def rule_for(code: str) -> OverallRule:
    """Return the rule with this code, or raise ValueError naming the choices."""
    try:
        return RULES[code]
    except KeyError:
        raise ValueError(UNKNOWN_RULE.format(code=code, choices=", ".join(RULES))) from None


def overall_risk(levels: Iterable[str], rule: OverallRule | str = DEFAULT_RULE) -> str:
    """Return "low", "high" or "unclear" for the levels of the domains the rule looks at.

    The caller passes only the domains the rule covers (the key domains, or all of them).
    """
    if isinstance(rule, str):
        rule = rule_for(rule)
    levels = list(levels)
    if not levels:
        raise ValueError(NO_DOMAINS)
    for level in levels:
        if level not in (LOW, HIGH, UNCLEAR):
            raise ValueError(UNKNOWN_LEVEL.format(level=level))
    if HIGH in levels:
        return HIGH
    if all(level == LOW for level in levels):
        return LOW
    return HIGH if rule.unclear_counts_as_high else UNCLEAR


def worst(levels: Iterable[str]) -> str:
    """Return the worst of the levels (high before unclear before low)."""
    levels = set(levels)
    if HIGH in levels:
        return HIGH
    if UNCLEAR in levels:
        return UNCLEAR
    return LOW
