"""The data extraction form the protocol describes, installed as data into a review.

Source: the parent-infant psychotherapy protocol (Types of studies; Types of participants;
Types of interventions; Data extraction and management; Unit of analysis issues).
The keys are what ``consensus_study_characteristics`` reads for the analysis.
"""

from __future__ import annotations

from typing import Any

DESIGN_RCT = "RCT"
DESIGN_QUASI = "Quasi-RCT"
DESIGN_TWO_ACTIVE = "Two active modalities (no control group)"
DESIGN_CLUSTER = "Cluster RCT"

PARENT_PROBLEMS = [
    "Depression",
    "Anxiety",
    "Domestic violence",
    "Substance misuse",
    "Child abuse",
    "Personality disorder",
    "Psychosis",
]
INFANT_PROBLEMS = ["Attachment", "Dysregulation", "Prematurity", "Low birthweight", "Disability"]
MODELS = [
    "Representation-focused (Fraiberg-style)",
    "Watch, Wait and Wonder",
    "Child-parent psychotherapy",
    "Other",
]


def _f(key: str, label: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": kind, **extra}


PROTOCOL_FORM: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Design",
        [
            _f(
                "design",
                "Study design",
                "choice",
                required=True,
                choices=[DESIGN_RCT, DESIGN_QUASI, DESIGN_TWO_ACTIVE, DESIGN_CLUSTER],
            ),
            _f(
                "allocation_method",
                "Allocation method",
                help_text="For a quasi-RCT: the pseudo-random sequence (alternation, date of birth, hospital number).",
            ),
            _f(
                "cluster_icc",
                "Intracluster correlation (ICC)",
                "number",
                help_text="Cluster RCTs only.",
            ),
            _f("mean_cluster_size", "Mean cluster size", "number", help_text="Cluster RCTs only."),
        ],
    ),
    (
        "Setting",
        [
            _f("country", "Country"),
            _f("setting", "Setting", help_text="Service or population the dyads came from."),
        ],
    ),
    (
        "Participants",
        [
            _f("total_randomised", "Dyads randomised (all arms)", "integer", unit="dyads"),
            _f("total_analysed", "Dyads analysed (all arms)", "integer", unit="dyads"),
            _f(
                "infant_age_months",
                "Infant age at referral (mean)",
                "number",
                unit="months",
                required=True,
            ),
            _f(
                "parent_problems",
                "Parent presenting problems",
                "multi_choice",
                choices=PARENT_PROBLEMS,
            ),
            _f("infant_problems", "Infant problems", "multi_choice", choices=INFANT_PROBLEMS),
            _f("participants_notes", "Other participant characteristics", "long_text"),
        ],
    ),
    (
        "Intervention",
        [
            _f("intervention_model", "Named model", "choice", choices=MODELS),
            _f("intervention_name", "Name and description as reported", "long_text"),
            _f("psychodynamic", "Underpinned by a psychodynamic model?", "yes_no_unclear"),
            _f("dyadic", "Delivered jointly to parent and infant (dyadic)?", "yes_no_unclear"),
            _f(
                "delivered_by_pip",
                "Delivered by a parent-infant psychotherapist?",
                "yes_no_unclear",
            ),
            _f(
                "intervention_setting",
                "Where delivered",
                "multi_choice",
                choices=["Home", "Clinic", "Hospital"],
            ),
            _f("duration_weeks", "Programme duration", "number", unit="weeks", required=True),
            _f("sessions", "Number of sessions", "integer", unit="sessions"),
            _f("focus", "Programme focus", help_text="e.g. maternal representations, infant cues."),
            _f(
                "parents_involved",
                "Parent(s) involved",
                "choice",
                choices=["Mother", "Father", "Both parents", "Other caregiver"],
            ),
        ],
    ),
    (
        "Comparator",
        [
            _f(
                "comparator_type",
                "Comparator type",
                "choice",
                choice_source="comparator_types",
                required=True,
            ),
            _f("comparator_description", "Comparator as described", "long_text"),
        ],
    ),
    (
        "Funding and conflicts of interest",
        [
            _f("funding", "Funding", "long_text"),
            _f("conflicts_of_interest", "Conflicts of interest", "long_text"),
        ],
    ),
    ("Notes", [_f("notes", "Notes", "long_text")]),
]
