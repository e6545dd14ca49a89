"""The downloadable R script runs in R (metafor) and reproduces the app's numbers."""

import shutil
import subprocess

import pytest

from analysis.models import Analysis
from analysis.rscript import r_script
from analysis.services.options import analysis_update
from analysis.services.proposal import analyses_propose, comparisons_install_defaults

pytestmark = pytest.mark.django_db


def _run_r(script: str, tmp_path) -> str:
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed here (apt-get install r-base-core r-cran-metafor)")
    path = tmp_path / "analysis.R"
    path.write_text(script)
    done = subprocess.run(
        ["Rscript", str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    if "there is no package called" in done.stderr:
        pytest.skip("the metafor R package is not installed here")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("measure", "options"),
    [
        ("MD", {}),
        ("SMD", {"effect_measure": "SMD", "tau2_method": "DL"}),
        ("MD", {"tau2_method": "PM", "hksj": True}),
        ("RR", {}),
    ],
)
def test_r_script_reproduces_the_app(consensus_review, lead, run_now, tmp_path, measure, options):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    kind = "RR" if measure == "RR" else "MD"
    analysis = Analysis.objects.get(review=consensus_review, effect_measure=kind)
    if options:
        analysis_update(actor=lead, analysis=analysis, options=options)
    run_now(consensus_review)
    analysis.refresh_from_db()
    out = _run_r(r_script(analysis, analysis.current_run), tmp_path)
    assert "Fixed effect agrees with the app: TRUE" in out, out
    assert "Random effects agrees with the app: TRUE" in out, out
    checks = [line.split()[1:] for line in out.splitlines() if line.startswith("CHECK")]
    pooled = analysis.current_run.result["random"]["pooled"]
    assert float(checks[1][0]) == pytest.approx(pooled["estimate"], rel=1e-6)
