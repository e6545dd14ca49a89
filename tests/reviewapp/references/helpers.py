"""Helpers shared by the references tests."""

from __future__ import annotations

from pathlib import Path

from reviewapp.references.parsers import ParsedRecord, RecordError, open_records

FIXTURES = Path(__file__).parent / "fixtures"


def parse(path: Path, fmt: str = "auto") -> tuple[str, list[ParsedRecord], list[RecordError]]:
    """Return the detected format, the good records and the errors of a file."""
    with open_records(path, fmt) as opened:
        items = list(opened.items)
    good = [i for i in items if isinstance(i, ParsedRecord)]
    bad = [i for i in items if isinstance(i, RecordError)]
    return opened.format, good, bad


def upload(
    review, name: str, *, actor=None, database: str = "", content: bytes | None = None, **kwargs
):  # noqa: ANN001, ANN003, ANN201
    """Store a fixture (or ``content``) as a batch, as the upload page does."""
    from reviewapp.references.services import batch_create

    data = content if content is not None else (FIXTURES / name).read_bytes()
    return batch_create(
        actor=actor,
        review=review,
        database_name=database or name,
        file_name=name,
        chunks=[data],
        size=len(data),
        **kwargs,
    )
