"""The review dashboard gathers one panel per workflow app.

Each app may define ``<app>/dashboard.py`` with ``panel(review, user) -> (template_name, context)``;
the dashboard shows the panels of the apps that have one, in workflow order. This module is
also the references app's own panel.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from reviewapp.apps import WORKFLOW_APPS
from reviewapp.models import Review


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: dict[str, Any]


def dashboard_panels(review: Review, user: Any) -> list[Panel]:
    """Return the panels of every workflow app that has one."""
    panels = []
    for app in WORKFLOW_APPS:
        module_name = f"{app}.dashboard"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        template_name, context = module.panel(review, user)
        panels.append(Panel(template_name, {**context, "review": review, "user": user}))
    return panels


def panel(review: Review, user: Any) -> tuple[str, dict[str, Any]]:
    """The references panel: records imported, unique and duplicates, pairs to check."""
    from reviewapp.references.selectors import reference_counts

    return "reviewapp/panel_references.html", reference_counts(review)
