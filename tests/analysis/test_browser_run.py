"""In Chromium: press "Run analyses", wait for the job, open a forest plot (and save it as PNG and
SVG), download the SoF DOCX."""

import io
from pathlib import Path

import pytest
from docx import Document

from analysis.services.proposal import analyses_propose, comparisons_install_defaults

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_open_forest_plot_and_download_sof_docx(login_page, consensus_review, lead):
    comparisons_install_defaults(actor=lead, review=consensus_review)
    analyses_propose(actor=lead, review=consensus_review)
    page = login_page(lead)
    page.goto(f"/reviews/{consensus_review.slug}/analysis/")
    page.get_by_role("button", name="Run analyses").click()
    page.locator("#run-status").get_by_text("Done").wait_for(timeout=30_000)

    page.get_by_role("link", name="Show the updated results").click()
    page.get_by_role("link", name="Parental mental health (BDI)").click()
    page.locator("#forest-random .main-svg").first.wait_for(timeout=20_000)
    assert "Cohen 1999" in page.locator("#forest-random").inner_text()
    with page.expect_download() as png:
        page.get_by_role("link", name="Download PNG").first.click()
    assert Path(png.value.path()).read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as svg:
        page.get_by_role("link", name="Download SVG").first.click()
    assert b"Cohen 1999" in Path(svg.value.path()).read_bytes()

    page.get_by_role("link", name="← Analyses").click()
    page.get_by_role("link", name="Summary of findings").first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="DOCX").click()
    doc = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any(text.startswith("MD ") for text in cells)
