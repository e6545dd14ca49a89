"""Errors the engine raises on bad input or impossible requests, with reusable messages."""

from __future__ import annotations

# Message templates; tests reuse them, the command line prints them as they are.
MSG_UNKNOWN_MEASURE = "Unknown measure {measure!r}: choose one of MD, SMD, RR, OR, RD."
MSG_UNKNOWN_MODEL = "Unknown model {model!r}: choose fixed or random."
MSG_UNKNOWN_METHOD = "Unknown method {method!r}: choose IV, MH or PETO."
MSG_UNKNOWN_TAU2 = "Unknown tau² estimator {tau2!r}: choose DL, REML or PM."
MSG_MH_NEEDS_DICHOTOMOUS = "Mantel-Haenszel pooling is for RR, OR and RD, not {measure}."
MSG_PETO_NEEDS_OR = "The Peto method pools odds ratios only (use --measure OR), not {measure}."
MSG_PETO_FIXED_ONLY = (
    "The Peto method is a fixed-effect method: use --model fixed with --method PETO."
)
MSG_MH_RANDOM_TAU2 = (
    "'M-H, Random' uses the DerSimonian-Laird tau² (as RevMan); --tau2 {tau2} is not available "
    "with --method MH --model random. Use --method IV for a {tau2} estimate."
)
MSG_HKSJ_NEEDS_IV = (
    "The Hartung-Knapp-Sidik-Jonkman adjustment needs inverse-variance weights; "
    "it is not available with fixed-effect {method}."
)
MSG_TOO_FEW_STUDIES = "At least two estimable studies are needed to pool; found {k}{detail}. {hint}"
MSG_NONE_ESTIMABLE_HINT = (
    "Studies with no events (or only events) in both arms are not estimable for RR and OR."
)
MSG_LENGTH_MISMATCH = "{name} has {got} values but there are {k} studies."
MSG_MODERATOR_MISSING = "Study {study!r}: the moderator {column!r} is missing or not a number."
MSG_MODERATOR_CONSTANT = "The moderator {column!r} takes one value across the pooled studies: there is no slope to estimate."
MSG_SUBGROUP_MISSING = "Study {study!r}: the subgroup column {column!r} is empty."


class MetaAnalysisError(ValueError):
    """Raise for input the engine cannot analyse; the message names the study and field at fault."""
