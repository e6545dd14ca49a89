"""Full texts: attach a PDF or a link to a record, or mark its report not retrievable."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from reviewapp.models import Review, Role
from reviewapp.selectors import roles_in_review
from reviewapp.services import audit_record
from screening.models import FullText, ItemStatus, ScreeningItem, Stage
from screening.services.decisions import ScreeningError

NOT_ALLOWED = "Only the review's lead and reviewers can attach full texts."
NO_SUCH_FULLTEXT_ITEM = "That record has not reached full-text screening in this review."
NOT_A_PDF = "{name}: this file is not a PDF (it does not start with %PDF-)."
PDF_TOO_LARGE = "{name}: the file is {size:.1f} MB; the limit is {limit} MB."
NOTHING_ATTACHED = "Attach a PDF or give a link to the full text."
CANNOT_MARK = "Record {record}: already resolved at full text; it cannot be marked not retrieved."


def _fulltext_item(actor: AbstractBaseUser, review: Review, item_id: int) -> ScreeningItem:
    if not roles_in_review(actor, review).intersection({Role.LEAD, Role.REVIEWER}):
        raise ScreeningError(NOT_ALLOWED)
    item = (
        ScreeningItem.objects.select_for_update()
        .filter(review=review, pk=item_id, stage=Stage.FULL_TEXT)
        .first()
    )
    if item is None:
        raise ScreeningError(NO_SUCH_FULLTEXT_ITEM)
    return item


def pdf_validate(upload: UploadedFile) -> None:
    """Refuse anything that is not a PDF within ``UPLOAD_MAX_MEGABYTES``."""
    limit = settings.UPLOAD_MAX_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise ScreeningError(
            PDF_TOO_LARGE.format(name=upload.name, size=upload.size / 1048576, limit=limit)
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ScreeningError(NOT_A_PDF.format(name=upload.name))


@transaction.atomic
def fulltext_attach(
    *,
    actor: AbstractBaseUser,
    review: Review,
    item_id: int,
    pdf: UploadedFile | None = None,
    link: str = "",
) -> FullText:
    """Attach a PDF and/or a link to the record's full text, replacing earlier ones."""
    item = _fulltext_item(actor, review, item_id)
    if pdf is None and not link:
        raise ScreeningError(NOTHING_ATTACHED)
    fulltext, _ = FullText.objects.get_or_create(
        record_id=item.record_id, defaults={"review": review}
    )
    before = {"pdf": fulltext.pdf_name, "link": fulltext.link}
    if pdf is not None:
        pdf_validate(pdf)
        if fulltext.pdf:
            fulltext.pdf.delete(save=False)
        fulltext.pdf.save("report.pdf", pdf, save=False)
        fulltext.pdf_name = pdf.name[:255]
    if link:
        fulltext.link = link
    fulltext.updated_by = actor
    fulltext.save()
    audit_record(
        actor=actor,
        review=review,
        action="screening.fulltext.attach",
        obj=fulltext,
        before=before,
        after={"record": item.record_id, "pdf": fulltext.pdf_name, "link": fulltext.link},
    )
    return fulltext


@transaction.atomic
def fulltext_mark_not_retrieved(
    *, actor: AbstractBaseUser, review: Review, item_id: int, note: str = ""
) -> ScreeningItem:
    """Record that the report was sought but could not be retrieved (PRISMA's box)."""
    item = _fulltext_item(actor, review, item_id)
    if item.status not in (ItemStatus.OPEN, ItemStatus.CONFLICT):
        raise ScreeningError(CANNOT_MARK.format(record=item.record_id))
    before = item.status
    item.status = ItemStatus.NOT_RETRIEVED
    item.resolved_at = timezone.now()
    item.save(update_fields=["status", "resolved_at"])
    audit_record(
        actor=actor,
        review=review,
        action="screening.fulltext.not_retrieved",
        obj=item,
        before={"status": before},
        after={"record": item.record_id, "status": item.status, "note": note},
    )
    return item
