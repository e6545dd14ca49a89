"""Whole-review export to one JSON document, and its import into another instance."""

from reviewapp.portability.exporter import FORMAT, FORMAT_VERSION, review_export
from reviewapp.portability.importer import PortabilityError, review_import

__all__ = ["FORMAT", "FORMAT_VERSION", "PortabilityError", "review_export", "review_import"]
