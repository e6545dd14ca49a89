"""The demo review from the protocol: its users, vocabulary and records to click through."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from reviewapp.models import Record, Review, Role, SearchSource
from reviewapp.services import membership_grant, review_create

DEMO_SLUG = "parent-infant-psychotherapy"
DEMO_PASSWORD = "demo-review-2026"
# username -> (full name, roles)
DEMO_USERS: dict[str, tuple[str, list[str]]] = {
    "lead": ("Review Lead", [Role.LEAD]),
    "cb": ("C. B.", [Role.REVIEWER]),
    "jb": ("J. B.", [Role.REVIEWER]),
    "nm": ("N. M.", [Role.ADJUDICATOR]),
}

QUESTION = (
    "To assess the effectiveness of parent-infant psychotherapy in improving parental and infant "
    "mental health and the parent-infant relationship, and to identify the programme components "
    "associated with more effective outcomes and factors that modify intervention effectiveness."
)
ELIGIBILITY = (
    "Studies: RCTs and quasi-RCTs against waiting list, no treatment, treatment as usual or placebo, "
    "or comparing two therapeutic modalities.\n"
    "Participants: parent-infant dyads where the parent has mental health problems, domestic violence, "
    "substance misuse or child abuse, and/or the infant shows attachment or dysregulation problems; "
    "infants aged 24 months or less at referral.\n"
    "Interventions: psychodynamic parent-infant psychotherapy delivered jointly to parent and infant "
    "by a parent-infant psychotherapist on a dyadic basis, in any setting, over any period.\n"
    "Outcomes: parental mental health, parent-infant interaction, infant emotional well-being and "
    "attachment; secondary: reflective function, sensitivity, infant stress and development."
)

_RELEVANT_TOPICS = [
    ("Parent-infant psychotherapy for postnatally depressed mothers", "depression", "BDI"),
    (
        "Watch, Wait and Wonder versus psychodynamic parent-infant psychotherapy",
        "attachment",
        "SSP",
    ),
    ("Child-parent psychotherapy with toddlers of depressed mothers", "attachment security", "SSP"),
    ("Infant-parent psychotherapy after domestic violence", "trauma symptoms", "ITSEA"),
    (
        "Representation-focused mother-infant therapy in a clinic setting",
        "maternal sensitivity",
        "CARE-Index",
    ),
    (
        "Home-visiting parent-infant psychotherapy for substance-misusing mothers",
        "interaction quality",
        "NCATS",
    ),
    (
        "Mother-infant psychoanalytic treatment for infants with regulatory problems",
        "infant regulation",
        "EAS",
    ),
    (
        "Dyadic psychotherapy for mothers with personality disorder and their infants",
        "reflective function",
        "PDI",
    ),
]
_IRRELEVANT_TOPICS = [
    "Cognitive behavioural therapy for adolescent anxiety: a systematic review",
    "Iron supplementation in low birthweight infants: a randomised trial",
    "School-based mindfulness programme for children aged 8 to 12",
    "Group parenting programme for conduct problems in preschool children",
    "Pharmacological treatment of postpartum psychosis: a review",
    "Breastfeeding promotion and infant growth in a cluster randomised trial",
]
_SURNAMES = [
    "Cohen",
    "Lieberman",
    "Fonagy",
    "Salomonsson",
    "Robert-Tissot",
    "Cicchetti",
    "Toth",
    "Sleed",
    "Barlow",
    "Murray",
    "Cooper",
    "Sadler",
    "Slade",
    "Suchman",
    "Ammaniti",
]


def _demo_records(rng: random.Random) -> list[dict]:
    records = []
    for i in range(24):
        title, outcome, measure = _RELEVANT_TOPICS[i % len(_RELEVANT_TOPICS)]
        surname = _SURNAMES[i % len(_SURNAMES)]
        n = rng.randint(40, 160)
        records.append(
            {
                "title": f"{title}: a randomised controlled trial ({i // len(_RELEVANT_TOPICS) + 1})",
                "abstract": (
                    f"Objective: to test whether parent-infant psychotherapy improves {outcome}. "
                    f"Method: {n} mother-infant dyads with infants under 12 months were randomly allocated "
                    f"to psychotherapy or treatment as usual. Outcomes were measured with the {measure} "
                    f"post-intervention and at 6 and 12 months. Results: the intervention group improved "
                    f"more on {outcome} than controls."
                ),
                "authors": [f"{surname}, A.", f"{_SURNAMES[(i + 3) % len(_SURNAMES)]}, B."],
                "year": 1995 + i,
                "journal": "Infant Mental Health Journal",
                "keywords": ["parent-infant psychotherapy", "randomized controlled trial", outcome],
            }
        )
    for i in range(16):
        title = _IRRELEVANT_TOPICS[i % len(_IRRELEVANT_TOPICS)]
        surname = _SURNAMES[(i + 7) % len(_SURNAMES)]
        records.append(
            {
                "title": f"{title} ({i // len(_IRRELEVANT_TOPICS) + 1})",
                "abstract": (
                    "Background: a common problem in child and adolescent health. Methods: review of "
                    f"{rng.randint(5, 40)} studies or a trial in a school or hospital population. "
                    "Conclusions: further research is needed."
                ),
                "authors": [f"{surname}, C."],
                "year": 2000 + i,
                "journal": "Journal of Child Psychology and Psychiatry",
                "keywords": ["child", "review"],
            }
        )
    rng.shuffle(records)
    return records


@transaction.atomic
def seed_demo() -> Review:
    """Create (or complete) the demo review; running it again changes nothing."""
    User = get_user_model()
    users = {}
    for username, (full_name, _roles) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user

    review = Review.objects.filter(slug=DEMO_SLUG).first()
    if review is None:
        review = review_create(
            actor=users["lead"],
            title="Parent-infant psychotherapy for improving parental and infant mental health",
            slug=DEMO_SLUG,
            question=QUESTION,
            eligibility_criteria=ELIGIBILITY,
        )
    for username, (_name, roles) in DEMO_USERS.items():
        for role in roles:
            membership_grant(actor=users["lead"], review=review, user=users[username], role=role)

    if not review.sources.exists():
        source = SearchSource.objects.create(
            review=review,
            database_name="CENTRAL (demo)",
            search_strategy="#1 MeSH descriptor: [Infant] explode all trees\n#2 psychotherap*\n#3 #1 AND #2",
            file_name="demo.ris",
            file_format="ris",
            uploaded_by=users["lead"],
        )
        Record.objects.bulk_create(
            Record(
                review=review,
                source=source,
                position_in_source=i + 1,
                source_database=source.database_name,
                raw="",
                **fields,
            )
            for i, fields in enumerate(_demo_records(random.Random(2026)))
        )
    from extraction.demo import seed_extraction_demo  # local: reviewapp loads before the stage apps

    seed_extraction_demo(review)
    from riskofbias.demo import seed_riskofbias_demo  # local: reviewapp loads before the stage apps

    seed_riskofbias_demo(review)
    from screening.demo import screening_demo  # local: reviewapp loads before the stage apps

    screening_demo(review)
    from analysis.demo import seed_analysis_demo  # local: reviewapp loads before the stage apps

    seed_analysis_demo(review)
    return review
