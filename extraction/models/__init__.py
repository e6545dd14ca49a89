"""Models of the data extraction stage.

Studies group a trial's reports; the review's extraction form is data (sections and fields);
each assigned extractor fills one ``Extraction`` per study, blind to the other, and the
consensus is a third ``Extraction`` of kind CONSENSUS built from their differences.
"""

from extraction.models.extractions import (
    Arm,
    ArmRole,
    ChangeOrFinal,
    Comparison,
    DataType,
    Extraction,
    OutcomeResult,
)
from extraction.models.forms import FieldKind, FormField, FormSection
from extraction.models.studies import AuthorContact, ExtractorAssignment, Study

__all__ = [
    "Arm",
    "ArmRole",
    "AuthorContact",
    "ChangeOrFinal",
    "Comparison",
    "DataType",
    "Extraction",
    "ExtractorAssignment",
    "FieldKind",
    "FormField",
    "FormSection",
    "OutcomeResult",
    "Study",
]
