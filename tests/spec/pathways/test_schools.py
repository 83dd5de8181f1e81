"""The schools route: from a school (source C2) whose link was working on the day of receipt.

School 100001 has a working link from 1 Sep 2023; school 100002's link has no CAMHS
contact role, so it is never a working link.
"""

from datetime import date

import pytest

from cypmh import LinkContact, School
from cypmh.pathways import school_route
from tests.spec.pathways.timeline import area, child, referral

SCHOOLS = [School(urn="100001", name="Hillside"), School(urn="100002", name="Riverside")]
LINKS = [
    LinkContact(
        school_urn="100001",
        provider_code="RXT",
        school_lead_role="Mental health lead",
        camhs_contact_role="Link worker",
        start=date(2023, 9, 1),
    ),
    LinkContact(
        school_urn="100002",
        provider_code="RXT",
        school_lead_role="Designated teacher",
        start=date(2023, 9, 1),
    ),
]


@pytest.mark.parametrize(
    ("urn", "source", "received", "from_school", "working", "via", "why"),
    [
        ("100001", "C2", date(2024, 1, 10), True, True, True, "school referral, working link"),
        ("100001", "A1", date(2024, 1, 10), False, True, False, "a GP referral"),
        ("100001", "C2", date(2023, 8, 31), True, False, False, "the day before the link started"),
        (
            "100002",
            "C2",
            date(2024, 1, 10),
            True,
            False,
            False,
            "link without a CAMHS contact role",
        ),
        (None, "C2", date(2024, 1, 10), True, False, False, "child's school unknown"),
        ("100001", None, date(2024, 1, 10), False, True, False, "no source recorded"),
    ],
)
def test_school_route(urn, source, received, from_school, working, via, why):
    records = area(
        children=[child(school_urn=urn)],
        schools=SCHOOLS,
        link_contacts=LINKS,
        referrals=[referral("R1", received, source=source)],
    )
    route = school_route(records, "R1")
    assert (route.from_school, route.school_urn, route.working_link, route.via_linked_school) == (
        from_school,
        urn,
        working,
        via,
    ), why


def test_school_sources_are_a_parameter():
    records = area(
        children=[child(school_urn="100001")],
        schools=SCHOOLS,
        link_contacts=LINKS,
        referrals=[referral("R1", date(2024, 1, 10), source="F1")],
    )
    assert not school_route(records, "R1").from_school
    assert school_route(records, "R1", school_sources=frozenset({"C2", "F1"})).via_linked_school
