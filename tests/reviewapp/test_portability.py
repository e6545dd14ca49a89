"""Whole-review export and import: a rich review survives the round trip field by field."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from analysis import models as an
from extraction import models as ex
from reviewapp import models as core
from reviewapp.portability import review_export, review_import
from reviewapp.portability.graph import (
    CELL_ID_MODELS,
    EXCLUDED,
    IDS_IN_JSON,
    candidate_models,
    exported_models,
    is_user,
    label_of,
    plan_problems,
    review_paths,
)
from reviewapp.portability.importer import MSG_DANGLING, MSG_SLUG_TAKEN
from screening import models as scr
from tests.reviewapp.rich_review import PDF, build_rich_review


def normalise(document: dict) -> dict:
    """Return the rows with every id replaced by the row's position in its model's export."""
    models = exported_models()
    position = {
        label: {row["pk"]: index for index, row in enumerate(rows)}
        for label, rows in document["models"].items()
    }

    def ref(label: str, value):
        return None if value is None or label in EXCLUDED else position[label][value]

    out = {}
    for label, rows in document["models"].items():
        normal_rows = []
        for row in rows:
            fields = {}
            for name, value in row["fields"].items():
                field = models[label]._meta.get_field(name)
                target = label_of(field.related_model) if field.is_relation else None
                if field.many_to_many:
                    value = sorted(ref(target, v) for v in value)
                elif field.is_relation and not is_user(field.related_model):
                    value = ref(target, value)
                elif name == "pdf" and value:
                    value = value["base64"]  # the stored name carries the new ids
                elif (label, name) == ("analysis.analysis", "excluded_studies"):
                    value = {
                        ref(IDS_IN_JSON[(label, name)][5:], int(k)): v for k, v in value.items()
                    }
                elif (label, name) == ("extraction.extraction", "resolutions"):
                    value = {_cell(k, ref): v for k, v in value.items()}
                fields[name] = value
            normal_rows.append(fields)
        out[label] = normal_rows
    out["reviewapp.review"][0].pop("slug")
    return out


def _cell(key: str, ref) -> str:
    parts = json.loads(key)
    if parts[0] in ("result", "source"):
        for index, target in CELL_ID_MODELS.items():
            parts[index] = ref(target, parts[index])
    return json.dumps(parts)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def rich_review(db, media):
    return build_rich_review()


def test_every_model_of_the_review_apps_is_exported_or_excluded_with_a_reason():
    labels = {label_of(m) for m in candidate_models()}
    covered = set(exported_models()) | set(EXCLUDED)
    assert labels - covered == set(), "add these models to the export or to graph.EXCLUDED"
    assert set(EXCLUDED) <= set(review_paths())
    assert plan_problems() == []


def test_round_trip_keeps_every_row_field_by_field(rich_review):
    original = json.loads(json.dumps(review_export(review=rich_review)))
    empty = [label for label, rows in original["models"].items() if not rows]
    assert empty == [], f"the rich review should exercise every exported model: {empty}"

    imported = review_import(data=copy.deepcopy(original), slug="copy-of-demo", origin="demo.json")
    again = json.loads(json.dumps(review_export(review=imported)))

    assert imported.slug == "copy-of-demo" and imported.pk != rich_review.pk
    events = again["models"]["reviewapp.auditevent"]
    import_events = [e for e in events if e["fields"]["action"] == "review.import"]
    assert len(import_events) == 1
    assert import_events[0]["fields"]["after"]["source_slug"] == rich_review.slug
    assert import_events[0]["fields"]["after"]["origin"] == "demo.json"
    events.remove(import_events[0])
    assert len(events) == len(original["models"]["reviewapp.auditevent"])

    left, right = normalise(original), normalise(again)
    assert left.keys() == right.keys()
    for label in left:
        assert left[label] == right[label], f"{label} differs after the round trip"
    assert original["users"] == again["users"]


def test_import_gives_new_ids_and_keeps_times_files_and_links(rich_review, media):
    original = review_export(review=rich_review)
    imported = review_import(data=json.loads(json.dumps(original)), slug="second")

    old_ids = set(core.Record.objects.filter(review=rich_review).values_list("pk", flat=True))
    new_records = core.Record.objects.filter(review=imported)
    assert old_ids.isdisjoint(new_records.values_list("pk", flat=True))
    merged = new_records.get(duplicate_of__isnull=False)
    assert merged.duplicate_of.review_id == imported.pk
    full_text = scr.FullText.objects.get(review=imported)
    assert full_text.pdf.read() == PDF
    assert f"review-{imported.pk}/" in full_text.pdf.name
    analysis = an.Analysis.objects.get(review=imported)
    assert analysis.current_run.analysis_id == analysis.pk
    [excluded] = analysis.excluded_studies
    assert ex.Study.objects.get(pk=int(excluded)).review_id == imported.pk
    assert core.ImportBatch.objects.get(review=imported).job is None  # jobs are transient
    first = core.AuditEvent.objects.filter(review=rich_review).order_by("at", "id").first()
    copied = (
        core.AuditEvent.objects.filter(review=imported, action=first.action).order_by("at").first()
    )
    assert copied.at == first.at and copied.review_slug == rich_review.slug


def test_missing_users_are_created_without_a_usable_password(rich_review):
    document = json.loads(json.dumps(review_export(review=rich_review)))
    get_user_model().objects.filter(username="cb").update(username="cb-renamed")

    imported = review_import(data=document, slug="elsewhere")

    cb = get_user_model().objects.get(username="cb")
    assert not cb.has_usable_password()
    assert scr.ScreeningDecision.objects.filter(review=imported, reviewer=cb).count() == 2


def _write(tmp_path, document) -> str:
    path = tmp_path / "review.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


def test_commands_export_and_import_a_review(rich_review, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_review", rich_review.slug, "-o", str(path))
    call_command("import_review", str(path), "--slug", "from-file")
    imported = core.Review.objects.get(slug="from-file")
    assert core.Record.objects.filter(review=imported).count() == 40
    assert (
        core.AuditEvent.objects.get(review=imported, action="review.import").after["origin"]
        == "out.json"
    )


@pytest.mark.django_db
def test_export_names_an_unknown_review(tmp_path):
    with pytest.raises(CommandError, match="No review has the slug 'nope'"):
        call_command("export_review", "nope", "-o", str(tmp_path / "x.json"))


def _rows(document: dict, label: str, rows) -> dict:
    return {**document, "models": {**document["models"], label: rows}}


def _field(document: dict, label: str, name: str, value) -> dict:
    document["models"][label][0]["fields"][name] = value
    return document


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda d: "{not json", "is not JSON"),
        (lambda d: [1, 2], "not a review export"),
        (lambda d: {**d, "format": "something-else"}, "not a review export.*'something-else'"),
        (lambda d: {**d, "format_version": 99}, "Format version 99 is not supported"),
        (lambda d: {k: v for k, v in d.items() if k != "models"}, "no 'models' key"),
        (lambda d: {**d, "models": {**d["models"], "reviewapp.job": []}}, "'reviewapp.job'"),
        (lambda d: {**d, "users": []}, "names user '(cb|jb|lead|nm)', who is not in 'users'"),
        (lambda d: {**d, "models": {**d["models"], "reviewapp.record": 7}}, "must be a list"),
        (lambda d: _rows(d, "screening.fulltext", [{"pk": "x", "fields": {}}]), "row 0: a row"),
        (lambda d: _rows(d, "riskofbias.robtool", d["models"]["riskofbias.robtool"] * 2), "twice"),
        (lambda d: _rows(d, "reviewapp.review", []), "exactly one reviewapp.review row"),
        (lambda d: _field(d, "reviewapp.record", "colour", "red"), "'colour' is not known"),
        (lambda d: _field(d, "reviewapp.record", "year", "MMXX"), "'year' has a value"),
        (lambda d: _field(d, "extraction.study", "reports", 3), "'reports' has a value"),
        (lambda d: {**d, "users": [*d["users"], {"username": "x" * 200}]}, "cannot be created"),
    ],
)
def test_import_refuses_a_broken_or_foreign_file(rich_review, tmp_path, breakage, message):
    document = json.loads(json.dumps(review_export(review=rich_review)))
    before = (
        core.Review.objects.count(),
        core.AuditEvent.objects.count(),
        get_user_model().objects.count(),
    )

    with pytest.raises(CommandError, match=message):
        call_command("import_review", _write(tmp_path, breakage(document)), "--slug", "broken")

    assert (
        core.Review.objects.count(),
        core.AuditEvent.objects.count(),
        get_user_model().objects.count(),
    ) == before


def test_import_refuses_a_reference_to_a_row_not_in_the_file_and_saves_nothing(
    rich_review, tmp_path
):
    document = json.loads(json.dumps(review_export(review=rich_review)))
    decision = document["models"]["screening.screeningdecision"][-1]
    decision["fields"]["item"] = 999999
    document["users"].append({"username": "brand-new"})
    counts = (
        core.Review.objects.count(),
        core.Record.objects.count(),
        get_user_model().objects.count(),
    )

    with pytest.raises(CommandError) as raised:
        call_command("import_review", _write(tmp_path, document), "--slug", "broken")

    assert str(raised.value).endswith("Nothing was imported.")
    assert MSG_DANGLING.format(
        label="screening.screeningdecision", pk=decision["pk"], field="item",
        target="screening.screeningitem", value=999999,
    ) in str(raised.value)  # fmt: skip
    assert (
        core.Review.objects.count(),
        core.Record.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_import_refuses_a_slug_already_taken(rich_review, tmp_path):
    document = review_export(review=rich_review)
    with pytest.raises(CommandError) as raised:
        call_command("import_review", _write(tmp_path, json.loads(json.dumps(document))))
    assert MSG_SLUG_TAKEN.format(slug=rich_review.slug) in str(raised.value)


def test_import_names_a_row_the_database_refuses(rich_review, tmp_path):
    document = json.loads(json.dumps(review_export(review=rich_review)))
    record = document["models"]["reviewapp.record"][3]
    record["fields"]["title"] = None  # NOT NULL in every instance

    with pytest.raises(
        CommandError, match=rf"reviewapp\.record #{record['pk']}: the database refuses"
    ):
        call_command("import_review", _write(tmp_path, document), "--slug", "broken")

    assert not core.Review.objects.filter(slug="broken").exists()
