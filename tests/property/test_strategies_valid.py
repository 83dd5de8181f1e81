"""The public strategies only ever produce valid, consistent objects.

These checks read the rules straight from the definitions (and the code
tables straight from the CSV files), independently of the model's own
validators, so that a validator that let something through would be caught.
"""

import re

from hypothesis import given

from cypmh.model import Area
from cypmh.testing import strategies as cst
from tests.helpers import column, rows

TEAM_TYPES = column("service_team_types", "code")
SOURCES = column("referral_sources", "code")
REASONS = column("referral_reasons", "code")
MECHANISMS = column("consultation_mechanisms", "code")
RANGES = {}
for row in rows("assessment_tools"):
    RANGES[row["snomed_code"]] = (float(row["min_score"]), float(row["max_score"]))
for row in rows("mhsds_publication_assessment_list"):
    low, high = RANGES[row["Active_Concept_ID_SNOMED"]]
    RANGES[row["Active_Concept_ID_SNOMED"]] = (
        min(low, float(row["Lower_Range"])),
        max(high, float(row["Upper_Range"])),
    )
SNOMED = re.compile(r"[1-9][0-9]{5,17}")


def unique(values):
    values = list(values)
    return len(values) == len(set(values))


@given(cst.areas())
def test_areas_are_consistent(area: Area):
    births = {c.person_id: c.birth_date for c in area.children}
    referrals = {r.referral_id: r for r in area.referrals}
    assert len(births) == len(area.children)
    assert unique(r.referral_id for r in area.referrals)
    assert unique(c.contact_id for c in area.contacts)
    assert unique(p.care_plan_id for p in area.care_plans)
    assert unique(s.urn for s in area.schools)

    for r in area.referrals:
        assert births[r.person_id] <= r.received_date
        for later in (r.rejection_date, r.closure_date, r.discharge_date):
            assert later is None or later >= r.received_date
        assert r.team_type is None or r.team_type in TEAM_TYPES
        assert r.source is None or r.source in SOURCES
        assert r.primary_reason is None or r.primary_reason in REASONS
    for record in (*area.contacts, *area.indirect_activities):
        referral = referrals[record.referral_id]
        assert record.person_id == referral.person_id
        assert record.date >= referral.received_date
    for c in area.contacts:
        assert c.consultation_mechanism is None or c.consultation_mechanism in MECHANISMS
        assert all(SNOMED.fullmatch(p) for p in c.procedures)
    for a in area.assessments:
        low, high = RANGES[a.tool_code]
        assert low <= a.score <= high
        assert referrals[a.referral_id].person_id == a.person_id
    for record in (*area.care_episodes, *area.social_work):
        assert births[record.person_id] <= record.start
        assert record.end is None or record.end >= record.start
    for plan in area.care_plans:
        assert births[plan.person_id] <= plan.created
        assert all(a is None or a >= plan.created for a in plan.agreements)
    urns = {s.urn for s in area.schools}
    assert all(link.school_urn in urns for link in area.link_contacts)
    assert all(s.person_id in births for s in area.sdq_returns)
    assert all((s.score is None) != (s.reason is None) for s in area.sdq_returns)


@given(cst.areas())
def test_area_lookups_partition_the_records(area: Area):
    # Every contact is found under exactly its own referral, and in date order.
    found = [c for r in area.referrals for c in area.contacts_of(r.referral_id)]
    assert sorted(found, key=lambda c: c.contact_id) == sorted(
        area.contacts, key=lambda c: c.contact_id
    )
    for r in area.referrals:
        dates = [c.date for c in area.contacts_of(r.referral_id)]
        assert dates == sorted(dates)
    found_referrals = [r for c in area.children for r in area.referrals_of(c.person_id)]
    assert len(found_referrals) == len(area.referrals)
