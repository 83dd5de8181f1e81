"""A CYP report counts children (issue 31, section 5).

Every metric of the catalogue but MHS109 is meant for children and young people, each with
its stated age rule (0-17 on the day its definition names, or its own range, as SDQ's). So
an extract that also holds adults, people aged 18 or over on every date, with referrals to
any team, contacts, indirect activity and THRIVE groupings, must give the same figures as
the extract without them: every value, numerator and denominator of every metric, at every
level of every breakdown. A level that only the adults bring (a provider seen only by adult
teams) may appear, but only as an empty one. MHS109 counts people aged 18-24: the adults
may add to it, and never take from it.
"""

from datetime import timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh import Child
from cypmh.metrics import BREAKDOWNS, compute
from cypmh.testing import records as rst
from cypmh.thrive import Grouping, GroupingRecord, GroupingSource
from tests.budget import examples
from tests.generative.test_engines_agree import cases, dense_cases


@st.composite
def with_adults(draw):
    area, month, _ = draw(cases() | dense_cases())
    since = month.last_day - timedelta(days=3 * 366)
    adults, referrals, contacts, indirect, groupings = [], [], [], [], []
    providers = sorted({r.provider_code for r in area.referrals}) or ["RXT"]
    for i in range(draw(st.integers(1, 3))):
        pid = f"ADULT{i}"
        # 18 or over on every date an event can have: born 19 years or more before `since`.
        birth = since - timedelta(days=draw(st.integers(19 * 366, 70 * 365)))
        adults.append(Child(person_id=pid, birth_date=birth))
        for j in range(draw(st.integers(1, 3))):
            referral = draw(
                rst.referrals(
                    pid,
                    referral_id=f"ADULT{i}R{j}",
                    provider_code=draw(st.sampled_from([*providers, "RYG"])),
                    after=since,
                )
            )
            referrals.append(referral)
            contacts += [
                draw(rst.contacts(referral, contact_id=f"ADULT{i}R{j}C{k}"))
                for k in range(draw(st.integers(0, 3)))
            ]
            indirect += draw(st.lists(rst.indirect_activities(referral), max_size=2))
        if draw(st.booleans()):
            groupings.append(
                GroupingRecord(
                    person_id=pid,
                    grouping=draw(st.sampled_from(Grouping)),
                    from_date=since,
                    source=GroupingSource.AGREED,
                )
            )
    mixed = attrs.evolve(
        area,
        **{
            "children": (*area.children, *adults),
            "referrals": (*area.referrals, *referrals),
            "contacts": (*area.contacts, *contacts),
            "indirect_activities": (*area.indirect_activities, *indirect),
            "groupings": (*area.groupings, *groupings),
        },
    )
    return area, mixed, month


def cells(rows):
    return {
        (r.metric_id, r.breakdown, r.level): (r.value, r.numerator, r.denominator) for r in rows
    }


ADULT_MEASURES = frozenset({"MHS109"})
"""The measures of adults (MHS109: people aged 18-24 with a contact), which adults change."""


def empty(cell):
    value, numerator, denominator = cell
    return value in (0, None) and numerator in (0, None) and denominator in (0, None)


@settings(max_examples=examples(40), deadline=None)
@given(drawn=with_adults())
def test_adults_in_the_extract_change_no_cyp_figure(drawn):
    area, mixed, month = drawn
    request = {"breakdowns": list(BREAKDOWNS), "disclosure": "none"}
    alone, together = (
        cells(compute(area, month, **request)),
        cells(compute(mixed, month, **request)),
    )
    for key in alone.keys() | together.keys():
        if key[0] in ADULT_MEASURES:
            continue
        if key not in alone:
            assert empty(together[key]), (key, together[key])
        elif key not in together:
            assert empty(alone[key]), (key, alone[key])
        else:
            assert alone[key] == together[key], key
    young_adults = ("MHS109", "Total", "Total")
    assert together[young_adults][0] >= alone[young_adults][0]
