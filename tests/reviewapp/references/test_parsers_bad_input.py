"""Wrong encodings, line endings, junk, unsafe XML and empty files get a clear answer."""

from __future__ import annotations

import codecs

import pytest

from reviewapp.references.parsers import UNKNOWN_FORMAT, FileRefused, detect_format
from reviewapp.references.parsers.encoding import EMPTY_FILE, detect_encoding
from tests.reviewapp.references.helpers import FIXTURES, parse

TITLE = "Psychothérapie parent–bébé: «une» étude"
RIS = f"TY  - JOUR\r\nTI  - {TITLE}\r\nAU  - Müller, Zoë\r\nPY  - 2001\r\nER  - \r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16", b"", "utf-16"),  # Python writes the BOM
        ("utf-16-le", b"", "utf-16-le"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_encodings_are_detected_and_text_survives(tmp_path, encoding, prefix, expected):
    path = tmp_path / "export.ris"
    path.write_bytes(prefix + RIS.encode(encoding))
    assert detect_encoding(path) == expected
    _, good, bad = parse(path)
    assert bad == []
    assert good[0].fields["title"] == TITLE
    assert good[0].fields["authors"] == ["Müller, Zoë"]


def test_latin1_file_is_read(tmp_path):
    path = tmp_path / "latin1.ris"
    path.write_bytes(RIS.replace("–", "-").replace("«", '"').replace("»", '"').encode("latin-1"))
    _, good, _ = parse(path)
    assert good[0].fields["title"] == 'Psychothérapie parent-bébé: "une" étude'


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_lf_crlf_and_lone_cr(tmp_path, newline):
    path = tmp_path / "export.ris"
    text = (FIXTURES / "ovid_medline.ris").read_text().replace("\n", newline)
    path.write_bytes(text.encode())
    _, good, bad = parse(path)
    assert (len(good), bad) == (2, [])


def test_wos_ris_with_lone_cr_between_repeated_tags(tmp_path):
    path = tmp_path / "wos.ris"
    path.write_bytes(
        b"TY  - JOUR\nAU  - A, B\nAD  - Univ X, Canada\rAD  - Univ Toronto\nTI  - Title one here\nER  - \n"
    )
    _, good, _ = parse(path)
    assert good[0].fields["title"] == "Title one here"


def test_lens_untagged_continuation_lines_stay_in_the_abstract(tmp_path):
    path = tmp_path / "lens.ris"
    path.write_bytes(
        b"TY  - GEN\r\nTI  - Lens title\r\nAB  - <AbstractText>first\n<AbstractText>second\r\nER  - \r\n"
    )
    _, good, _ = parse(path)
    assert good[0].fields["abstract"] == "<AbstractText>first\n<AbstractText>second"


@pytest.mark.parametrize(
    "content",
    [b"", b"   \r\n\r\n"],
)
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.ris"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as caught:
        parse(path)
    assert str(caught.value) == EMPTY_FILE


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (bytes(range(256)) * 40, "binary data"),
        (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
    ],
)
def test_binary_junk_is_refused(tmp_path, content, what):
    path = tmp_path / "junk.ris"
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=what):
        parse(path)


def test_xml_external_entities_are_never_resolved(tmp_path):
    with pytest.raises(FileRefused, match="never resolved"):
        parse(FIXTURES / "xxe.xml")


def test_broken_xml_names_the_record_and_line(tmp_path):
    path = tmp_path / "broken.xml"
    good = (FIXTURES / "endnote.xml").read_text()
    path.write_text(good[: good.rindex("<record>")] + "<record>\n<titles><title>cut")
    _, records, errors = parse(path)
    assert len(records) == 1
    assert errors[0].index == 2 and errors[0].line == 2
    assert "broken after record 1" in errors[0].reason


def test_text_that_is_no_known_format_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear colleague,\nhere are the results you asked for.\n")
    with pytest.raises(FileRefused) as caught:
        parse(path)
    assert str(caught.value) == UNKNOWN_FORMAT


def test_forced_wrong_format_says_no_records_found(tmp_path):
    with pytest.raises(FileRefused, match="no records were found"):
        parse(FIXTURES / "pubmed.nbib", fmt="bibtex")


def test_pubmed_read_as_ris_names_the_missing_ty_line():
    _, good, bad = parse(FIXTURES / "pubmed.nbib", fmt="ris")
    assert good == []
    assert bad and all("'TY  -'" in e.reason for e in bad)


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        ("\ufeff\nTY  - JOUR", "ris"),
        ("\nPMID- 123\nTI  - x", "nbib"),
        ("FN Clarivate Analytics Web of Science\nVR 1.0", "wos"),
        ("PT\tAU\tTI\tSO", "wos-tab"),
        ("Scopus\nEXPORT DATE\n\n@ARTICLE{A B2023,", "bibtex"),
        ('<?xml version="1.0"?><xml><records>', "endnote-xml"),
        ('"Title","Authors","Year"\n', "csv"),
    ],
)
def test_format_detection_by_content(head, fmt):
    assert detect_format(head) == fmt


def test_two_concatenated_exports_each_with_a_bom(tmp_path):
    one = (FIXTURES / "ebsco_psycinfo.ris").read_bytes()
    path = tmp_path / "joined.ris"
    path.write_bytes(codecs.BOM_UTF8 + one + codecs.BOM_UTF8 + one)
    _, good, bad = parse(path)
    assert (len(good), bad) == (2, [])
