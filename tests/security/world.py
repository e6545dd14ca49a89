"""Build a review with one real object behind every id a review URL can take.

Records arrive through the importer (a RIS file), then each stage's services (or, where the
tests of that stage do so, its models) add screening rows, a conflict, a full-text row, a
duplicate pair, studies with consensus data, the risk-of-bias tool, and proposed analyses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from reviewapp.models import Review, Role
from reviewapp.selectors import review_members

PLAIN_RECORDS = [
    {
        "title": f"Parent-infant psychotherapy trial {i}",
        "abstract": "Mothers and infants were randomised.",
        "authors": [f"Author{i}, A."],
        "journal": "Infant Mental Health Journal",
        "keywords": ["infant", "psychotherapy"],
        "year": 2000 + i,
    }
    for i in range(6)
]


def ris_text(records: list[dict]) -> str:
    """Write ``records`` (title, abstract, authors, journal, keywords, year) as a RIS file."""
    lines: list[str] = []
    for i, rec in enumerate(records):
        lines += ["TY  - JOUR", f"TI  - {rec['title']}"]
        lines += [f"AU  - {a}" for a in rec["authors"]]
        lines += [f"AB  - {rec['abstract']}", f"JO  - {rec['journal']}"]
        lines += [f"KW  - {k}" for k in rec["keywords"]]
        lines += [f"UR  - {u}" for u in rec.get("urls", [])]
        lines += [f"PY  - {rec['year']}", f"DO  - 10.9999/sec.{i}", "ER  - ", ""]
    return "\n".join(lines) + "\n"


@dataclass
class World:
    review: Review
    ids: dict[str, int] = field(default_factory=dict)
    # URL name -> {param: id} where a param means a different object on that route
    overrides: dict[str, dict[str, int]] = field(default_factory=dict)

    def kwargs(self, route) -> dict[str, str]:  # noqa: ANN001
        """Fill the route's parameters with this world's real ids and valid words."""
        words = {
            "stage": "ta",
            "kind": "measures",
            "what": "outcomes",
            "fmt": "csv",
            "model": "random",
        }
        per_route = {
            "riskofbias:plot_download": {"kind": "summary", "fmt": "svg"},
            "analysis:plot_download": {"kind": "forest", "fmt": "svg"},
            "analysis:sof_download": {"fmt": "html"},
            "analysis:sof_review_download": {"fmt": "html"},
            "screening:not_retrieved": {"stage": "ft"},
        }
        values: dict[str, str] = {"slug": self.review.slug}
        for param, converter in route.converters.items():
            if param == "slug":
                continue
            if converter == "int":
                value = self.overrides.get(route.name, {}).get(param, self.ids.get(param))
                values[param] = str(value if value is not None else 999999)
            else:
                values[param] = per_route.get(route.name, {}).get(param, words.get(param, "x"))
        return values

    def url(self, route) -> str:  # noqa: ANN001
        return route.fill(self.kwargs(route))


def build_world(review: Review, records: list[dict] | None = None) -> World:
    """Import ``records`` into ``review`` and give every stage real objects; return their ids."""
    from analysis.models import Analysis
    from analysis.models import Comparison as AnalysisComparison
    from analysis.services.proposal import analyses_propose, comparisons_install_defaults
    from extraction.models import Arm, Comparison, Extraction, FormField, OutcomeResult
    from extraction.services import form_install_protocol, study_create_from_records
    from reviewapp.models import DuplicatePair, ImportBatch, Job, Record
    from reviewapp.references.services import batch_create, batch_import
    from riskofbias.services import assessors_assign_defaults, tool_install_default
    from screening.models import ScreeningConflict, ScreeningItem, Stage
    from screening.services import decision_record, items_sync
    from tests.analysis.conftest import BDI_STUDIES, add_study

    lead = review_members(review, Role.LEAD).first()
    reviewers = list(review_members(review, Role.REVIEWER).order_by("id"))
    records = records or PLAIN_RECORDS
    data = ris_text(records).encode()
    batch = batch_create(
        actor=lead,
        review=review,
        database_name=records[0]["journal"],
        file_name="hostile.ris",
        chunks=[data],
        size=len(data),
    )
    summary = batch_import(actor=lead, batch_id=batch.pk, on_error="skip")
    assert summary["imported"] == len(records), summary
    world = World(review)
    recs = list(Record.objects.filter(review=review).order_by("id"))
    world.ids["batch_id"] = ImportBatch.objects.filter(review=review).latest("id").pk
    world.ids["record_id"] = recs[0].pk
    pair, _ = DuplicatePair.objects.get_or_create(
        review=review,
        kept=recs[2],
        duplicate=recs[3],
        defaults={"method": "fuzzy", "score": 91.0},
    )
    world.ids["pair_id"] = pair.pk

    # Screening: one conflict (include v exclude), one row through to full text.
    items_sync(review=review)
    ta = list(
        ScreeningItem.objects.filter(review=review, stage=Stage.TITLE_ABSTRACT).order_by("id")
    )
    if len(reviewers) >= 2:
        a, b = reviewers[:2]
        decision_record(actor=a, review=review, item_id=ta[0].pk, verdict="include")
        decision_record(actor=b, review=review, item_id=ta[0].pk, verdict="exclude")
        for item in ta[1:3]:
            for user in (a, b):
                decision_record(actor=user, review=review, item_id=item.pk, verdict="include")
    conflict = ScreeningConflict.objects.filter(review=review).first()
    if conflict:
        world.ids["conflict_id"] = conflict.pk
    ft = ScreeningItem.objects.filter(review=review, stage=Stage.FULL_TEXT).first()
    if ft:
        world.ids["item_id"] = ft.pk
        world.overrides["screening:fulltext_pdf"] = {"record_id": ft.record_id}

    # Extraction: the protocol's form, a study made from a record, studies with consensus data.
    form_install_protocol(actor=lead, review=review)
    study = study_create_from_records(
        actor=lead, review=review, records=[recs[1]], require_included=False
    )
    world.ids["study_id"] = study.pk
    for n, (label, e, c) in enumerate(BDI_STUDIES[:3]):
        add_study(
            review,
            f"{records[n % len(records)]['authors'][0]} {label}",
            results=[("BDI", "Post-intervention", "continuous", e, c)],
        )
    consensus = Extraction.objects.filter(study__review=review, kind=Extraction.Kind.CONSENSUS)
    world.ids["arm_id"] = Arm.objects.filter(extraction__in=consensus).first().pk
    world.ids["result_id"] = OutcomeResult.objects.filter(extraction__in=consensus).first().pk
    world.ids["field_id"] = FormField.objects.filter(section__review=review).first().pk
    extraction_comparison = Comparison.objects.filter(extraction__in=consensus).first()
    # Routes under studies/<study_id>/ take arms, comparisons and results of that study.
    cstudy = extraction_comparison.extraction.study_id
    for name in ("arm_delete", "comparison_delete", "result_edit", "result_delete"):
        world.overrides[f"extraction:{name}"] = {
            "study_id": cstudy,
            "comparison_id": extraction_comparison.pk,
        }

    tool_install_default(actor=lead, review=review)
    assessors_assign_defaults(actor=lead, review=review)
    if len(reviewers) >= 2:
        _judge_everything(review, reviewers[:2], text=records[0]["authors"][0])

    comparisons_install_defaults(actor=lead, review=review)
    analyses_propose(actor=lead, review=review)
    analysis = Analysis.objects.filter(review=review).first()
    if analysis:
        world.ids["analysis_id"] = analysis.pk
    analysis_comparison = (
        analysis.comparison
        if analysis
        else AnalysisComparison.objects.filter(review=review).first()
    )
    world.ids["comparison_id"] = analysis_comparison.pk
    job = Job.objects.filter(review=review).first() or Job.objects.create(
        review=review, kind="references.import", task_name="references.import", message="Waiting"
    )
    world.ids["job_id"] = job.pk
    return world


def _judge_everything(review: Review, assessors: list[AbstractBaseUser], text: str) -> None:
    """Both assessors judge every cell of every study alike, quoting ``text``: consensus."""
    from extraction.models import Study
    from riskofbias.models import OutcomeGroup, RobDomain
    from riskofbias.services import JudgementInput, judgements_save

    groups = list(OutcomeGroup.objects.filter(review=review))
    entries = [
        JudgementInput(
            domain_id=domain.pk,
            outcome_group_id=group.pk if group else None,
            level="low",
            quote=text,
            page="4",
            justification=text,
        )
        for domain in RobDomain.objects.filter(tool__review=review)
        for group in (groups if domain.per_outcome_group else [None])
    ]
    for study in Study.objects.filter(review=review):
        for user in assessors:
            judgements_save(
                actor=user, review=review, study_id=study.pk, entries=entries, complete=True
            )
