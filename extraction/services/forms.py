"""The lead's edits of the review's extraction form (sections and fields as data)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from extraction.models import FormField, FormSection
from extraction.models.forms import CHOICE_KINDS, ChoiceSource
from extraction.services.errors import (
    MSG_CHOICES_NEEDED,
    MSG_FIELD_KEY_TAKEN,
    MSG_SECTION_TAKEN,
    ExtractionError,
)
from reviewapp.models import Review
from reviewapp.services import audit_record


@transaction.atomic
def form_section_save(
    *,
    actor: AbstractBaseUser | None,
    review: Review,
    title: str,
    order: int | None = None,
    section: FormSection | None = None,
) -> FormSection:
    """Add a section to the form (or rename one)."""
    title = title.strip()
    clash = FormSection.objects.filter(review=review, title=title)
    if section is not None:
        clash = clash.exclude(pk=section.pk)
    if clash.exists():
        raise ExtractionError(MSG_SECTION_TAKEN.format(title=title))
    if section is None:
        section = FormSection(review=review)
        if order is None:
            order = FormSection.objects.filter(review=review).count()
    section.title = title
    if order is not None:
        section.order = order
    section.save()
    audit_record(
        actor=actor,
        review=review,
        action="extraction.form.section",
        obj=section,
        after={"title": title},
    )
    return section


@transaction.atomic
def form_field_save(
    *,
    actor: AbstractBaseUser | None,
    review: Review,
    section: FormSection,
    key: str,
    label: str,
    kind: str,
    help_text: str = "",
    required: bool = False,
    choices: list[str] | None = None,
    choice_source: str = ChoiceSource.OWN,
    unit: str = "",
    order: int | None = None,
    field: FormField | None = None,
) -> FormField:
    """Add a field to a section of the form, or change one."""
    choices = [c.strip() for c in choices or [] if c.strip()]
    if kind in CHOICE_KINDS and not choices and choice_source == ChoiceSource.OWN:
        raise ExtractionError(MSG_CHOICES_NEEDED)
    clash = FormField.objects.filter(review=review, key=key)
    if field is not None:
        clash = clash.exclude(pk=field.pk)
    if clash.exists():
        raise ExtractionError(MSG_FIELD_KEY_TAKEN.format(key=key))
    before: dict[str, Any] | None = None
    if field is None:
        field = FormField(review=review)
        if order is None:
            order = FormField.objects.filter(section=section).count()
    else:
        before = {"key": field.key, "label": field.label, "kind": field.kind}
    field.section, field.key, field.label, field.kind = section, key, label, kind
    field.help_text, field.required, field.choices = help_text, required, choices
    field.choice_source, field.unit = choice_source, unit
    if order is not None:
        field.order = order
    field.save()
    audit_record(
        actor=actor,
        review=review,
        action="extraction.form.field",
        obj=field,
        before=before,
        after={"key": key, "label": label, "kind": kind, "required": required},
    )
    return field


@transaction.atomic
def form_field_delete(*, actor: AbstractBaseUser, field: FormField) -> None:
    """Remove a field; answers already given stay in the extractions, unused."""
    review = field.review
    audit_record(
        actor=actor,
        review=review,
        action="extraction.form.field_delete",
        obj=field,
        before={"key": field.key, "label": field.label},
    )
    field.delete()


@transaction.atomic
def form_install_protocol(*, actor: AbstractBaseUser | None, review: Review) -> int:
    """Give the review the protocol's extraction form, skipping fields it has (idempotent)."""
    from extraction.protocol_form import PROTOCOL_FORM

    added = 0
    for s_order, (title, fields) in enumerate(PROTOCOL_FORM):
        section, _ = FormSection.objects.get_or_create(
            review=review, title=title, defaults={"order": s_order}
        )
        for f_order, spec in enumerate(fields):
            if FormField.objects.filter(review=review, key=spec["key"]).exists():
                continue
            FormField.objects.create(review=review, section=section, order=f_order, **spec)
            added += 1
    if added:
        audit_record(
            actor=actor,
            review=review,
            action="extraction.form.install_protocol",
            after={"fields_added": added},
        )
    return added
