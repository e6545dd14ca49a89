"""An extraction seen as cells (one per field, arm attribute, comparison side and number),
so two extractions can be compared cell by cell and the consensus assembled from them.

A cell key is a JSON list: ["field", key], ["arm", label, attribute],
["comparison", label, side], ["result", arm, measure_id, time_point_id, attribute], and
["source", arm, measure_id, time_point_id, number] for where a number was found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from extraction.models import Extraction, FormField
from extraction.models.extractions import NUMBER_FIELDS, ChangeOrFinal, DataType
from extraction.values import NOT_REPORTED, canonical, display
from reviewapp.models import Measure, TimePoint

ARM_ATTRIBUTES = ["description", "n_randomised", "n_analysed"]
RESULT_ATTRIBUTES = ["data_type", "change_or_final", "higher_is_better", *NUMBER_FIELDS]
NUMBER_LABELS = {
    "mean": "Mean",
    "sd": "SD",
    "se": "SE",
    "ci_lower": "95% CI lower",
    "ci_upper": "95% CI upper",
    "t_value": "t (difference)",
    "n": "N",
    "events": "Events",
    "data_type": "Data type",
    "change_or_final": "Change or final",
    "higher_is_better": "Higher is better",
    "description": "Description",
    "n_randomised": "N randomised",
    "n_analysed": "N analysed",
    "intervention": "Intervention arm(s)",
    "control": "Control arm(s)",
}


def cell_key(*parts: Any) -> str:
    return json.dumps(list(parts))


def cell_parts(key: str) -> list[Any]:
    return json.loads(key)


def extraction_cells(extraction: Extraction) -> dict[str, Any]:
    """Return every value of the extraction as {cell key: value}."""
    cells: dict[str, Any] = {}
    for key, value in (extraction.answers or {}).items():
        cells[cell_key("field", key)] = value
    for arm in extraction.arms.all():
        for attribute in ARM_ATTRIBUTES:
            cells[cell_key("arm", arm.label, attribute)] = getattr(arm, attribute) or None
    for comparison in extraction.comparisons.prefetch_related("roles__arm"):
        for side in ("intervention", "control"):
            labels = sorted(r.arm.label for r in comparison.roles.all() if r.role == side)
            cells[cell_key("comparison", comparison.label, side)] = labels
    for result in extraction.results.select_related("arm"):
        base = (result.arm.label, result.measure_id, result.time_point_id)
        for attribute in RESULT_ATTRIBUTES:
            value = getattr(result, attribute)
            if attribute in result.not_reported:
                value = dict(NOT_REPORTED)
            cells[cell_key("result", *base, attribute)] = value
        for number, source in (result.sources or {}).items():
            cells[cell_key("source", *base, number)] = source
    return cells


def cells_differ(a: Any, b: Any) -> bool:
    return canonical(a) != canonical(b)


@dataclass
class CellRow:
    """One line of the side-by-side comparison."""

    key: str
    group: str
    label: str
    a: Any
    b: Any
    differs: bool
    is_source: bool
    resolution: dict[str, Any] | None = None

    @property
    def a_display(self) -> str:
        return display(self.a)

    @property
    def b_display(self) -> str:
        return display(self.b)

    @property
    def consensus_display(self) -> str:
        if self.resolution is not None:
            return display(self.resolution.get("value"))
        return self.a_display if not self.differs else ""

    @property
    def needs_resolution(self) -> bool:
        return self.differs and not self.is_source


class CellLabeller:
    """Names cells for people: the form's labels, measures and time points by name."""

    def __init__(self, review_id: int) -> None:
        self.fields = {
            f.key: f
            for f in FormField.objects.filter(review_id=review_id).select_related("section")
        }
        self.measures = {m.pk: m for m in Measure.objects.filter(review_id=review_id)}
        self.time_points = {t.pk: t for t in TimePoint.objects.filter(review_id=review_id)}

    def describe(self, key: str) -> tuple[tuple, str, str]:
        """Return (sort key, group, label) for the cell."""
        parts = cell_parts(key)
        kind = parts[0]
        if kind == "field":
            field = self.fields.get(parts[1])
            if field is None:
                return (1, 9999, 0, parts[1]), "Other answers", parts[1]
            unit = f" ({field.unit})" if field.unit else ""
            return (
                (1, field.section.order, field.order, field.key),
                field.section.title,
                field.label + unit,
            )
        if kind == "arm":
            attribute_order = ARM_ATTRIBUTES.index(parts[2])
            return (
                (2, 0, parts[1], attribute_order),
                "Arms",
                f"{parts[1]}: {NUMBER_LABELS[parts[2]]}",
            )
        if kind == "comparison":
            return (
                (3, 0, parts[1], 0 if parts[2] == "intervention" else 1),
                "Comparisons",
                f"{parts[1]}: {NUMBER_LABELS[parts[2]]}",
            )
        arm, measure_id, time_point_id, attribute = parts[1:5]
        measure = self.measures.get(measure_id)
        time_point = self.time_points.get(time_point_id)
        measure_name = (
            (measure.abbreviation or measure.name) if measure else f"measure {measure_id}"
        )
        tp_name = time_point.name if time_point else f"time point {time_point_id}"
        order = RESULT_ATTRIBUTES.index(attribute) if attribute in RESULT_ATTRIBUTES else 99
        suffix = " (source)" if kind == "source" else ""
        return (
            (
                4,
                measure.order if measure else 0,
                measure_name,
                time_point.order if time_point else 0,
                arm,
                order,
                kind,
            ),
            f"Outcome data: {measure_name}, {tp_name}",
            f"{arm}: {NUMBER_LABELS.get(attribute, attribute)}{suffix}",
        )


def compare_cells(
    review_id: int,
    a: dict[str, Any],
    b: dict[str, Any],
    resolutions: dict[str, Any] | None = None,
) -> list[CellRow]:
    """Return every cell of either extraction side by side, in form order."""
    labeller = CellLabeller(review_id)
    rows = []
    for key in set(a) | set(b):
        sort_key, group, label = labeller.describe(key)
        rows.append(
            (
                sort_key,
                CellRow(
                    key=key,
                    group=group,
                    label=label,
                    a=a.get(key),
                    b=b.get(key),
                    differs=cells_differ(a.get(key), b.get(key)),
                    is_source=key.startswith('["source"'),
                    resolution=(resolutions or {}).get(key),
                ),
            )
        )
    rows.sort(
        key=lambda pair: tuple(str(p) if isinstance(p, str) else f"{p:012d}" for p in pair[0])
    )
    return [row for _, row in rows]


def choice_values() -> dict[str, list[str]]:
    return {"data_type": DataType.values, "change_or_final": ChangeOrFinal.values}
