"""Import a review exported by ``review_export`` into this instance, with new ids throughout.

Everything happens in one transaction: a broken or foreign file raises ``PortabilityError``
naming what is wrong, and nothing is saved.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DataError, IntegrityError, connections, models, transaction

from reviewapp.models import Review
from reviewapp.portability.exporter import FORMAT, FORMAT_VERSION, USER_FIELDS
from reviewapp.portability.graph import (
    CELL_ID_MODELS,
    EXCLUDED,
    IDS_IN_JSON,
    ROOT,
    exported_models,
    foreign_keys,
    insert_order,
    is_user,
    label_of,
)
from reviewapp.services import audit_record

MSG_NOT_EXPORT = "This is not a review export: the 'format' is {found!r}, expected {expected!r}."
MSG_VERSION = "Format version {found!r} is not supported: this instance reads version {expected}."
MSG_MISSING_KEY = "The file has no {key!r} key."
MSG_UNKNOWN_MODEL = "The file holds {label!r}, which this instance does not know or import."
MSG_NOT_LIST = "'models' → {label!r} must be a list of rows."
MSG_BAD_ROW = "{label} row {index}: a row needs 'pk' (a whole number) and 'fields' (a mapping)."
MSG_TWICE = "{label} #{pk} appears twice in the file."
MSG_UNKNOWN_FIELD = "{label} #{pk}: field {field!r} is not known to this instance."
MSG_BAD_VALUE = "{label} #{pk}: field {field!r} has a value this instance refuses: {error}"
MSG_DANGLING = (
    "{label} #{pk}: field {field!r} refers to {target} #{value}, which is not in the file."
)
MSG_UNKNOWN_USER = "{label} #{pk}: field {field!r} names user {value!r}, who is not in 'users'."
MSG_ONE_REVIEW = "The file must hold exactly one reviewapp.review row; it holds {count}."
MSG_SLUG_TAKEN = "A review with the slug {slug!r} already exists here: choose another with --slug."
MSG_REFUSED = "{label} #{pk}: the database refuses the row: {error}"
MSG_BAD_FILE = "{label} #{pk}: the file in field {field!r} is not valid base64."


BATCH = 500
REFUSALS = (IntegrityError, DataError, ValueError, TypeError)


class PortabilityError(Exception):
    """The export file cannot be imported; the message says why."""


def _check(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict):
        raise PortabilityError(MSG_NOT_EXPORT.format(found=type(data).__name__, expected=FORMAT))
    if data.get("format") != FORMAT:
        raise PortabilityError(MSG_NOT_EXPORT.format(found=data.get("format"), expected=FORMAT))
    if data.get("format_version") != FORMAT_VERSION:
        raise PortabilityError(
            MSG_VERSION.format(found=data.get("format_version"), expected=FORMAT_VERSION)
        )
    for key in ("users", "models"):
        if key not in data:
            raise PortabilityError(MSG_MISSING_KEY.format(key=key))
    known = exported_models()
    tables = data["models"]
    if not isinstance(tables, dict):
        raise PortabilityError(MSG_MISSING_KEY.format(key="models") + " (it is not a mapping)")
    for label, rows in tables.items():
        if label not in known:
            raise PortabilityError(MSG_UNKNOWN_MODEL.format(label=label))
        names = {f.name for f in known[label]._meta.concrete_fields if not f.primary_key}
        names |= {f.name for f in known[label]._meta.many_to_many}
        if not isinstance(rows, list):
            raise PortabilityError(MSG_NOT_LIST.format(label=label))
        seen = set()
        for index, row in enumerate(rows):
            if (
                not isinstance(row, dict)
                or type(row.get("pk")) is not int
                or not isinstance(row.get("fields"), dict)
            ):
                raise PortabilityError(MSG_BAD_ROW.format(label=label, index=index))
            if row["pk"] in seen:
                raise PortabilityError(MSG_TWICE.format(label=label, pk=row["pk"]))
            seen.add(row["pk"])
            for name in set(row["fields"]) - names:
                raise PortabilityError(
                    MSG_UNKNOWN_FIELD.format(label=label, pk=row["pk"], field=name)
                )
    if len(tables.get(ROOT, [])) != 1:
        raise PortabilityError(MSG_ONE_REVIEW.format(count=len(tables.get(ROOT, []))))
    return tables


def _bulk_insert_raw(model: type[models.Model], objs: list[models.Model], connection) -> None:  # noqa: ANN001
    """Insert the rows as they are (raw: no auto_now), in batches, and set their new ids.

    ``QuerySet.bulk_create`` would stamp auto_now fields; loaddata's raw save goes row by row.
    """
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    returning = meta.db_returning_fields
    size = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, objs)))
    for start in range(0, len(objs), size):
        chunk = objs[start : start + size]
        returned = model._base_manager._insert(
            chunk, fields=fields, returning_fields=returning, raw=True
        )
        for obj, values in zip(chunk, returned, strict=True):
            for field, value in zip(returning, values, strict=True):
                setattr(obj, field.attname, value)
            obj._state.adding = False
            obj._state.db = model._base_manager.db


def _users(entries: list[dict[str, Any]]) -> dict[str, AbstractBaseUser]:
    """Return the users by username, creating the missing ones without a usable password."""
    User = get_user_model()
    users = {}
    for entry in entries:
        username = entry.get("username") if isinstance(entry, dict) else None
        if not username:
            raise PortabilityError("Every entry of 'users' needs a 'username'.")
        user = User._base_manager.filter(username=username).first()
        if user is None:
            user = User(**{k: entry.get(k) or "" for k in USER_FIELDS if hasattr(User, k)})
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise PortabilityError(f"User {username!r} cannot be created: {error}") from None
            user.save()
        users[username] = user
    return users


class _Importer:
    def __init__(self, tables: dict, users: dict[str, AbstractBaseUser], slug: str | None) -> None:
        self.tables = tables
        self.users = users
        self.slug = slug
        self.models = exported_models()
        self.ids: dict[str, dict[Any, int]] = defaultdict(dict)
        self.later_keys: list[tuple[type[models.Model], int, str, models.Field, Any, str]] = []
        self.later_m2m: list[tuple[models.ManyToManyField, int, list[Any], str]] = []
        self.later_files: list[tuple[models.Model, models.FileField, dict, str]] = []
        self.later_json: list[tuple[type[models.Model], int, str, Any, str]] = []
        self.dropped: list[str] = []

    def target_id(self, where: str, field: models.Field, value: Any) -> int:
        target = label_of(field.related_model)
        try:
            return self.ids[target][value]
        except (KeyError, TypeError):
            label, pk = where.split(" #", 1)
            raise PortabilityError(
                MSG_DANGLING.format(
                    label=label, pk=pk, field=field.name, target=target, value=value
                )
            ) from None

    def build(self, label: str, row: dict[str, Any], deferred: set) -> models.Model:
        model = self.models[label]
        obj = model()
        where = f"{label} #{row['pk']}"
        relations = {f.name for f in foreign_keys(model)}
        for name, value in row["fields"].items():
            field = model._meta.get_field(name)
            shape = list if field.many_to_many else dict
            if isinstance(field, models.FileField | models.ManyToManyField) and not isinstance(
                value, shape | type(None)
            ):
                raise PortabilityError(
                    MSG_BAD_VALUE.format(
                        label=label, pk=row["pk"], field=name, error=f"expected a {shape.__name__}."
                    )
                )
            if field.many_to_many:
                self.later_m2m.append((field, row["pk"], value or [], where))
            elif name in relations:
                setattr(obj, field.attname, self.key_value(label, row, field, value, deferred))
            elif isinstance(field, models.FileField):
                setattr(obj, field.attname, "")
                if value and value.get("base64") is not None:
                    self.later_files.append((obj, field, value, where))
            elif (label, name) in IDS_IN_JSON:
                setattr(obj, field.attname, value)
                self.later_json.append((model, row["pk"], name, value, IDS_IN_JSON[(label, name)]))
            else:
                try:
                    setattr(obj, field.attname, field.to_python(value))
                except ValidationError as error:
                    raise PortabilityError(
                        MSG_BAD_VALUE.format(
                            label=label, pk=row["pk"], field=name, error=" ".join(error.messages)
                        )
                    ) from None
        if label == ROOT and self.slug:
            obj.slug = self.slug
        return obj

    def key_value(
        self, label: str, row: dict, field: models.Field, value: Any, deferred: set
    ) -> Any:
        if value is None:
            return None
        where = f"{label} #{row['pk']}"
        if is_user(field.related_model):
            if value not in self.users:
                raise PortabilityError(
                    MSG_UNKNOWN_USER.format(
                        label=label, pk=row["pk"], field=field.name, value=value
                    )
                )
            return self.users[value].pk
        if label_of(field.related_model) in EXCLUDED:
            return None  # transient rows (jobs) do not travel
        if (label, field.name) in deferred:
            self.later_keys.append((self.models[label], row["pk"], label, field, value, where))
            return None
        return self.target_id(where, field, value)

    def insert_rows(self) -> None:
        order, deferred = insert_order(self.models)
        for label in order:
            rows = sorted(self.tables.get(label, []), key=lambda r: r["pk"])
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                objs = [self.build(label, row, deferred) for row in batch]
                self.insert(label, batch, objs)
                for row, obj in zip(batch, objs, strict=True):
                    self.ids[label][row["pk"]] = obj.pk

    def insert(self, label: str, rows: list[dict], objs: list[models.Model]) -> None:
        """Insert the rows in bulk; if the database refuses, find the row at fault one by one."""
        model = self.models[label]
        connection = connections[model._base_manager.db]
        if connection.features.can_return_rows_from_bulk_insert:
            try:
                with transaction.atomic():
                    _bulk_insert_raw(model, objs, connection)
                return
            except REFUSALS:
                pass
        for row, obj in zip(rows, objs, strict=True):
            try:
                # raw: keep the stored times (auto_now/auto_now_add) exactly as exported
                model.save_base(obj, raw=True)
            except REFUSALS as error:
                raise PortabilityError(
                    MSG_REFUSED.format(label=label, pk=row["pk"], error=error)
                ) from None

    def link(self) -> None:
        for model, old_pk, label, field, value, where in self.later_keys:
            new_pk = self.ids[label][old_pk]
            target = self.target_id(where, field, value)
            model._base_manager.filter(pk=new_pk).update(**{field.attname: target})
        for field, old_pk, values, where in self.later_m2m:
            through = field.remote_field.through
            source = self.ids[label_of(field.model)][old_pk]
            through._base_manager.bulk_create(
                through(
                    **{
                        f"{field.m2m_field_name()}_id": source,
                        f"{field.m2m_reverse_field_name()}_id": self.target_id(where, field, value),
                    }
                )
                for value in values
            )
        for model, old_pk, name, value, how in self.later_json:
            new_value = self.remap_json(value, how, f"{label_of(model)} #{old_pk}.{name}")
            new_pk = self.ids[label_of(model)][old_pk]
            model._base_manager.filter(pk=new_pk).update(**{name: new_value})

    def remap_json(self, value: Any, how: str, where: str) -> Any:
        if not isinstance(value, dict):
            return value
        if how.startswith("keys:"):
            ids = self.ids[how.removeprefix("keys:")]
            remapped = {}
            for key, item in value.items():
                new = ids.get(int(key)) if str(key).isdigit() else None
                if new is None:
                    # a row that no longer exists: kept, the key could name another row here
                    self.dropped.append(f"{where}[{key!r}]")
                    continue
                remapped[str(new)] = item
            return remapped
        remapped = {}
        for key, item in value.items():
            try:
                parts = json.loads(key)
            except ValueError:
                parts = None
            if isinstance(parts, list) and parts and parts[0] in ("result", "source"):
                for index, target in CELL_ID_MODELS.items():
                    if index < len(parts) and parts[index] in self.ids[target]:
                        parts[index] = self.ids[target][parts[index]]
                key = json.dumps(parts)
            remapped[key] = item
        return remapped

    def store_files(self) -> None:
        for obj, field, value, where in self.later_files:
            label, pk = where.split(" #", 1)
            try:
                content = base64.b64decode(value["base64"], validate=True)
            except (binascii.Error, TypeError, ValueError):
                raise PortabilityError(
                    MSG_BAD_FILE.format(label=label, pk=pk, field=field.name)
                ) from None
            name = str(value.get("name") or "file").rsplit("/", 1)[-1]
            stored = getattr(obj, field.name)
            stored.save(name, ContentFile(content), save=False)
            type(obj)._base_manager.filter(pk=obj.pk).update(**{field.attname: stored.name})


def review_import(
    *,
    data: Any,
    slug: str | None = None,
    actor: AbstractBaseUser | None = None,
    origin: str = "",
) -> Review:
    """Create the exported review here with new ids, its users if missing, and its audit trail.

    The audit events are inserted as they were (original times and texts; ``object_id`` keeps
    the source instance's ids) and one ``review.import`` event says where the review came from.
    """
    tables = _check(data)
    wanted = slug or tables[ROOT][0]["fields"].get("slug")
    if Review.objects.filter(slug=wanted).exists():
        raise PortabilityError(MSG_SLUG_TAKEN.format(slug=wanted))
    with transaction.atomic():
        importer = _Importer(tables, _users(data["users"]), slug)
        importer.insert_rows()
        importer.link()
        # files last: storage is not transactional, so write them only once the rows stand
        importer.store_files()
        review = Review.objects.get(pk=importer.ids[ROOT][tables[ROOT][0]["pk"]])
        audit_record(
            actor=actor,
            review=review,
            action="review.import",
            obj=review,
            after={
                "origin": origin,
                "source_slug": (data.get("source") or {}).get("review_slug", ""),
                "exported_at": data.get("exported_at", ""),
                "format_version": data["format_version"],
                "rows": {label: len(rows) for label, rows in tables.items()},
                "dropped_stale_ids": importer.dropped,
            },
        )
    return review
