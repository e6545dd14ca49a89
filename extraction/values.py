"""Typed-in values: numbers that may be "NR" (not reported), and how answers are displayed.

"Not reported" is a value of its own, distinct from a field left empty: the report was read
and does not give it.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

NOT_REPORTED: dict[str, bool] = {"not_reported": True}
NR_TOKENS = {"nr", "n/r", "not reported"}

MSG_NOT_A_NUMBER = "Enter a number, or NR if the reports do not give it (got {value!r})."
MSG_N_NOT_POSITIVE = "N must be a whole number of at least 1 (got {value!r})."
MSG_NOT_A_COUNT = "Events must be a whole number of 0 or more (got {value!r})."


def is_not_reported(value: Any) -> bool:
    return isinstance(value, dict) and value.get("not_reported") is True


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def parse_number(raw: Any, *, kind: str = "float") -> Any:
    """Return a float (or int for kind "n"/"events"), None when empty, or NOT_REPORTED.

    Raise ValueError with the message to show at the field.
    """
    if raw is None or is_not_reported(raw):
        return raw
    if isinstance(raw, bool):
        raise ValueError(MSG_NOT_A_NUMBER.format(value=raw))
    text = str(raw).strip()
    if text == "":
        return None
    if text.lower() in NR_TOKENS:
        return dict(NOT_REPORTED)
    try:
        number = float(text.replace(",", ".")) if isinstance(raw, str) else float(raw)
    except ValueError:
        raise ValueError(MSG_NOT_A_NUMBER.format(value=text)) from None
    if not math.isfinite(number):
        raise ValueError(MSG_NOT_A_NUMBER.format(value=text))
    if kind == "n":
        if number != int(number) or number < 1:
            raise ValueError(MSG_N_NOT_POSITIVE.format(value=text))
        return int(number)
    if kind == "events":
        if number != int(number) or number < 0:
            raise ValueError(MSG_NOT_A_COUNT.format(value=text))
        return int(number)
    return number


def display(value: Any) -> str:
    """Return the value as the comparison and exports show it."""
    if is_not_reported(value):
        return "Not reported"
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def canonical(value: Any) -> str:
    """Return a stable text form, so two extractors' values compare equal when they are."""
    if value == "" or value == []:
        value = None
    if isinstance(value, list):
        value = sorted(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return json.dumps(value, sort_keys=True, default=str)
