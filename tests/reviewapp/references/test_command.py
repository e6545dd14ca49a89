"""``manage.py import_references`` prints the summary and refuses bad input without a traceback."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviewapp.models import Record
from tests.reviewapp.references.helpers import FIXTURES

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("import_references", *args, stdout=out)
    return out.getvalue()


def test_json_summary_has_exactly_the_documented_keys(review):
    output = _run(
        review.slug, str(FIXTURES / "truncated_notitle.ris"), "--source", "Embase", "--json"
    )
    summary = json.loads(output)
    assert list(summary) == ["imported", "duplicates", "skipped", "errors"]
    assert (summary["imported"], summary["duplicates"], summary["skipped"]) == (1, 0, 2)
    assert summary["errors"][0] == {
        "record": 2,
        "line": 7,
        "reason": "Record 2 (line 7) has no title; it was not imported.",
    }
    assert Record.objects.get(review=review).source_database == "Embase"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ovid_medline.ris", "ris"),
        ("pubmed.nbib", "nbib"),
        ("endnote.xml", "endnote-xml"),
        ("scopus.bib", "bibtex"),
        ("scopus.csv", "csv"),
        ("wos.ciw", "wos"),
        ("wos_tab.txt", "wos-tab"),
    ],
)
def test_each_format_can_be_forced(review, name, fmt):
    summary = json.loads(_run(review.slug, str(FIXTURES / name), "--format", fmt, "--json"))
    assert summary["imported"] == 2


def test_second_import_reports_duplicates(review):
    _run(review.slug, str(FIXTURES / "pubmed.nbib"), "--json")
    summary = json.loads(_run(review.slug, str(FIXTURES / "pubmed.nbib"), "--json"))
    assert (summary["imported"], summary["duplicates"]) == (2, 2)


def test_all_or_nothing_imports_nothing_when_a_record_is_bad(review):
    with pytest.raises(CommandError, match="nothing was imported"):
        _run(review.slug, str(FIXTURES / "truncated_notitle.ris"), "--all-or-nothing")
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-review", "x.ris"], "No review with the slug"),
        (["review-a", "/no/such/file.ris"], "No file at"),
        (["review-a", str(FIXTURES / "xxe.xml")], "never resolved"),
    ],
)
def test_bad_input_is_a_command_error(review, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_empty_file_is_a_command_error(review, tmp_path):
    empty = tmp_path / "empty.ris"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        _run(review.slug, str(empty))
