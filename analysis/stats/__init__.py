"""Meta-analysis engine: pure numpy/scipy, no Django. Agrees with RevMan 5 and metafor.

Public API::

    from analysis.stats import DichotomousData, meta_analysis
    data = DichotomousData.of(study=[...], events_e=[...], n_e=[...], events_c=[...], n_c=[...])
    result = meta_analysis(data, measure="RR", model="random")
    result.to_dict()   # the JSON object of ``manage.py meta_analyze --json``

Conventions (RevMan 5, checked against 150 published Cochrane analyses and against metafor):
z = 1.959963984540054; 0.5 added to every cell of a study with a zero cell for RR/OR (also in
the Mantel-Haenszel sums); double-zero studies not estimable for RR/OR (listed with nulls),
kept for RD (raw proportions, corrected variance, raw cells in the MH sums); MH variance of RD
by Greenland & Robins 1985 (metafor's rma.mh uses Sato et al. 1989); 'M-H, Random' = DL tau²
from the Q around the MH estimate, then inverse-variance random-effects weights.

Bad input raises ``MetaAnalysisError`` naming the study and column. Documented fallbacks,
each reported in ``result.warnings`` (JSON key ``warnings``, only present when non-empty):
REML that does not converge by Fisher scoring is maximised directly (bounded Brent); HKSJ
with one study in a subgroup falls back to the normal CI; a subgroup with no estimable study
is listed with nulls; with only one subgroup there is no test for differences (Q 0, df 0,
p null). A subgroup of one study reports that study (tau² 0, Q 0). Fewer than two estimable
studies overall is an error, not a fallback.
"""

__version__ = "1.0.0"

from analysis.stats.api import meta_analysis
from analysis.stats.errors import MetaAnalysisError
from analysis.stats.inputs import ContinuousData, DichotomousData, StudyData
from analysis.stats.options import resolve_options
from analysis.stats.results import MetaAnalysisResult

__all__ = [
    "ContinuousData",
    "DichotomousData",
    "MetaAnalysisError",
    "MetaAnalysisResult",
    "StudyData",
    "meta_analysis",
    "resolve_options",
]
