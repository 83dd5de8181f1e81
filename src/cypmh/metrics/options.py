"""The configurable parts of the metric definitions (both engines read them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh.metrics.definition import DeclaredKpi
from cypmh.pathways import (
    DFE_COLLECTION_AGES,
    SCHOOL_REFERRAL_SOURCES,
    AssessmentWindow,
    ContactRule,
    FourWeekCohort,
    InterventionCodes,
    SdqAgeRule,
)

if TYPE_CHECKING:
    from datetime import date

    from cypmh.need.deprivation import Deprivation
    from cypmh.need.group_population import GroupPopulation
    from cypmh.need.population import Population
    from cypmh.need.prevalence import Scheme

__all__ = ["MetricOptions"]


def _releases(value: object) -> tuple[Deprivation, ...]:
    """One :class:`~cypmh.need.deprivation.Deprivation` or several, as a tuple."""
    from cypmh.need.deprivation import Deprivation

    if isinstance(value, Deprivation):
        return (value,)
    return tuple(value)  # type: ignore[arg-type]


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
      them as rejections, as the referral was received and not accepted);
    - ``population``: the area's population by age and sex
      (:func:`cypmh.need.read_population`), which NEED01, ACC01, MHS95a,
      REF01a and ACC02r need; without it they are left out of the catalogue;
    - ``scheme``: the prevalence scheme of NEED01 and ACC01, a name of
      :data:`cypmh.need.prevalence.SCHEMES` or a :class:`~cypmh.need.prevalence.Scheme`
      (default ``ons_2004``, the basis of NHS England's access target);
    - ``kpis``: the area's own KPIs (:func:`cypmh.metrics.kpis.read_kpis`), which
      every engine computes beside the catalogue's metrics, by their ids;
    - ``deprivation``: the releases of the English Indices of Deprivation read
      (:func:`cypmh.need.read_deprivation`), which the IMD breakdowns need; without
      one, those breakdowns give no rows;
    - ``deprivation_release``: which of them a month reads: a release's name, or
      ``None`` (``nhs_england``) for the one NHS England's code reads in the month
      (:func:`cypmh.need.deprivation.choose`);
    - ``direct_contacts_only``: count waits from direct contacts only. Where that changes
      an NHS England measure (the four-week clock, MRS08-MRS09f, which indirect activity
      also stops), the run reports cypmh's own twin in its place (WAIT08-WAIT09f,
      :func:`cypmh.metrics.request.run_id`); the other waits (MHS130-MHS135, WAIT01, the
      eating-disorder clock, the referral fates) count direct contacts already;
    - ``population_groups``: the area's population by ethnic group and by IMD decile, each
      by age and sex (:func:`cypmh.need.read_group_population`), which the standardised
      rates need (MHS95b, MHS95c, MHS95f, MHS95g and ACC03); without it they are left out
      of the catalogue.
    """

    contact_rule: ContactRule = attrs.field(factory=ContactRule)
    interventions: InterventionCodes | None = None
    cohort: FourWeekCohort | None = None
    assessment_window: AssessmentWindow = attrs.field(factory=AssessmentWindow)
    sdq_age_rule: SdqAgeRule = DFE_COLLECTION_AGES
    school_sources: frozenset[str] = SCHOOL_REFERRAL_SOURCES
    exclude_duplicate_rejections: bool = False
    population: Population | None = None
    scheme: str | Scheme = "ons_2004"
    kpis: tuple[DeclaredKpi, ...] = attrs.field(default=(), converter=tuple)
    deprivation: tuple[Deprivation, ...] = attrs.field(default=(), converter=_releases)
    deprivation_release: str | None = None
    direct_contacts_only: bool = False
    population_groups: GroupPopulation | None = None

    def deprivation_for(self, day: date) -> Deprivation | None:
        """The release the month of ``day`` reads (``None``: no file was given)."""
        return self.deprivation_choice(day)[0]

    def deprivation_choice(self, day: date) -> tuple[Deprivation | None, str]:
        """:meth:`deprivation_for`, and why, in words for the outputs."""
        from cypmh.need.deprivation import choose  # on use: the need layer's file reading
        from cypmh.periods import uniq_month_id

        return choose(self.deprivation, self.deprivation_release, uniq_month_id(day))
