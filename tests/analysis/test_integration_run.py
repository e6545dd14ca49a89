"""The demo review, from consensus data through "Run analyses" on a real worker (PostgreSQL + Redis) to each download."""

import csv
import io
import time

import pytest
from django.urls import reverse
from docx import Document

from analysis.engine import StudyData, meta_analyze
from analysis.models import Analysis, AnalysisRun, Comparison
from analysis.services.proposal import analyses_propose, comparisons_install_defaults
from reviewapp.models import Job
from tests.analysis.conftest import BDI_STUDIES, add_study

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for(job_id: int, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s: {job.status} {job.message}")


def test_run_analyses_on_a_real_worker_then_download_everything(celery_worker_process, client):
    from reviewapp.demo import seed_demo
    from reviewapp.models import Role
    from reviewapp.selectors import review_members

    review = seed_demo()
    lead = review_members(review, Role.LEAD).first()
    # The demo review's consensus data: five trials agreed on BDI and CARE-Index.
    for i, (label, e, c) in enumerate(BDI_STUDIES):
        add_study(
            review,
            label,
            design="Quasi-RCT" if i == 4 else "RCT",
            results=[
                ("BDI", "Post-intervention", "continuous", e, c),
                ("CARE-Index", "6 months", "dichotomous", (10 + i, e[2]), (6 + i, c[2])),
            ],
        )
    comparisons_install_defaults(actor=lead, review=review)
    analyses_propose(actor=lead, review=review)
    client.force_login(lead)
    assert client.post(reverse("analysis:run", args=[review.slug])).status_code == 302
    job = _wait_for(Job.objects.get(review=review, kind="analysis.run").pk)
    assert job.status == Job.Status.DONE, job.error
    assert job.result == {"computed": 2, "reused": 0, "failed": 0}
    assert AnalysisRun.objects.filter(analysis__review=review, status="ok").count() == 2

    studies = [
        StudyData(study=s, mean_e=e[0], sd_e=e[1], n_e=e[2], mean_c=c[0], sd_c=c[1], n_c=c[2])
        for s, e, c in BDI_STUDIES
    ]
    pooled = meta_analyze(studies, measure="MD", model="random", tau2_method="REML")["pooled"]
    expected = f"MD {pooled['estimate']:.2f} ({pooled['ci_low']:.2f} to {pooled['ci_high']:.2f})"

    comparison = Comparison.objects.get(review=review, order=0)
    docx = client.get(reverse("analysis:sof_download", args=[review.slug, comparison.pk, "docx"]))
    cells = [
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    ]
    assert expected in cells
    text = client.get(reverse("analysis:sof_review_download", args=[review.slug, "csv"])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert any(expected in row for row in rows)
    html = client.get(reverse("analysis:sof_download", args=[review.slug, comparison.pk, "html"]))
    assert expected in html.content.decode()
    md = Analysis.objects.get(review=review, effect_measure="MD")
    svg = client.get(
        reverse("analysis:plot_download", args=[review.slug, md.pk, "forest", "random", "svg"])
    )
    assert (
        f"{pooled['estimate']:.2f} [{pooled['ci_low']:.2f}, {pooled['ci_high']:.2f}]"
        in svg.content.decode()
    )
    script = client.get(reverse("analysis:rscript", args=[review.slug, md.pk]))
    assert "library(metafor)" in script.content.decode()

    # Pressing the button again on the worker reuses every stored result.
    client.post(reverse("analysis:run", args=[review.slug]))
    again = _wait_for(
        Job.objects.filter(review=review, kind="analysis.run").order_by("-id").first().pk
    )
    assert again.result == {"computed": 0, "reused": 2, "failed": 0}
    assert AnalysisRun.objects.filter(analysis__review=review).count() == 2
