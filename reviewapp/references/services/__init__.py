"""Writes of the references app: uploads and imports, and duplicate decisions."""

from reviewapp.references.services.duplicates import (
    duplicate_pair_merge,
    duplicate_pair_reject,
    duplicates_find,
    record_unmerge,
)
from reviewapp.references.services.imports import (
    ImportError_,
    batch_cancel,
    batch_create,
    batch_import,
    batch_set_mapping,
    batch_start,
)

__all__ = [
    "ImportError_",
    "batch_cancel",
    "batch_create",
    "batch_import",
    "batch_set_mapping",
    "batch_start",
    "duplicate_pair_merge",
    "duplicate_pair_reject",
    "duplicates_find",
    "record_unmerge",
]
