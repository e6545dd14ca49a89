"""The protocol's vocabulary, installed into every new review as editable data.

Source: the parent-infant psychotherapy protocol (Types of outcome measures; Types of studies;
Types of participants; Types of interventions).
"""

from __future__ import annotations

from reviewapp.models import (
    ComparatorType,
    ExclusionReason,
    Measure,
    OutcomeDomain,
    Review,
    TimePoint,
)

P, S = OutcomeDomain.Importance.PRIMARY, OutcomeDomain.Importance.SECONDARY
G = OutcomeDomain.Group

# (domain, importance, group, [(abbreviation, full name, higher is better)])
OUTCOME_DOMAINS: list[tuple[str, str, str, list[tuple[str, str, bool | None]]]] = [
    (
        "Parental mental health",
        P,
        G.PARENT,
        [
            ("BDI", "Beck Depression Inventory", False),
            ("BAI", "Beck Anxiety Inventory", False),
            ("PSI", "Parenting Stress Index", False),
        ],
    ),
    (
        "Parent-infant interaction",
        P,
        G.RELATIONSHIP,
        [
            ("CARE-Index", "CARE-Index", True),
            ("EAS", "Emotional Availability Scales", True),
            ("ERA", "Parent-Child Early Relational Assessment", True),
            ("DPICS", "Dyadic Parent-Child Interaction Coding System", None),
            ("NCAFS", "Nursing Child Assessment of Feeding Scale", True),
            ("NCATS", "Nursing Child Assessment Teaching Scale", True),
        ],
    ),
    (
        "Infant emotional well-being and attachment security",
        P,
        G.INFANT,
        [
            ("SSP", "Strange Situation Procedure", None),
            ("ITSEA", "Infant and Toddler Social and Emotional Assessment", None),
            ("ECBI", "Eyberg Child Behaviour Inventory", False),
            ("BSQ", "Behaviour Screening Questionnaire", False),
            ("CBQ", "Child Behaviour Questionnaire", False),
        ],
    ),
    ("Adverse effects", P, G.ADVERSE, []),
    (
        "Parental reflective function",
        S,
        G.PARENT,
        [
            ("PDI", "Parent Development Interview", True),
        ],
    ),
    (
        "Parental sensitivity",
        S,
        G.PARENT,
        [
            ("MSS", "Maternal Sensitivity Scale", True),
            (
                "AMBIANCE",
                "Atypical Maternal Behavior Instrument for Assessment and Classification",
                False,
            ),
            ("FR", "Frightened/Frightening Coding System", False),
        ],
    ),
    (
        "Infant stress",
        S,
        G.INFANT,
        [
            ("Cortisol", "Salivary or urinary cortisol", None),
        ],
    ),
    (
        "Infant development",
        S,
        G.INFANT,
        [
            ("Bayley", "Bayley Scales of Infant Development", True),
        ],
    ),
]

# (name, months after the end of the intervention; None for immediately post-intervention)
TIME_POINTS: list[tuple[str, int | None]] = [
    ("Post-intervention", None),
    ("6 months", 6),
    ("12 months", 12),
    ("24 months", 24),
]

EXCLUSION_REASONS: list[str] = [
    "Not a randomised or quasi-randomised trial",
    "Wrong population: infant older than 24 months at referral",
    "Wrong population: no parental or infant problem targeted",
    "Intervention not psychodynamic",
    "Intervention not delivered jointly to parent and infant",
    "Not delivered by a parent-infant psychotherapist on a dyadic basis",
    "Wrong comparator",
    "No relevant outcome measured with a standardised measure",
    "Duplicate report with no additional data",
    "Full text not retrievable",
]

# (name, is an active treatment)
COMPARATOR_TYPES: list[tuple[str, bool]] = [
    ("Waiting list", False),
    ("No treatment", False),
    ("Treatment as usual", False),
    ("Placebo", False),
    ("Other active therapy", True),
]


def vocabulary_install_defaults(review: Review) -> None:
    """Give the review the protocol's vocabulary, skipping items it already has (idempotent)."""
    for order, (name, importance, group, measures) in enumerate(OUTCOME_DOMAINS):
        domain, _ = OutcomeDomain.objects.get_or_create(
            review=review,
            name=name,
            defaults={"importance": importance, "group": group, "order": order},
        )
        for m_order, (abbreviation, full_name, higher_is_better) in enumerate(measures):
            Measure.objects.get_or_create(
                review=review,
                name=full_name,
                defaults={
                    "domain": domain,
                    "abbreviation": abbreviation,
                    "higher_is_better": higher_is_better,
                    "order": m_order,
                },
            )
    for order, (name, months) in enumerate(TIME_POINTS):
        TimePoint.objects.get_or_create(
            review=review, name=name, defaults={"months_after_intervention": months, "order": order}
        )
    for order, name in enumerate(EXCLUSION_REASONS):
        ExclusionReason.objects.get_or_create(review=review, name=name, defaults={"order": order})
    for order, (name, active) in enumerate(COMPARATOR_TYPES):
        ComparatorType.objects.get_or_create(
            review=review, name=name, defaults={"is_active_treatment": active, "order": order}
        )
