"""Every format imports from a small hand-written file that mimics the vendor's export."""

from __future__ import annotations

import pytest

from reviewapp.references.parsers.base import NO_TITLE
from tests.reviewapp.references.helpers import FIXTURES, parse


def test_pubmed_nbib_joins_continuation_lines_and_reads_doi():
    fmt, good, bad = parse(FIXTURES / "pubmed.nbib")
    assert (fmt, len(good), bad) == ("nbib", 2, [])
    first = good[0].fields
    assert first["title"].endswith("mental health: a randomised controlled trial.")
    assert first["authors"] == ["Barlow, Jane", "Schrader-McMillan, Anita"]
    assert (first["year"], first["volume"], first["issue"], first["pages"]) == (
        2019,
        "40",
        "2",
        "112-120",
    )
    assert first["doi"] == "10.1002/imhj.21001"
    assert first["pmid"] == "31000001"
    assert "METHODS: We randomised" in first["abstract"]
    assert good[1].fields["doi"] == ""
    assert good[1].raw.startswith("PMID- 31000002")


def test_ovid_ris_skips_record_number_lines_and_strips_doi_resolver():
    fmt, good, bad = parse(FIXTURES / "ovid_medline.ris")
    assert (fmt, len(good), bad) == ("ris", 2, [])
    first = good[0].fields
    assert first["doi"] == "10.1002/imhj.21001"
    assert first["pmid"] == "31000001"  # AN of a MEDLINE record is the PMID
    assert first["pages"] == "112-120"
    assert first["journal"] == "Infant mental health journal"
    assert good[1].line == 21


def test_cochrane_ris_with_preamble_and_wide_tags():
    _, good, bad = parse(FIXTURES / "cochrane.ris")
    assert (len(good), bad) == (2, [])
    assert good[0].fields["pmid"] == "10500000"
    assert good[0].fields["authors"] == ["Cohen, NJ", "Muir, E"]
    assert good[0].fields["doi"].startswith("10.1002/(sici)1097-0355")
    assert "Record #" not in good[1].raw


def test_ebsco_ris_takes_doi_from_l3_and_ignores_orcid_url():
    _, good, _ = parse(FIXTURES / "ebsco_psycinfo.ris")
    fields = good[0].fields
    assert fields["doi"] == "10.1080/0075417x.2016.1234567"
    assert fields["url"].startswith("https://search.ebscohost.com")
    assert fields["year"] == 2016
    assert "APA, all rights reserved" in fields["abstract"]


def test_endnote_xml_reads_style_wrapped_and_plain_values():
    fmt, good, bad = parse(FIXTURES / "endnote.xml")
    assert (fmt, len(good), bad) == ("endnote-xml", 2, [])
    assert good[0].fields["authors"] == ["Barlow, J.", "Bennett, C."]
    assert good[0].fields["doi"] == "10.1002/14651858.cd010534.pub2"
    assert good[1].fields["journal"] == "International Journal of Psychoanalysis"
    assert "<rec-number>3</rec-number>" in good[1].raw


def test_bibtex_keeps_scopus_entries_that_bibtexparser_drops():
    fmt, good, bad = parse(FIXTURES / "scopus.bib")
    assert (fmt, len(good), bad) == ("bibtex", 2, [])
    first = good[0].fields
    assert (
        first["title"]
        == "Treating postnatal depression with Parent-infant psychotherapy: & a trial"
    )
    assert first["authors"] == ["Inês Silva, M.", "Cooper, P. J."]
    assert first["pages"] == "12 - 20"
    assert good[1].fields["issue"] == "5"
    assert good[1].raw.startswith("@ARTICLE{Murray2003")


def test_wos_plain_text_one_author_per_continuation_line():
    fmt, good, bad = parse(FIXTURES / "wos.ciw")
    assert (fmt, len(good), bad) == ("wos", 2, [])
    first = good[0].fields
    assert first["authors"] == ["Robert-Tissot, Christiane", "Cramer, Bertrand"]
    assert (
        first["title"]
        == "Prevention and treatment in infancy: comparison of two brief psychotherapies"
    )
    assert first["pages"] == "97-114"
    assert good[1].fields["pmid"] == "16600000"


def test_wos_tab_delimited_with_unquoted_quotes_and_entities():
    fmt, good, bad = parse(FIXTURES / "wos_tab.txt")
    assert (fmt, len(good), bad) == ("wos-tab", 2, [])
    assert (
        good[0].fields["title"]
        == 'Prevention and treatment in infancy: "two" brief psychotherapies'
    )
    assert good[0].fields["abstract"] == "We compared two & more."
    assert good[0].fields["authors"] == ["Robert-Tissot, Christiane", "Cramer, Bertrand"]


@pytest.mark.parametrize(
    ("name", "title", "first_author", "pages"),
    [
        (
            "scopus.csv",
            'Controlled trial of the "short-term" effect of treatment',
            "Cooper P.J.",
            "412-419",
        ),
        (
            "embase_preamble.csv",
            "Watch, wait and wonder in clinical practice",
            "Cohen N.",
            "361-380",
        ),
        (
            "pubmed.csv",
            "Parent-infant psychotherapy for improving parental and infant mental health: a randomised controlled trial",
            "Barlow J",
            "",
        ),
    ],
)
def test_csv_guesses_the_mapping_from_the_header(name, title, first_author, pages):
    fmt, good, bad = parse(FIXTURES / name)
    assert fmt == "csv" and bad == []
    assert good[0].fields["title"] == title
    assert good[0].fields["authors"][0] == first_author
    assert good[0].fields["pages"] == pages


def test_truncated_last_record_and_record_without_title_are_named():
    _, good, bad = parse(FIXTURES / "truncated_notitle.ris")
    assert [r.fields["title"] for r in good] == ["A complete record"]
    assert [(e.index, e.line) for e in bad] == [(2, 7), (3, 12)]
    assert bad[0].reason == NO_TITLE.format(index=2, line=7)
    assert "truncated" in bad[1].reason
