"""The same children given as ``social_work.csv`` and as CIN census XML give the same answers.

A test-side writer puts social-care periods into the census's shape (each child-in-need
period a ``<CINdetails>``, each plan inside the referral it falls in); cypmh's reader must
give the periods back, and an area's statuses and rejection figures must not change with
the feed they came from.
"""

from datetime import date, timedelta
from xml.sax.saxutils import escape

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.codes import SocialWorkType
from cypmh.io.cin_census import cin_census_from_bytes, combine
from cypmh.metrics import compute
from cypmh.model import SocialWorkInvolvement
from cypmh.synth.area import DEMO_PERIOD, synthetic_area
from tests.budget import examples

CIN, CPP = SocialWorkType.CHILD_IN_NEED, SocialWorkType.CHILD_PROTECTION_PLAN
DAY0 = date(2019, 4, 1)


def census_xml(referrals, reference=date(2025, 3, 31)):
    """``referrals``: (child, start, end, nfa, plans) with plans (start, end), as a census."""
    out = [
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>",
        f"<ReferenceDate>{reference.isoformat()}</ReferenceDate></CollectionDetails></Header>",
        "<Children>",
    ]
    by_child = {}
    for referral in referrals:
        by_child.setdefault(referral[0], []).append(referral)
    for child, theirs in by_child.items():
        out.append(f"<Child><ChildIdentifiers><LAchildID>{escape(child)}</LAchildID>")
        out.append("<Sex>1</Sex></ChildIdentifiers>")
        for _, start, end, nfa, plans in theirs:
            out.append(f"<CINdetails>\n<CINreferralDate>{start.isoformat()}</CINreferralDate>")
            if end is not None:
                out.append(f"<CINclosureDate>{end.isoformat()}</CINclosureDate>")
            out.append(f"<ReferralNFA>{'true' if nfa else 'false'}</ReferralNFA>")
            for plan_start, plan_end in plans:
                out.append(f"<ChildProtectionPlans><CPPstartDate>{plan_start}</CPPstartDate>")
                if plan_end is not None:
                    out.append(f"<CPPendDate>{plan_end}</CPPendDate>")
                out.append("</ChildProtectionPlans>")
            out.append("</CINdetails>")
        out.append("</Child>")
    out.append("</Children></Message>")
    return "\n".join(out).encode()


@st.composite
def referrals(draw):
    """Referrals of a few children, each start unique per child and kind."""
    found, starts = [], set()
    for child in draw(st.lists(st.sampled_from(["A", "B&C", "D<1>", "E"]), max_size=6)):
        offset = draw(st.integers(0, 2000))
        start = DAY0 + timedelta(days=offset)
        if (child, CIN, start) in starts:
            continue
        starts.add((child, CIN, start))
        length = draw(st.none() | st.integers(0, 400))
        end = None if length is None else start + timedelta(days=length)
        plans = []
        for _ in range(draw(st.integers(0, 2))):
            at = start + timedelta(days=draw(st.integers(0, 60)))
            if (child, CPP, at) in starts:
                continue
            starts.add((child, CPP, at))
            span = draw(st.none() | st.integers(0, 200))
            plans.append((at, None if span is None else at + timedelta(days=span)))
        found.append((child, start, end, draw(st.booleans()), plans))
    return found


@given(referrals())
def test_the_census_gives_back_the_periods_written(drawn):
    census = cin_census_from_bytes(census_xml(drawn), "drawn.xml")
    expected = {(c, CIN, s, e) for c, s, e, nfa, _ in drawn if not nfa}
    expected |= {(c, CPP, ps, pe) for c, _, _, _, plans in drawn for ps, pe in plans}
    assert {(p.child, p.kind, p.start, p.end) for p in combine([census])} == expected
    assert census.problems == ()
    assert census.no_further_action == sum(1 for r in drawn if r[3])


@settings(max_examples=examples(8), deadline=None)
@given(seed=st.integers(0, 10_000))
def test_an_area_s_figures_do_not_depend_on_the_feed(seed):
    # The synthetic area's social-care periods, written as a census and read back, give the
    # same REJ02 and REJ02r by social-care status as the periods themselves.
    area = synthetic_area(seed=seed, people=120)
    written = []
    for period in area.social_work:
        if period.kind is CIN:
            written.append((period.person_id, period.start, period.end, False, []))
        else:  # a plan on its own, in a referral that ended in no further action
            written.append(
                (period.person_id, period.start, period.end, True, [(period.start, period.end)])
            )
    census = cin_census_from_bytes(census_xml(written), "area.xml")
    read = tuple(
        SocialWorkInvolvement(person_id=p.child, kind=p.kind, start=p.start, end=p.end)
        for p in combine([census])
    )
    assert sorted(read, key=repr) == sorted(area.social_work, key=repr)
    again = attrs.evolve(area, social_work=read)
    request = {"metrics": ["REJ02", "REJ02r"], "breakdowns": ["social_care"], "disclosure": "none"}
    before = compute(area, DEMO_PERIOD, **request)
    after = compute(again, DEMO_PERIOD, **request)
    assert [(r.metric_id, r.level, r.value, r.numerator) for r in after] == [
        (r.metric_id, r.level, r.value, r.numerator) for r in before
    ]
    assert any(r.breakdown == "social_care" for r in before)
