"""Hypothesis strategies that generate valid cypmh objects, for your own tests.

Every strategy here only ever produces objects that construct without error:
codes come from cypmh's code lists, dates are in order, scores lie inside
their tool's range, and an :func:`areas` draw is a consistent
:class:`~cypmh.model.Area` (every contact belongs to a referral of the same
child, nothing happens before birth or before the referral it belongs to).

Install the ``testing`` extra (``pip install cypmh[testing]``) to use them::

    from hypothesis import given
    from cypmh.testing import strategies as cst

    @given(cst.areas())
    def test_my_count_of_contacts(area):
        assert my_tool.count_contacts(area) == len(area.contacts)

Most strategies take the fields that tie a record to others (a person id, a
referral, an earliest date) so that you can build related records yourself;
left out, they are generated. Dates lie between :data:`EARLIEST` and
:data:`LATEST` unless you say otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from cypmh.model import (
    Area,
    AssessmentFactor,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    GroupingRecord,
    IndirectActivity,
    LinkContact,
    Referral,
    School,
    SdqReturn,
    Service,
    SocialWorkInvolvement,
    WellbeingAssessment,
)
from cypmh.need.population import FEMALE, MALE, PERSONS, Population
from cypmh.testing.areas import areas
from cypmh.testing.records import (
    assessment_factors,
    care_episodes,
    care_plans,
    children,
    coded_assessments,
    contacts,
    indirect_activities,
    link_contacts,
    referrals,
    schools,
    sdq_returns,
    services,
    social_work_involvements,
    wellbeing_assessments,
)
from cypmh.testing.thrive_strategies import conditions, grouping_records, needs_profiles, policies
from cypmh.testing.values import (
    EARLIEST,
    LATEST,
    consultation_mechanism_codes,
    identifiers,
    ods_codes,
    referral_reason_codes,
    referral_source_codes,
    snomed_codes,
    team_type_codes,
    urns,
)

__all__ = [
    "EARLIEST",
    "LATEST",
    "STRATEGIES",
    "areas",
    "assessment_factors",
    "care_episodes",
    "care_plans",
    "children",
    "coded_assessments",
    "conditions",
    "consultation_mechanism_codes",
    "contacts",
    "grouping_records",
    "identifiers",
    "indirect_activities",
    "link_contacts",
    "needs_profiles",
    "ods_codes",
    "policies",
    "populations",
    "referral_reason_codes",
    "referral_source_codes",
    "referrals",
    "schools",
    "sdq_returns",
    "services",
    "snomed_codes",
    "social_work_involvements",
    "team_type_codes",
    "urns",
    "wellbeing_assessments",
]


@st.composite
def populations(draw: st.DrawFn, *, max_people: int = 2_000) -> Population:
    """A :class:`~cypmh.need.population.Population` of ages 0 to 20, split by sex or not.

    Ages may be missing or empty; each cell holds up to ``max_people``.
    """
    split = draw(st.booleans())
    sexes = (MALE, FEMALE) if split else (PERSONS,)
    cells = st.tuples(st.integers(0, 20), st.sampled_from(sexes))
    counts = draw(st.dictionaries(cells, st.integers(0, max_people), min_size=1, max_size=30))
    return Population(counts=counts, source="generated")


STRATEGIES: dict[type, Callable[[], st.SearchStrategy[Any]]] = {
    Child: children,
    CareEpisode: care_episodes,
    SocialWorkInvolvement: social_work_involvements,
    SdqReturn: sdq_returns,
    WellbeingAssessment: wellbeing_assessments,
    AssessmentFactor: assessment_factors,
    Service: services,
    School: schools,
    Referral: referrals,
    Contact: contacts,
    IndirectActivity: indirect_activities,
    CodedAssessment: coded_assessments,
    CarePlan: care_plans,
    LinkContact: link_contacts,
    GroupingRecord: grouping_records,
    Area: areas,
}
"""For every model class, a function returning a strategy for it."""
