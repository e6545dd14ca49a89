"""The protocol's tool: the Cochrane 'Risk of bias' tool (Higgins 2011, Handbook chapter 8).

Kept as data so a review can adapt it; ``tool_install_default`` copies it into a review.
"""

from __future__ import annotations

from riskofbias.models import Level

TOOL_NAME = "Cochrane 'Risk of bias' tool"
TOOL_CITATION = (
    "Higgins JPT, Altman DG, Sterne JAC. Chapter 8: Assessing risk of bias in included studies. "
    "Cochrane Handbook for Systematic Reviews of Interventions 5.1.0, 2011."
)
TOOL_LEVELS = [Level.LOW.value, Level.HIGH.value, Level.UNCLEAR.value]

# key, name, short name, bias type, per outcome group, signalling questions
DOMAINS: list[tuple[str, str, str, str, bool, list[str]]] = [
    (
        "sequence_generation",
        "Random sequence generation",
        "Sequence generation",
        "Selection bias",
        False,
        [
            "Describe the method used to generate the allocation sequence.",
            "Did it produce comparable groups (random number table, computer generator, "
            "coin tossing, minimisation) or a non-random rule (date of birth, record number)?",
        ],
    ),
    (
        "allocation_concealment",
        "Allocation concealment",
        "Allocation concealment",
        "Selection bias",
        False,
        [
            "Describe the method used to conceal the allocation sequence.",
            "Could the intervention schedule have been foreseen in advance of, or during, "
            "recruitment?",
        ],
    ),
    (
        "blinding_participants_personnel",
        "Blinding of participants and personnel",
        "Blinding (participants, personnel)",
        "Performance bias",
        False,
        [
            "Describe the measures used to blind participants and personnel to the intervention "
            "a participant received.",
            "Is the outcome likely to be influenced by lack of blinding?",
        ],
    ),
    (
        "blinding_outcome_assessment",
        "Blinding of outcome assessment",
        "Blinding (outcome assessment)",
        "Detection bias",
        True,
        [
            "Describe the measures used to blind outcome assessors.",
            "Could the assessors (for parent-report outcomes: the parents) know the allocation?",
        ],
    ),
    (
        "incomplete_outcome_data",
        "Incomplete outcome data",
        "Incomplete outcome data",
        "Attrition bias",
        True,
        [
            "Describe the completeness of outcome data: attrition and exclusions compared with "
            "the total randomised, with reasons, per group.",
            "Was an intention-to-treat analysis reported? Were missing data dealt with adequately?",
        ],
    ),
    (
        "selective_reporting",
        "Selective outcome reporting",
        "Selective reporting",
        "Reporting bias",
        False,
        [
            "Were all pre-specified outcomes (protocol, trial registry) reported?",
            "Was any attempt made to reduce the possibility of selective outcome reporting?",
        ],
    ),
    (
        "other_bias",
        "Other bias",
        "Other bias",
        "Other bias",
        False,
        [
            "Is there baseline imbalance in participant characteristics strongly related to the "
            "outcomes (baseline or pre-treatment means)?",
            "Was there contamination between the groups, or any other problem that could put the "
            "study at high risk of bias?",
        ],
    ),
]

OUTCOME_GROUPS = ["Parent-report outcomes", "Observer-rated outcomes"]

# The review settings this app reads, with their defaults.
SETTING_KEY_DOMAINS = "rob_key_domains"
DEFAULT_KEY_DOMAINS = ["sequence_generation", "allocation_concealment", "incomplete_outcome_data"]
SETTING_OVERALL_RULE = "rob_overall_rule"
