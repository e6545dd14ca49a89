"""Writes of the extraction stage (studies, the form, drafts, the consensus), one module each."""

from extraction.services.arms import arm_delete, arm_save, comparison_delete, comparison_save
from extraction.services.consensus import consensus_open, consensus_resolve, may_resolve
from extraction.services.errors import ExtractionError, ExtractionFieldErrors
from extraction.services.extractions import (
    extraction_save_answers,
    extraction_start,
    extraction_submit,
)
from extraction.services.forms import (
    form_field_delete,
    form_field_save,
    form_install_protocol,
    form_section_save,
)
from extraction.services.results import result_delete, result_save
from extraction.services.studies import (
    author_contact_record,
    default_extractors,
    study_assign_extractors,
    study_create_from_records,
)

__all__ = [
    "ExtractionError",
    "ExtractionFieldErrors",
    "arm_delete",
    "arm_save",
    "author_contact_record",
    "comparison_delete",
    "comparison_save",
    "consensus_open",
    "consensus_resolve",
    "default_extractors",
    "extraction_save_answers",
    "extraction_start",
    "extraction_submit",
    "form_field_delete",
    "form_field_save",
    "form_install_protocol",
    "form_section_save",
    "may_resolve",
    "result_delete",
    "result_save",
    "study_assign_extractors",
    "study_create_from_records",
]
