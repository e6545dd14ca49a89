"""Reads of studies and extractions, with blinding built in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from extraction.models import AuthorContact, Extraction, FormSection, Study
from extraction.selectors.cells import CellRow, compare_cells, extraction_cells
from reviewapp.models import Record, Review

NO_STUDY = "No such study in this review."


def studies_for_review(review: Review) -> QuerySet[Study]:
    return (
        Study.objects.filter(review=review)
        .prefetch_related("reports", "assignments__user", "extractions__extractor")
        .order_by("label", "id")
    )


def study_in_review(review: Review, study_id: int) -> Study:
    """Return the review's study, or 404 (never another review's study)."""
    study = Study.objects.filter(review=review, pk=study_id).first()
    if study is None:
        raise Http404(NO_STUDY)
    return study


def form_sections(review: Review) -> QuerySet[FormSection]:
    return FormSection.objects.filter(review=review).prefetch_related("fields")


def own_extraction(study: Study, user: AbstractBaseUser) -> Extraction | None:
    return study.extractions.filter(kind=Extraction.Kind.EXTRACTOR, extractor=user).first()


def both_submitted(study: Study) -> bool:
    """Return whether the assigned extractors have both submitted (the comparison is open)."""
    assigned = {a.user_id for a in study.assignments.all()}
    extractions = [
        e
        for e in study.extractions.all()
        if e.kind == Extraction.Kind.EXTRACTOR and e.extractor_id in assigned
    ]
    return len(extractions) >= 2 and all(
        e.status == Extraction.Status.SUBMITTED for e in extractions
    )


def consensus_of(study: Study) -> Extraction | None:
    return study.extractions.filter(kind=Extraction.Kind.CONSENSUS).first()


@dataclass
class StudyLine:
    study: Study
    extractors: list[str]
    mine: Extraction | None
    assigned_to_me: bool
    submitted: int
    comparison_open: bool
    consensus: Extraction | None


def study_lines(review: Review, user: AbstractBaseUser) -> list[StudyLine]:
    """Return one line per study for the list page; nothing of anyone else's values."""
    lines = []
    for study in studies_for_review(review):
        extractions = list(study.extractions.all())
        assigned = {a.user_id for a in study.assignments.all()}
        extractor_rows = [
            e
            for e in extractions
            if e.kind == Extraction.Kind.EXTRACTOR and e.extractor_id in assigned
        ]
        lines.append(
            StudyLine(
                study=study,
                extractors=[a.user.get_username() for a in study.assignments.all()],
                mine=next((e for e in extractor_rows if e.extractor_id == user.pk), None),
                assigned_to_me=any(a.user_id == user.pk for a in study.assignments.all()),
                submitted=sum(e.status == Extraction.Status.SUBMITTED for e in extractor_rows),
                comparison_open=both_submitted(study),
                consensus=next(
                    (e for e in extractions if e.kind == Extraction.Kind.CONSENSUS), None
                ),
            )
        )
    return lines


def ungrouped_reports(review: Review) -> QuerySet[Record]:
    """Return the included reports not yet in a study (all unique records if screening cannot say)."""
    from extraction.services.studies import included_records
    from reviewapp.selectors import unique_records

    included = included_records(review)
    records = included if included is not None else unique_records(review)
    return records.exclude(studies__review=review).order_by("id")


def comparison_rows(study: Study) -> tuple[Extraction, Extraction, list[CellRow]]:
    """Return both extractions and their cells side by side (only once both are submitted)."""
    from extraction.services.consensus import submitted_pair

    a, b = submitted_pair(study)
    consensus = consensus_of(study)
    rows = compare_cells(
        study.review_id,
        extraction_cells(a),
        extraction_cells(b),
        consensus.resolutions if consensus else {},
    )
    return a, b, rows


def author_contacts(study: Study) -> QuerySet[AuthorContact]:
    return study.author_contacts.select_related("created_by")
