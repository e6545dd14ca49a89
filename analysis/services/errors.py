"""The analysis stage's domain error and the messages tests reuse."""

from reviewapp.services import ReviewError

MSG_NO_COMPARISONS = "Add a comparison before proposing analyses."
MSG_NO_DATA = "No consensus outcome data yet: finish the extraction consensus first."
MSG_NO_ANALYSES = "There are no analyses to run: propose them from the consensus data first."
MSG_UNKNOWN_STUDY = "Study {study!r} is not part of this analysis."
MSG_EXCLUSION_NEEDS_REASON = "Give a reason for excluding {study}."
MSG_FOOTNOTE_NEEDED = (
    "{domain}: a downgrade, or a decision that differs from the suggestion, needs a footnote "
    "explaining it."
)
MSG_DOWNGRADE_RANGE = "{domain}: a downgrade is 0, 1 or 2 levels."
MSG_MD_NEEDS_ONE_INSTRUMENT = (
    "A mean difference needs every study on the same instrument; this analysis pools several "
    "instruments, so it stays a standardised mean difference (SMD)."
)
MSG_MEASURE_DATA_TYPE = "{measure} does not fit {data_type} data: use {allowed}."


class AnalysisError(ReviewError):
    """A rule of the analysis stage was broken; the message is shown as it is."""
