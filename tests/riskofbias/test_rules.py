"""The overall-risk rules as plain functions (Handbook 5.1 table 8.7.a and the alternatives)."""

import pytest

from riskofbias import rules

L, H, U = "low", "high", "unclear"


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([L], L),
        ([H], H),
        ([U], U),
        ([L, L, L], L),
        ([L, L, H], H),
        ([L, U, L], U),
        ([U, U, U], U),
        ([H, U, L], H),
        ([U, H], H),
        ([H, H, H], H),
    ],
)
def test_key_domain_rule_follows_handbook_table(levels, expected):
    assert rules.overall_risk(levels, "key_domains") == expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([L, L], L), ([L, U], H), ([U, U], H), ([L, H], H), ([H, U], H)],
)
def test_strict_rule_counts_unclear_as_high(levels, expected):
    assert rules.overall_risk(levels, "key_domains_strict") == expected


def test_all_domains_rule_applies_the_same_logic_to_what_it_is_given():
    assert rules.overall_risk([L, L, U], "all_domains") == U
    assert rules.RULES["all_domains"].key_domains_only is False


def test_default_rule_is_the_key_domain_rule():
    assert rules.DEFAULT_RULE == "key_domains"
    assert rules.overall_risk([L, U]) == U


def test_each_rule_has_a_description_to_show_where_it_is_used():
    for rule in rules.RULES.values():
        assert rule.description.endswith(".")
        assert rule.name


def test_unknown_rule_names_the_choices():
    with pytest.raises(ValueError, match="key_domains, all_domains, key_domains_strict"):
        rules.overall_risk([L], "worst_case")


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="'medium'"):
        rules.overall_risk([L, "medium"])


def test_no_domains_is_refused():
    with pytest.raises(ValueError, match=rules.NO_DOMAINS):
        rules.overall_risk([])


@pytest.mark.parametrize(
    ("levels", "expected"), [([L, L], L), ([L, U], U), ([U, H, L], H), ([H], H)]
)
def test_worst_orders_high_unclear_low(levels, expected):
    assert rules.worst(levels) == expected
