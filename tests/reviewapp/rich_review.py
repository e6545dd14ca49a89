"""A review with at least one row in every model that travels with it: for the export tests."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from analysis import models as an
from extraction import models as ex
from extraction.selectors.cells import cell_key
from reviewapp import models as core
from reviewapp.demo import seed_demo
from reviewapp.services import audit_record
from riskofbias import models as rob
from screening import models as scr

PDF = b"%PDF-1.4\n% a tiny full text\n\x00\xff binary bytes\n"


def _extraction(study, user, measure, time_point, mean: float) -> ex.Extraction:
    at = timezone.now()
    kind = ex.Extraction.Kind.CONSENSUS if user is None else ex.Extraction.Kind.EXTRACTOR
    extraction = ex.Extraction.objects.create(
        study=study,
        kind=kind,
        extractor=user,
        status=ex.Extraction.Status.SUBMITTED,
        answers={"duration_weeks": 12, "setting": {"not_reported": True}},
        submitted_at=at,
    )
    arms = [
        ex.Arm.objects.create(
            extraction=extraction, label=label, n_randomised=40, n_analysed=38, order=i
        )
        for i, label in enumerate(["PIP", "Control"])
    ]
    comparison = ex.Comparison.objects.create(extraction=extraction, label="PIP vs control")
    ex.ArmRole.objects.create(comparison=comparison, arm=arms[0], role="intervention")
    ex.ArmRole.objects.create(comparison=comparison, arm=arms[1], role="control")
    for arm in arms:
        ex.OutcomeResult.objects.create(
            extraction=extraction,
            arm=arm,
            measure=measure,
            time_point=time_point,
            mean=mean,
            sd=4.25,
            n=38,
            not_reported=["se"],
            sources={"mean": "p. 7, table 2"},
        )
    return extraction


def build_rich_review() -> core.Review:
    """Return the demo review with a row in every exported model."""
    review = seed_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    lead, cb, jb, nm = users["lead"], users["cb"], users["jb"], users["nm"]
    now = timezone.now()
    records = list(core.Record.objects.filter(review=review).order_by("pk"))
    reason = core.ExclusionReason.objects.filter(review=review).first()
    job = core.Job.objects.create(review=review, kind="import", task_name="references.import")

    source = core.SearchSource.objects.filter(review=review).first()
    batch = core.ImportBatch.objects.create(
        review=review,
        source=source,
        database_name="CENTRAL (demo)",
        file_name="demo.ris",
        file_path="imports/demo.ris",
        status=core.ImportBatch.Status.IMPORTED,
        options={"dedupe": True},
        errors=[{"line": 3, "message": "no title"}],
        job=job,
        created_by=lead,
        finished_at=now,
    )
    core.Record.objects.filter(pk__in=[r.pk for r in records[:5]]).update(batch=batch)
    duplicate = records[-1]
    duplicate.duplicate_of = records[0]
    duplicate.save()
    core.DuplicatePair.objects.create(
        review=review, kept=records[0], duplicate=duplicate, method="doi", score=99.5,
        status=core.DuplicatePair.Status.MERGED, decided_by=lead, decided_at=now,
    )  # fmt: skip

    item = scr.ScreeningItem.objects.get(record=records[0], stage="ta")
    for user, verdict in ((cb, "include"), (jb, "exclude")):
        scr.ScreeningDecision.objects.create(
            review=review, item=item, record=records[0], stage="ta", reviewer=user,
            verdict=verdict, note=f"{user.username}: <script>alert(1)</script> ünïcode",
        )  # fmt: skip
    scr.ScreeningConflict.objects.create(
        review=review, item=item, kind="include_exclude", resolved_by=nm, resolved_at=now,
        verdict="include", note="adjudicated",
    )  # fmt: skip
    scr.ScreeningItem.objects.filter(pk=item.pk).update(
        status="included", final_verdict="include", decision_count=2, resolved_at=now
    )
    ft_item = scr.ScreeningItem.objects.create(
        review=review, record=records[0], stage="ft", status="excluded", final_verdict="exclude",
        final_reason=reason, decision_count=1, resolved_at=now, rank_score=0.75,
    )  # fmt: skip
    scr.ScreeningDecision.objects.create(
        review=review, item=ft_item, record=records[0], stage="ft", reviewer=cb,
        verdict="exclude", reason=reason,
    )  # fmt: skip
    full_text = scr.FullText(
        review=review, record=records[0], pdf_name="Cohen 1999.pdf",
        link="https://example.org/cohen", updated_by=lead,
    )  # fmt: skip
    full_text.pdf.save("upload.pdf", ContentFile(PDF), save=True)
    scr.RankingState.objects.create(
        review=review, decisions_at_training=3, trained_at=now, n_included=1, n_excluded=2,
        n_ranked=38, estimated_relevant_remaining=2.5, model_name="logistic", seconds=0.125,
    )  # fmt: skip

    study = ex.Study.objects.filter(review=review).order_by("pk").first()
    study.reports.add(records[0], records[2])
    ex.AuthorContact.objects.create(
        study=study, contacted="Dr Cohen", question="SDs at 6 months?", asked_on=dt.date(2026, 3, 1),
        reply="Attached", replied_on=dt.date(2026, 3, 9), data_received="SD 4.1", created_by=lead,
    )  # fmt: skip
    measure = core.Measure.objects.filter(review=review).order_by("pk").first()
    time_point = core.TimePoint.objects.filter(review=review).order_by("pk").first()
    _extraction(study, cb, measure, time_point, 10.5)
    _extraction(study, jb, measure, time_point, 11.0)
    consensus = _extraction(study, None, measure, time_point, 10.5)
    consensus.resolutions = {
        cell_key("result", "PIP", measure.pk, time_point.pk, "mean"): {"value": 10.5, "by": "nm"},
        cell_key("source", "PIP", measure.pk, time_point.pk, "mean"): {"value": "p. 7"},
        cell_key("field", "duration_weeks"): {"value": 12},
    }
    consensus.save()

    assignment = rob.AssessorAssignment.objects.filter(study=study).order_by("pk").first()
    assignment.completed_at = now
    assignment.save()
    domain = rob.RobDomain.objects.filter(tool__review=review).order_by("position").first()
    group = rob.OutcomeGroup.objects.filter(review=review).order_by("pk").first()
    rob.RobJudgement.objects.create(
        assignment=assignment, domain=domain, level="low", quote="computer-generated",
        page="4", justification="Random sequence described.",
    )  # fmt: skip
    rob.RobJudgement.objects.create(
        assignment=assignment, domain=domain, outcome_group=group, level="high",
        nothing_reported=True, justification="Observers knew the allocation.",
    )  # fmt: skip
    rob.ConsensusJudgement.objects.create(
        study=study, domain=domain, level="low", quote="computer-generated", page="4",
        justification="Agreed.", source="agreement", decided_by=nm,
    )  # fmt: skip

    comparison = an.Comparison.objects.filter(review=review).order_by("pk").first()
    comparison.comparator_types.add(*core.ComparatorType.objects.filter(review=review)[:2])
    analysis = an.Analysis.objects.create(
        review=review, comparison=comparison, domain=measure.domain, measure=measure,
        time_point=time_point, data_type="continuous", effect_measure="SMD",
        excluded_studies={str(study.pk): "outlier in a sensitivity check"},
    )  # fmt: skip
    run = an.AnalysisRun.objects.create(
        analysis=analysis, status="ok", input_hash="a" * 64,
        input_snapshot={"studies": [{"study_id": study.pk, "study": study.label}]},
        engine_version="engine-1", computed_at=now, result={"random": {"estimate": -0.31}}, job=job,
    )  # fmt: skip
    analysis.current_run = run
    analysis.save()
    an.GradeJudgement.objects.create(
        analysis=analysis, domain="risk_of_bias", suggested_downgrade=1, accepted_downgrade=1,
        footnote="Most weight from studies at high risk.", decided_by=lead,
    )  # fmt: skip
    audit_record(actor=lead, review=review, action="test.rich", obj=run, after={"at": now})
    return review
