"""Export a whole review as one JSON-ready document."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from reviewapp.models import Review
from reviewapp.portability.graph import (
    EXCLUDED,
    ROOT,
    exported_models,
    foreign_keys,
    is_user,
    review_paths,
)

FORMAT = "reviewapp.review-export"
FORMAT_VERSION = 1
USER_FIELDS = ("username", "first_name", "last_name", "email")


def plain(value: Any) -> Any:
    """Return the value as JSON can hold it, keeping every microsecond of a time."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _file_value(file: models.fields.files.FieldFile) -> dict[str, Any] | None:
    if not file or not file.name:
        return None
    try:
        with file.storage.open(file.name, "rb") as handle:
            content = base64.b64encode(handle.read()).decode("ascii")
    except OSError:
        content = None  # the row names a file that is gone; the import keeps the field empty
    return {"name": file.name, "base64": content}


def _row(obj: models.Model, usernames: dict[int, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    relations = {f.name for f in foreign_keys(type(obj))}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name in relations:
            raw = getattr(obj, field.attname)
            fields[field.name] = usernames.get(raw) if is_user(field.related_model) else raw
        elif isinstance(field, models.FileField):
            fields[field.name] = _file_value(getattr(obj, field.name))
        else:
            fields[field.name] = plain(field.value_from_object(obj))
    for field in obj._meta.many_to_many:
        fields[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return {"pk": obj.pk, "fields": fields}


def _user_ids(querysets: dict[str, models.QuerySet]) -> set[int]:
    ids: set[int] = set()
    for qs in querysets.values():
        for field in foreign_keys(qs.model):
            if is_user(field.related_model):
                ids.update(
                    qs.exclude(**{field.attname: None}).values_list(field.attname, flat=True)
                )
    return ids


def review_export(*, review: Review) -> dict[str, Any]:
    """Return the review, everything that hangs off it and its audit trail as one document.

    Foreign keys hold the source ids (the import remaps them); users travel by username;
    uploaded files travel base64-encoded inside their row.
    """
    paths = review_paths()
    querysets = {}
    for label, model in exported_models().items():
        lookup = {"pk": review.pk} if label == ROOT else {paths[label]: review}
        querysets[label] = model._base_manager.filter(**lookup).order_by("pk")
    user_ids = _user_ids(querysets)
    users = get_user_model()._base_manager.filter(pk__in=user_ids).order_by("username")
    usernames = dict(users.values_list("pk", "username"))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": {"review_slug": review.slug, "review_title": review.title},
        "excluded_models": dict(EXCLUDED),
        "users": [{name: getattr(u, name, "") for name in USER_FIELDS} for u in users],
        "models": {
            label: [_row(obj, usernames) for obj in qs.iterator(chunk_size=2000)]
            for label, qs in querysets.items()
        },
    }
