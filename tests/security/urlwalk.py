"""Walk the project's URLconf so access tests cover every view without a hand-kept list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Views that are not part of a review and answer anonymous users by design.
PUBLIC_PREFIXES = ("accounts/", "admin/", "static/", "media/")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    converters: dict[str, str]

    @property
    def is_review_scoped(self) -> bool:
        return "slug" in self.converters and self.pattern.startswith("reviews/")

    def url(self, slug: str, ids: int = 1) -> str:
        """Fill every path parameter: the review's slug, a number for ids, a word otherwise."""
        values = {}
        for param, converter in self.converters.items():
            if param == "slug":
                values[param] = slug
            elif converter == "int":
                values[param] = str(ids)
            elif converter == "uuid":
                values[param] = "00000000-0000-0000-0000-000000000000"
            else:
                values[param] = "x"
        return self.fill(values)

    def fill(self, values: dict[str, str]) -> str:
        """The path with each parameter replaced by ``values[param]``."""
        path = self.pattern
        for param, value in values.items():
            converter = self.converters[param]
            path = path.replace(f"<{converter}:{param}>", value).replace(f"<{param}>", value)
        return "/" + path


def _walk(resolvers, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            converters = {}
            for part in pattern.split("<")[1:]:
                inner = part.split(">", 1)[0]
                converter, _, param = inner.rpartition(":")
                converters[param] = converter or "str"
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Route(name=name, pattern=pattern.lstrip("^").rstrip("$"), converters=converters)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def review_routes() -> list[Route]:
    """Every route under reviews/<slug>/: the pages and fragments of a review."""
    return [r for r in all_routes() if r.is_review_scoped]
