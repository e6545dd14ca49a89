"""The demo review in a real browser: two reviewers extract a study blind, the comparison
shows their differences, the adjudicator resolves them, and the analysis reads the result."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    from django.contrib.auth import get_user_model

    from reviewapp.demo import seed_demo

    review = seed_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    return review, review.studies.order_by("id").first(), users


def _extract(page, review, study, *, country, pip_mean, bad_sd_first=False):
    from playwright.sync_api import expect

    page.goto(f"/reviews/{review.slug}/extraction/studies/{study.pk}/")
    expect(page.get_by_role("heading", name=f"{study.label}: your extraction")).to_be_visible()
    page.locator("#id_f-design").select_option("RCT")
    page.locator("#id_f-infant_age_months").fill("7")
    page.locator("#id_f-duration_weeks").fill("20")
    page.locator("#id_f-comparator_type").select_option("Treatment as usual")
    page.locator("#id_f-country").fill(country)
    page.locator("#id_f-funding__nr").check()
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    if bad_sd_first:
        page.locator("#id_f-total_randomised").fill("eighty")
        page.locator("#id_f-total_randomised").blur()
        expect(page.locator("#err-total_randomised")).to_contain_text("Enter a whole number")
        page.reload()  # the good answers were saved as a draft
        expect(page.locator("#id_f-country")).to_have_value(country)
        expect(page.locator("#id_f-funding__nr")).to_be_checked()
    for label in ("PIP", "TAU"):
        page.locator("#id_arm-label").fill(label)
        page.locator("#id_arm-n_randomised").fill("42")
        page.get_by_role("button", name="Add arm").click()
        expect(page.get_by_role("rowheader", name=label)).to_be_visible()
    page.locator("#id_cmp-intervention_0").check()
    page.locator("#id_cmp-control_1").check()
    page.get_by_role("button", name="Add comparison").click()
    expect(page.get_by_text("Intervention vs control:")).to_be_visible()
    for arm, mean, sd in (("PIP", pip_mean, "5"), ("TAU", "16", "6")):
        page.locator("#id_res-arm").select_option(label=arm)
        page.locator("#id_res-measure").select_option(label="BDI — Parental mental health")
        page.locator("#id_res-time_point").select_option(label="Post-intervention")
        page.locator("#id_res-mean").fill(mean)
        page.locator("#id_res-sd").fill("-2" if bad_sd_first and arm == "PIP" else sd)
        page.locator("#id_res-n").fill("40")
        page.locator("#id_res-src_mean").fill("p. 5, table 2")
        page.get_by_role("button", name="Save numbers").click()
        if bad_sd_first and arm == "PIP":
            expect(page.get_by_text("SD cannot be negative (got -2).")).to_be_visible()
            expect(page.locator("#id_res-mean")).to_have_value(mean)  # the draft is kept
            page.locator("#id_res-sd").fill(sd)
            page.get_by_role("button", name="Save numbers").click()
        expect(page.get_by_text("Outcome numbers saved.")).to_be_visible()
    page.get_by_role("button", name="Submit extraction").click()
    expect(page.get_by_text("Extraction submitted.")).to_be_visible()


def test_two_reviewers_extract_blind_and_the_adjudicator_agrees(login_page, demo):
    from playwright.sync_api import expect

    from extraction.selectors import consensus_outcome_data, consensus_study_characteristics

    review, study, users = demo
    cb = login_page(users["cb"])
    _extract(cb, review, study, country="UK", pip_mean="12", bad_sd_first=True)

    jb = login_page(users["jb"])
    jb.goto(f"/reviews/{review.slug}/extraction/studies/{study.pk}/")
    expect(jb.locator("#id_f-country")).to_have_value("")  # nothing of cb's leaks
    jb.goto(f"/reviews/{review.slug}/extraction/studies/{study.pk}/compare/")
    expect(
        jb.get_by_text("The comparison opens when both extractors have submitted.")
    ).to_be_visible()
    _extract(jb, review, study, country="United Kingdom", pip_mean="12.5")

    nm = login_page(users["nm"])
    nm.goto(f"/reviews/{review.slug}/extraction/studies/{study.pk}/compare/")
    expect(nm.locator("#compare-summary")).to_contain_text("2 differences; 2 still to resolve")
    mean_row = nm.locator("tr.cell-differs", has_text="PIP: Mean")
    expect(mean_row.locator(".value-a")).to_have_text("12")
    expect(mean_row.locator(".value-b")).to_have_text("12.5")
    mean_row.get_by_label(re.compile("Use B")).check()
    mean_row.get_by_role("button", name=re.compile("Save")).click()
    expect(nm.locator("#compare-summary")).to_contain_text("1 still to resolve")

    country_row = nm.locator("tr.cell-differs", has_text="Country")
    country_row.get_by_label(re.compile("Edited value")).fill("England")
    country_row.get_by_role("button", name=re.compile("Save")).click()
    expect(nm.locator("#compare-summary")).to_contain_text("Consensus final")
    expect(
        nm.locator("tr.cell-differs", has_text="Country").locator(".value-consensus")
    ).to_contain_text("England")

    rows = {r.arm_role: (r.mean, r.sd, r.n) for r in consensus_outcome_data(review)}
    assert rows == {"intervention": (12.5, 5.0, 40), "control": (16.0, 6.0, 40)}
    characteristics = consensus_study_characteristics(review)[0]
    assert characteristics["country"] == "England"
    assert characteristics["funding"] is None and "funding" in characteristics["not_reported"]
