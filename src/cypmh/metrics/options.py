"""The configurable parts of the metric definitions (both engines read them)."""

from __future__ import annotations

import attrs

from cypmh.pathways import (
    DFE_COLLECTION_AGES,
    SCHOOL_REFERRAL_SOURCES,
    AssessmentWindow,
    ContactRule,
    FourWeekCohort,
    InterventionCodes,
    SdqAgeRule,
)

__all__ = ["MetricOptions"]


@attrs.frozen(kw_only=True)
class MetricOptions:
    """The configurable parts of the metric definitions; the defaults are the national ones.

    - ``contact_rule``: what counts as a contact (digital providers);
    - ``interventions``: the intervention code set of the four-week clock
      (default: the two codes cypmh ships; load the MHSDS reference sets for
      publication-comparable MRS08 figures);
    - ``cohort``: the four-week cohort's filters;
    - ``assessment_window``: the initial wellbeing assessment window (4-6 months);
    - ``sdq_age_rule``: which ages are eligible for an SDQ;
    - ``school_sources``: sources of referral that mean *from a school*;
    - ``exclude_duplicate_rejections``: leave referrals rejected as duplicates
      (reason 01) out of the rejection measures altogether (default: count
      them as rejections, as the referral was received and not accepted).
    """

    contact_rule: ContactRule = attrs.field(factory=ContactRule)
    interventions: InterventionCodes | None = None
    cohort: FourWeekCohort | None = None
    assessment_window: AssessmentWindow = attrs.field(factory=AssessmentWindow)
    sdq_age_rule: SdqAgeRule = DFE_COLLECTION_AGES
    school_sources: frozenset[str] = SCHOOL_REFERRAL_SOURCES
    exclude_duplicate_rejections: bool = False
