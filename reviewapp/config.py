"""Read the settings that come from the environment, with messages that name the variable.

Settings live in environment variables so that the same code runs on the embedded default
(SQLite, tasks in-process) and on the full stack (PostgreSQL, Redis, Celery workers).
A missing or malformed value stops start-up with an ``ImproperlyConfigured`` naming it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    """Return the variable as a boolean; anything but a yes/no word is an error."""
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a yes/no value: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    """Return the variable as a positive whole number."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={raw!r} must be a positive whole number.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(
    name: str, schemes: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str | None:
    """Return the variable if it is a URL with one of ``schemes``; None when unset or empty."""
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={raw.split('@')[-1]!r} is not a URL starting with "
            + " or ".join(f"{s}://" for s in schemes)
            + "."
        )
    return raw


def secret_key(debug: bool, environ: Mapping[str, str] = os.environ) -> str:
    """Return SECRET_KEY; outside debug it must be set and long enough to be a secret."""
    value = environ.get("SECRET_KEY", "")
    if debug and not value:
        return "insecure-development-key-only-for-debug-runs-0123456789abcdef"
    if not value:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not debug and len(value) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters long when DEBUG is off."
        )
    return value
