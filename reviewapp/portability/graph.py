"""Which models make up a review, found by walking the foreign keys from ``Review``.

The walk is generic so that a model added later is exported without anyone remembering;
a model that cannot be reached, or that must not travel, is listed in ``EXCLUDED`` with the
reason (the test suite fails on any model that is neither exported nor excluded).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from reviewapp.apps import WORKFLOW_APPS

ROOT = "reviewapp.review"

EXCLUDED: dict[str, str] = {
    "reviewapp.job": "transient: a background job's progress row; references to it are emptied",
}

# JSON fields that hold ids of other rows; remapped on import like foreign keys.
# (model, field) -> how: "keys:<model>" for dict keys that are ids of <model>;
# "cells" for extraction cell keys ["result"|"source", arm, measure_id, time_point_id, name].
IDS_IN_JSON: dict[tuple[str, str], str] = {
    ("analysis.analysis", "excluded_studies"): "keys:extraction.study",
    ("extraction.extraction", "resolutions"): "cells",
}
CELL_ID_MODELS = {2: "reviewapp.measure", 3: "reviewapp.timepoint"}


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def is_user(model: type[models.Model]) -> bool:
    return label_of(model) == settings.AUTH_USER_MODEL.lower()


def candidate_models() -> list[type[models.Model]]:
    """Return every concrete model of the review apps (auto-created M2M tables aside)."""
    return [
        m
        for app in WORKFLOW_APPS
        for m in apps.get_app_config(app).get_models()
        if not m._meta.proxy and not m._meta.auto_created
    ]


def foreign_keys(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model]


def review_paths() -> dict[str, str]:
    """Return {model label: ORM lookup from the model to its review}, shortest chains first."""
    paths = {ROOT: ""}
    frontier = [ROOT]
    remaining = [m for m in candidate_models() if label_of(m) != ROOT]
    while frontier:
        found = []
        for model in list(remaining):
            for field in foreign_keys(model):
                target = label_of(field.related_model)
                # a nullable key would miss the rows where it is empty (the audit trail's
                # review is nullable only so that events outlive a deleted review)
                if target in frontier and (not field.null or target == ROOT):
                    rest = paths[target]
                    paths[label_of(model)] = f"{field.name}__{rest}" if rest else field.name
                    found.append(label_of(model))
                    remaining.remove(model)
                    break
        frontier = found
    return paths


def exported_models() -> dict[str, type[models.Model]]:
    """Return {label: model} of every model that travels with a review."""
    paths = review_paths()
    return {
        label_of(m): m
        for m in candidate_models()
        if label_of(m) in paths and label_of(m) not in EXCLUDED
    }


def insert_order(models_by_label: dict[str, type[models.Model]]) -> tuple[list[str], set]:
    """Return the labels in an order that satisfies the foreign keys, and the deferred keys.

    A nullable key that points at its own model, or that closes a cycle, is deferred: the row
    is inserted with it empty and the key is set once every row exists.
    """
    deps: dict[str, dict[str, list[models.Field]]] = {}
    deferred: set[tuple[str, str]] = set()
    for label, model in models_by_label.items():
        deps[label] = {}
        for field in foreign_keys(model):
            target = label_of(field.related_model)
            if target == label:
                deferred.add((label, field.name))
            elif target in models_by_label:
                deps[label].setdefault(target, []).append(field)
    order: list[str] = []
    while len(order) < len(deps):
        ready = [lbl for lbl in deps if lbl not in order and not set(deps[lbl]) - set(order)]
        if not ready:
            # A cycle: break it at a row whose missing keys are all nullable.
            for label in deps:
                if label in order:
                    continue
                missing = [f for t, fs in deps[label].items() if t not in order for f in fs]
                if all(f.null for f in missing):
                    deferred.update((label, f.name) for f in missing)
                    deps[label] = {t: fs for t, fs in deps[label].items() if t in order}
                    break
            else:
                raise RuntimeError(f"Cannot order the models: a cycle of non-null keys in {deps}")
            continue
        order.extend(sorted(ready))
    return order, deferred


def plan_problems() -> list[str]:
    """Return why the export would be incomplete or unimportable (empty when sound)."""
    problems = []
    exported = exported_models()
    paths = review_paths()
    for model in candidate_models():
        label = label_of(model)
        if label not in paths and label not in EXCLUDED:
            problems.append(f"{label} has no foreign-key path to Review and is not excluded")
        if label not in exported:
            continue
        for field in foreign_keys(model):
            target = label_of(field.related_model)
            if target not in exported and not is_user(field.related_model) and not field.null:
                problems.append(f"{label}.{field.name} needs {target}, which is not exported")
        for field in model._meta.many_to_many:
            if label_of(field.related_model) not in exported:
                problems.append(f"{label}.{field.name} links {field.related_model}, not exported")
    return problems
