"""In Chromium, on the demo review: two assessors judge a study, the adjudicator resolves the
difference, and the consensus shows in both plots and in the table."""

import pytest
from django.contrib.auth import get_user_model

from extraction.models import Study
from reviewapp.demo import seed_demo
from riskofbias.services import assessors_assign_defaults

from .conftest import cell_entries, domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def judge_in_browser(page, review, study, levels):
    from playwright.sync_api import expect  # here: the browser fixture skips when it is missing

    page.goto(f"/reviews/{review.slug}/risk-of-bias/")
    page.get_by_role("link", name=f"Assess {study.label}").click()
    for entry in cell_entries(review, levels):
        p = f"#id_c{entry.domain_id}_{entry.outcome_group_id or 0}-"
        page.locator(f"{p}level").select_option(entry.level)
        page.locator(f"{p}quote").fill(entry.quote)
        page.locator(f"{p}page").fill(entry.page)
        page.locator(f"{p}justification").fill(entry.justification)
    page.get_by_role("button", name="Save and hand in").click()
    expect(page.get_by_text(f"{study.label}: assessment handed in")).to_be_visible()


def test_two_assessors_then_adjudicator_then_plots_and_table(login_page, live_server):
    from playwright.sync_api import expect

    review = seed_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    reviewer_a, reviewer_b, adjudicator = users["cb"], users["jb"], users["nm"]
    study, _ = Study.objects.get_or_create(review=review, label="Browser trial 2026")
    assessors_assign_defaults(actor=users["lead"], review=review)

    judge_in_browser(login_page(reviewer_a), review, study, {"allocation_concealment": "unclear"})
    judge_in_browser(login_page(reviewer_b), review, study, {"allocation_concealment": "high"})

    page = login_page(adjudicator)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"/reviews/{review.slug}/risk-of-bias/")
    page.get_by_role("link", name=f"Resolve differences for {study.label}").click()
    expect(page.get_by_text("1 domain differed")).to_be_visible()
    section = page.locator(f"#compare-c{domain(review, 'allocation_concealment').pk}_0")
    assert section.get_by_text("Differs").is_visible()
    section.get_by_label("High risk").check()
    section.get_by_label("Quote from the report").fill("Sealed envelopes, not opaque")
    section.get_by_label("Page").fill("5")
    section.get_by_label("Justification").fill("Envelopes could be read against the light")
    section.get_by_role("button", name="Record consensus for Allocation concealment").click()
    expect(page.get_by_text("The consensus is complete.")).to_be_visible()
    expect(section.get_by_text("Resolved by the adjudicator")).to_be_visible()

    page.get_by_role("link", name="Plots").click()
    page.wait_for_selector("#rob-traffic-light[data-rob-drawn='true'] .main-svg")
    page.wait_for_selector("#rob-summary[data-rob-drawn='true'] .main-svg")
    traffic = page.locator("#rob-traffic-light").inner_text()
    assert study.label in traffic
    assert "−" in traffic  # the high judgement (and the overall verdict) as a symbol
    summary = page.locator("#rob-summary").inner_text()
    assert "Allocation concealment" in summary

    page.get_by_role("link", name="Risk of bias tables").click()
    table = page.locator(f"#rob-table-{study.pk}")
    assert table.get_by_text("Sealed envelopes, not opaque").is_visible()
    assert "High risk" in table.inner_text()
    assert all(url.startswith(live_server.url) for url in requests), requests
