"""The core domain: reviews and who works on them, their vocabulary, the audit trail,
background jobs, and the references imported from the database searches."""

from reviewapp.models.audit import AuditEvent
from reviewapp.models.jobs import Job
from reviewapp.models.references import DuplicatePair, ImportBatch, Record, SearchSource
from reviewapp.models.reviews import Membership, Review, Role
from reviewapp.models.vocabulary import (
    ComparatorType,
    ExclusionReason,
    Measure,
    OutcomeDomain,
    TimePoint,
)

__all__ = [
    "AuditEvent",
    "ComparatorType",
    "DuplicatePair",
    "ExclusionReason",
    "ImportBatch",
    "Job",
    "Measure",
    "Membership",
    "OutcomeDomain",
    "Record",
    "Review",
    "Role",
    "SearchSource",
    "TimePoint",
]
