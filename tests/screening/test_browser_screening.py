"""In a real browser: two reviewers screen from the keyboard, the adjudicator settles the conflict."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.models import ItemStatus, ScreeningConflict, ScreeningItem
from screening.services import items_sync

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A_NOTE = "a-private-note-42"


def _screen(page, keys_and_notes, review):
    from playwright.sync_api import expect

    page.goto(reverse("screening:screen", kwargs={"slug": review.slug, "stage": "ta"}))
    for done, (key, note) in enumerate(keys_and_notes, start=1):
        if note:
            page.keyboard.press("n")
            expect(page.locator("#id_note")).to_be_focused()
            page.keyboard.type(note)
            page.keyboard.press("Escape")
        page.keyboard.press(key)
        expect(page.locator("#mine-done")).to_have_text(str(done))


def test_two_reviewers_one_conflict_adjudicated(
    login_page, review, make_records, reviewer_a, reviewer_b, adjudicator
):
    from playwright.sync_api import expect

    make_records(review, 3)
    items_sync(review=review)
    first, second, third = ScreeningItem.objects.filter(review=review).order_by("id")

    page_a = login_page(reviewer_a)
    _screen(page_a, [("i", A_NOTE), ("i", ""), ("e", "")], review)
    expect(page_a.locator("#queue-empty")).to_be_visible()
    assert "Nothing left" in page_a.content()

    page_b = login_page(reviewer_b)
    page_b.goto(reverse("screening:screen", kwargs={"slug": review.slug, "stage": "ta"}))
    # blind: B sees the record A decided, but not A's vote or note
    expect(page_b.locator("#current-record")).to_have_attribute("data-item", str(first.pk))
    assert A_NOTE not in page_b.content() and "Your decision" not in page_b.content()
    for shortcut in ("I", "E", "U", "N", "Z"):
        expect(page_b.locator("#shortcuts")).to_contain_text(shortcut)
    _screen(page_b, [("i", ""), ("e", ""), ("e", "")], review)

    assert ScreeningConflict.objects.filter(resolved_at__isnull=True).count() == 1
    assert ScreeningItem.objects.get(pk=third.pk).status == ItemStatus.EXCLUDED

    page_n = login_page(adjudicator)
    page_n.goto(reverse("screening:conflicts", kwargs={"slug": review.slug}))
    conflict = page_n.locator("article.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.locator(".decision-side")).to_have_count(2)
    expect(conflict).to_contain_text("cb")
    expect(conflict).to_contain_text("jb")
    conflict.get_by_role("button", name="Include (final)").click()
    expect(page_n.locator("#no-conflicts")).to_be_visible()
    assert (
        ScreeningItem.objects.get(record_id=second.record_id, stage="ft").status == ItemStatus.OPEN
    )


def test_undo_and_arrows_from_the_keyboard(login_page, review, make_records, reviewer_a):
    from playwright.sync_api import expect

    make_records(review, 3)
    items_sync(review=review)
    first, second, _ = ScreeningItem.objects.filter(review=review).order_by("id")
    page = login_page(reviewer_a)
    _screen(page, [("u", "")], review)
    expect(page.locator("#current-record")).to_have_attribute("data-item", str(second.pk))
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#my-decision")).to_contain_text("Unsure")
    page.keyboard.press("z")
    expect(page.locator("#mine-done")).to_have_text("0")
    expect(page.locator("#current-record")).to_have_attribute("data-item", str(first.pk))
    page.keyboard.press("ArrowRight")
    expect(page.locator("#current-record")).to_have_attribute("data-item", str(second.pk))
