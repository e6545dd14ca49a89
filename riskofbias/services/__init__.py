"""Writes of the risk-of-bias stage, one module per concern."""

from riskofbias.services.assessment import (
    assessment_reopen,
    assessors_assign,
    assessors_assign_defaults,
    judgements_save,
)
from riskofbias.services.common import JudgementInput
from riskofbias.services.consensus import consensus_resolve, consensus_seed_agreements
from riskofbias.services.contacts import author_contact_request
from riskofbias.services.tool import rob_settings_update, tool_install_default

__all__ = [
    "JudgementInput",
    "assessment_reopen",
    "assessors_assign",
    "assessors_assign_defaults",
    "author_contact_request",
    "consensus_resolve",
    "consensus_seed_agreements",
    "judgements_save",
    "rob_settings_update",
    "tool_install_default",
]
