"""The risk-of-bias stage's domain error and its messages (tests reuse the constants)."""

from reviewapp.services import ReviewError


class RobError(ReviewError):
    """A risk-of-bias rule was broken; the message names the study and domain at fault."""


NO_TOOL = "This review has no risk-of-bias tool yet: open the risk-of-bias page to install it."
NO_SUCH_STUDY = "Study {study_id} is not part of this review."
LEVEL_NOT_IN_TOOL = "{study}, {cell}: {level!r} is not a judgement of this tool (choose {levels})."
SUPPORT_MISSING = (
    "{study}, {cell}: a judgement needs its support: the justification, and a quote from the "
    "report with its page (or tick 'Not reported in the study')."
)
SUPPORT_WITHOUT_LEVEL = "{study}, {cell}: support was entered but no judgement was chosen."
NO_SUCH_CELL = "{study}: there is no domain {domain_id} (outcome group {group_id}) in this tool."
ASSESSOR_NOT_ASSIGNED = "You are not an assessor of {study}: the lead assigns assessors."
ASSESSMENT_LOCKED = "Your assessment of {study} is handed in; it can no longer be changed."
ASSESSMENT_INCOMPLETE = "{study}: judge every domain before handing in (missing: {missing})."
REOPEN_AFTER_BOTH = "{study}: both assessments are in, so the adjudicator resolves differences now."
ASSESSORS_COUNT = "Each study needs exactly two different assessors ({study})."
ASSESSOR_NOT_MEMBER = "{username} is not a reviewer, adjudicator or lead of this review."
ASSESSOR_HAS_JUDGEMENTS = (
    "{username} has already judged {study}: their assessment cannot be taken away."
)
NOT_ASSESSED_TWICE = (
    "{study} has not been assessed twice yet ({done} of 2 assessments handed in): "
    "the consensus waits for both."
)
ADJUDICATOR_ROLE = "Only the adjudicator or the lead resolves differences."
ADJUDICATOR_IS_ASSESSOR = (
    "You assessed {study} yourself: another adjudicator or the lead resolves its differences."
)
LEAD_ONLY = "Only the lead changes the risk-of-bias settings and assessors."
KEY_DOMAINS_EMPTY = "Choose at least one key domain."
KEY_DOMAIN_UNKNOWN = "{key!r} is not a domain of this review's tool."
OUTCOME_GROUPS_EMPTY = "Keep at least one outcome group for the per-outcome domains."
OUTCOME_GROUP_IN_USE = "Outcome group {name!r} has judgements and cannot be removed."
