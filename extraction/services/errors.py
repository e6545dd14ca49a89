"""The extraction stage's domain errors and their messages (tests reuse the constants)."""

from __future__ import annotations

from reviewapp.services import ReviewError

MSG_NO_RECORDS = "Choose at least one included report to make a study."
MSG_RECORD_NOT_INCLUDED = "Report {record} is not included at full text in this review."
MSG_RECORD_IN_STUDY = "Report {record} already belongs to study {study}."
MSG_LABEL_TAKEN = "A study labelled {label!r} already exists in this review."
MSG_EXTRACTORS_COUNT = "Assign exactly two different extractors (got {count})."
MSG_CONSENSUS_STARTED = "The consensus of {study} has started: its extractors can no longer change."
MSG_EXTRACTOR_NOT_REVIEWER = "{user} is not a reviewer of this review."
MSG_NOT_ASSIGNED = "You are not assigned to extract {study}."
MSG_NOT_YOUR_EXTRACTION = "This extraction belongs to another extractor."
MSG_ALREADY_SUBMITTED = "This extraction was submitted and can no longer change."
MSG_REQUIRED_MISSING = (
    "Answer these required fields (or mark them not reported) before submitting: {fields}."
)
MSG_NO_ARMS = "Add at least two arms before submitting."
MSG_UNKNOWN_FIELD = "The form has no field {key!r}."
MSG_BAD_CHOICE = "{value!r} is not one of the choices for {label}."
MSG_BAD_ANSWER = "{label}: {problem}"
MSG_FIELD_KEY_TAKEN = "The form already has a field with key {key!r}."
MSG_CHOICES_NEEDED = "List the choices (one per line) for a choice field."
MSG_SECTION_TAKEN = "The form already has a section called {title!r}."
MSG_ARM_TAKEN = "This extraction already has an arm called {label!r}."
MSG_ARM_IN_USE = "Arm {label!r} has outcome data; delete its results first."
MSG_COMPARISON_TAKEN = "This extraction already has a comparison called {label!r}."
MSG_COMPARISON_SIDES = "A comparison needs at least one intervention arm and one control arm."
MSG_COMPARISON_OVERLAP = "Arm {label!r} cannot be both intervention and control."
MSG_SD_NEGATIVE = "SD cannot be negative (got {value:g})."
MSG_SE_NEGATIVE = "SE cannot be negative (got {value:g})."
MSG_EVENTS_ABOVE_N = "Events ({events}) cannot exceed N ({n})."
MSG_EVENTS_CONTINUOUS = "Events belong to dichotomous data; choose 'Dichotomous' or clear events."
MSG_CI_ORDER = "The lower 95% CI limit ({lower:g}) is above the upper ({upper:g})."
MSG_MEAN_OUT_OF_RANGE = "The mean {mean:g} lies outside the {measure} scale ({low:g} to {high:g})."
MSG_CHANGE_OUT_OF_RANGE = (
    "A change of {mean:g} is larger than the {measure} scale allows (±{span:g})."
)
MSG_N_ABOVE_RANDOMISED = "N ({n}) is larger than the {randomised} randomised to {arm}."
MSG_ANALYSED_ABOVE_RANDOMISED = "Analysed ({analysed}) cannot exceed randomised ({randomised})."
MSG_RESULT_TAKEN = "{arm} already has numbers for {measure} at {time_point}: edit that row."
MSG_NOT_BOTH_SUBMITTED = "The comparison opens when both extractors have submitted."
MSG_NOT_A_RESOLVER = "Only the adjudicator{extra} may resolve differences in this review."
MSG_NOT_A_DIFFERENCE = "This value is not one of the differences between the extractions."
MSG_CELL_INVALID = "{cell}: {problem}"


class ExtractionError(ReviewError):
    """A rule of data extraction was broken; the message is shown as it is."""


class ExtractionFieldErrors(ExtractionError):
    """Several fields are wrong at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))
