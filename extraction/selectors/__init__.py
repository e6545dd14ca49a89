"""Reads of the extraction stage; ``consensus`` holds the contract the analysis reads."""

from extraction.selectors.consensus import (
    CHARACTERISTIC_KEYS,
    OutcomeRow,
    consensus_outcome_data,
    consensus_study_characteristics,
)
from extraction.selectors.studies import (
    author_contacts,
    both_submitted,
    comparison_rows,
    consensus_of,
    form_sections,
    own_extraction,
    studies_for_review,
    study_in_review,
    study_lines,
    ungrouped_reports,
)

__all__ = [
    "CHARACTERISTIC_KEYS",
    "OutcomeRow",
    "author_contacts",
    "both_submitted",
    "comparison_rows",
    "consensus_of",
    "consensus_outcome_data",
    "consensus_study_characteristics",
    "form_sections",
    "own_extraction",
    "studies_for_review",
    "study_in_review",
    "study_lines",
    "ungrouped_reports",
]
