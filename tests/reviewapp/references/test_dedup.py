"""The matching rules, without the database."""

from __future__ import annotations

from reviewapp.references.dedup import compare, find_matches, make_key, normalise, resolve, surname

TITLE = "Parent-infant psychotherapy for improving parental and infant mental health"


def key(id, title=TITLE, year=2019, authors=("Barlow, Jane",), **extra):  # noqa: A002, ANN001, ANN003, ANN201
    return make_key(id=id, title=title, year=year, authors=list(authors), **extra)


def test_normalise_drops_case_accents_punctuation_and_brackets():
    assert normalise("[Psychothérapie: l'ÉTUDE!]") == "psychotherapie l etude"


def test_surname_from_every_author_style():
    assert {
        surname("Barlow, Jane"),
        surname("Barlow J"),
        surname("Barlow J.A."),
        surname("Jane Barlow"),
    } == {"barlow"}


def test_same_doi_merges_even_with_a_reworded_title():
    match = compare(
        key(1, doi="10.1/x"), key(2, title=TITLE + ": a randomised trial", doi="10.1/x")
    )
    assert (match.method, match.auto) == ("doi", True)


def test_typo_case_and_punctuation_merge_automatically():
    typo = TITLE.upper().replace("PSYCHOTHERAPY", "PSYCHOTHERPAY") + "."
    match = compare(key(1), key(2, title=typo, authors=["Barlow J"]))
    assert (match.method, match.auto) == ("fuzzy", True)


def test_different_dois_or_pages_go_to_the_queue_not_merged():
    assert compare(key(1, doi="10.1/a"), key(2, doi="10.1/b")).auto is False
    assert compare(key(1, pages="10-20"), key(2, pages="110-120")).auto is False


def test_year_two_apart_or_different_title_is_no_match():
    assert compare(key(1), key(2, year=2022)) is None
    assert compare(key(1), key(2, title="Video feedback for parents of toddlers: a pilot")) is None


def test_short_titles_merge_only_when_volume_and_page_agree():
    short = "Editorial comment"
    assert compare(key(1, title=short), key(2, title=short)).auto is False
    same_place = {"volume": "3", "pages": "12-13"}
    assert (
        compare(key(1, title=short, **same_place), key(2, title=short, **same_place)).auto is True
    )


def test_translated_title_in_brackets_contained_in_longer_title():
    long = TITLE + " a randomised controlled trial in three centres of the national health service"
    place = {"volume": "40", "pages": "112-120"}
    assert compare(key(1, **place), key(2, title=long, **place)).auto is True
    assert compare(key(1), key(2, title=long)).auto is False


def test_blocking_finds_a_typo_in_the_first_words():
    keys = [key(1), key(2, title="Parnet-infant " + TITLE[14:])] + [
        key(10 + i, title=f"Unrelated study of something else {i}", year=1900 + 2 * i)
        for i in range(50)
    ]
    merges, queued = resolve(find_matches(keys))
    assert merges == {2: 1} and queued == []


def test_two_old_records_are_never_merged_through_a_new_one():
    old_a, old_b, new = key(1, volume="1"), key(2, volume="2"), key(3)
    merges, queued = resolve(find_matches([old_a, old_b, new], new_ids={3}), new_ids={3})
    assert merges == {3: 1}
    assert [(m.kept, m.duplicate, m.auto) for m in queued] == [(2, 3, False)]


def test_titles_differing_only_by_a_number_are_not_merged_alone():
    match = compare(key(1, title=TITLE + " part 1"), key(2, title=TITLE + " part 2"))
    assert match is not None and match.auto is False


def test_known_pairs_are_not_proposed_again():
    assert find_matches([key(1), key(2)], known_pairs={(1, 2)}) == []
