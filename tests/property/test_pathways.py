"""Properties of the pathway rules, over generated areas and journeys."""

import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from cypmh import Area, CodedAssessment, Contact, IndirectActivity, Referral
from cypmh.codes import AttendStatus
from cypmh.pathways import (
    JOIN_WITHIN_DAYS,
    build_spells,
    journey_of,
    merge_intervals,
    periods_of_care,
    spell_clock,
)
from cypmh.testing import strategies as cst

period_ends = st.dates(date(2016, 6, 30), date(2027, 12, 31))


def received_by(area: Area, period_end: date) -> list[Referral]:
    return [r for r in area.referrals if r.received_date <= period_end]


# Spells.

intervals = st.lists(
    st.tuples(st.dates(date(2020, 1, 1), date(2022, 1, 1)), st.integers(0, 90)).map(
        lambda pair: (pair[0], pair[0] + timedelta(days=pair[1]))
    ),
    max_size=12,
)


@given(intervals)
def test_merging_is_idempotent_and_leaves_gaps_over_five_days(spans):
    merged = merge_intervals(spans)
    assert merge_intervals(merged) == merged
    for (_, end), (start, _) in pairwise(merged):
        assert (start - end).days > JOIN_WITHIN_DAYS
    # Every input day is covered by exactly one merged interval.
    for start, end in spans:
        assert sum(s <= start and end <= e for s, e in merged) == 1


@given(
    area=cst.areas(max_children=3, max_referrals=4, max_contacts=0),
    period_end=period_ends,
    seed=st.integers(),
)
def test_spells_do_not_depend_on_input_order(area, period_end, seed):
    referrals = received_by(area, period_end)
    shuffled = list(referrals)
    random.Random(seed).shuffle(shuffled)
    assert build_spells(shuffled, period_end) == build_spells(referrals, period_end)


@given(area=cst.areas(max_children=3, max_referrals=4, max_contacts=0), period_end=period_ends)
def test_spells_never_overlap_and_hold_every_referral_once(area, period_end):
    referrals = received_by(area, period_end)
    spells = build_spells(referrals, period_end)
    by_key = defaultdict(list)
    for spell in spells:
        by_key[(spell.person_id, spell.provider_code)].append(spell)
        assert spell.start <= spell.end <= period_end
    for group in by_key.values():
        for earlier, later in pairwise(group):
            assert (later.start - earlier.end).days > JOIN_WITHIN_DAYS
    placed = [rid for spell in spells for rid in spell.referral_ids]
    assert sorted(placed) == sorted(r.referral_id for r in referrals)
    for spell in spells:
        for rid in spell.referral_ids:
            referral = area.referral(rid)
            assert (referral.person_id, referral.provider_code) == (
                spell.person_id,
                spell.provider_code,
            )
            assert spell.start <= referral.received_date <= spell.end


@given(area=cst.areas(max_children=3, max_referrals=4, max_contacts=0), period_end=period_ends)
def test_rebuilding_spells_from_spells_changes_nothing(area, period_end):
    # Idempotence of build_spells: one referral spanning each spell gives the same spans.
    spells = build_spells(received_by(area, period_end), period_end)
    stand_ins = [
        Referral(
            referral_id=f"S{i}",
            person_id=s.person_id,
            provider_code=s.provider_code,
            received_date=s.start,
            discharge_date=s.end,
        )
        for i, s in enumerate(spells)
    ]
    again = build_spells(stand_ins, period_end)
    strip = lambda ss: [(s.person_id, s.provider_code, s.start, s.end, s.is_open) for s in ss]  # noqa: E731
    assert strip(again) == strip(spells)


@given(area=cst.areas(), period_end=period_ends)
def test_a_clock_never_stops_before_its_spell_starts(area, period_end):
    for spell in build_spells(received_by(area, period_end), period_end):
        clock = spell_clock(area, spell)
        for day in (
            clock.events.first_contact,
            clock.events.first_outcome,
            clock.events.first_care_plan_or_intervention,
        ):
            assert day is None or spell.start <= day <= spell.end
        assert clock.clock_stop is None or clock.clock_stop >= spell.start
        assert clock.days_to_clock_stop is None or clock.days_to_clock_stop >= 0


# Journeys.


def shift_area(area: Area, days: int) -> Area:
    """Every date in the area moved by ``days``."""
    step = timedelta(days=days)

    def move(record, *fields):
        return attrs.evolve(
            record,
            **{f: getattr(record, f) + step for f in fields if getattr(record, f) is not None},
        )

    return attrs.evolve(
        area,
        children=tuple(move(c, "birth_date") for c in area.children),
        referrals=tuple(
            move(r, "received_date", "rejection_date", "closure_date", "discharge_date")
            for r in area.referrals
        ),
        contacts=tuple(move(c, "date") for c in area.contacts),
        indirect_activities=tuple(move(a, "date") for a in area.indirect_activities),
        assessments=tuple(move(a, "date") for a in area.assessments),
        care_plans=tuple(
            attrs.evolve(
                p,
                created=p.created + step,
                last_updated=None if p.last_updated is None else p.last_updated + step,
                agreements=[None if a is None else a + step for a in p.agreements],
            )
            for p in area.care_plans
        ),
    )


@st.composite
def journeys_with_timeless_codes(draw):
    """One referral and its records, using only codes whose meaning does not change over time
    (mechanisms 01, 02, 04; no effective-dated lists), dated from December 2019."""
    child = draw(cst.children("P1", born=st.dates(date(2004, 1, 1), date(2012, 1, 1))))
    referral = draw(cst.referrals("P1", referral_id="R1", after=date(2019, 12, 1)))
    referral = attrs.evolve(referral, provider_code="RXT")
    end = date(2026, 12, 31)
    days = st.dates(referral.received_date, max(referral.received_date, end))
    contacts = [
        Contact(
            contact_id=f"C{i}",
            referral_id="R1",
            person_id="P1",
            date=draw(days),
            attend_status=draw(st.sampled_from(AttendStatus)),
            consultation_mechanism=draw(st.sampled_from(["01", "02", "04", None])),
            procedures=tuple(
                draw(st.lists(st.sampled_from(["1085671000000109", "51484002"]), max_size=1))
            ),
        )
        for i in range(draw(st.integers(0, 5)))
    ]
    indirect = [
        IndirectActivity(referral_id="R1", person_id="P1", date=draw(days))
        for _ in range(draw(st.integers(0, 2)))
    ]
    assessments = [
        CodedAssessment(
            referral_id="R1", person_id="P1", tool_code="958231000000102", score=10, date=draw(days)
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    plans = draw(
        st.lists(
            cst.care_plans("P1", after=date(2019, 12, 1)),
            max_size=2,
            unique_by=lambda p: p.care_plan_id,
        )
    )
    return Area(
        children=(child,),
        referrals=(referral,),
        contacts=tuple(contacts),
        indirect_activities=tuple(indirect),
        assessments=tuple(assessments),
        care_plans=tuple(plans),
    )


@given(
    area=journeys_with_timeless_codes(),
    days=st.integers(-30, 2000),
    on=st.dates(date(2019, 1, 1), date(2028, 1, 1)),
)
def test_shifting_every_date_shifts_the_journey(area, days, on):
    step = timedelta(days=days)
    before = journey_of(area, "R1")
    after = journey_of(shift_area(area, days), "R1")
    assert [(e.kind, e.date + step) for e in before.events] == [
        (e.kind, e.date) for e in after.events
    ]
    assert after.first_contact_wait == before.first_contact_wait
    assert after.waiting_days_on(
        after.referral.received_date + timedelta(days=10)
    ) == before.waiting_days_on(before.referral.received_date + timedelta(days=10))
    assert after.state_on(on + step) is before.state_on(on)


@given(
    area=journeys_with_timeless_codes(),
    days=st.integers(-30, 2000),
    period_end=st.dates(date(2020, 1, 1), date(2027, 1, 1)),
)
def test_shifting_every_date_shifts_the_spell_clock(area, days, period_end):
    assume(area.referrals[0].received_date <= period_end)
    step = timedelta(days=days)
    moved = shift_area(area, days)
    (before,) = build_spells(area.referrals, period_end)
    (after,) = build_spells(moved.referrals, period_end + step)
    assert (after.start, after.end, after.is_open) == (
        before.start + step,
        before.end + step,
        before.is_open,
    )
    clock_before, clock_after = spell_clock(area, before), spell_clock(moved, after)
    assert clock_after.days_to_clock_stop == clock_before.days_to_clock_stop


@given(area=journeys_with_timeless_codes(), data=st.data())
def test_a_later_contact_never_changes_the_first_contact_wait(area, data):
    referral = area.referrals[0]
    first = Contact(
        contact_id="first",
        referral_id="R1",
        person_id="P1",
        date=referral.received_date + timedelta(days=data.draw(st.integers(0, 300))),
        attend_status=AttendStatus.ATTENDED_ON_TIME,
        consultation_mechanism="02",
    )
    with_first = attrs.evolve(area, contacts=(*area.contacts, first))
    journey = journey_of(with_first, "R1")
    # Another contact, of any kind, on or after the first counted direct contact.
    extra = data.draw(cst.contacts(referral, contact_id="extra"))
    extra = attrs.evolve(
        extra, date=journey.first_direct_contact + timedelta(days=data.draw(st.integers(0, 400)))
    )
    bigger = attrs.evolve(with_first, contacts=(*with_first.contacts, extra))
    assert journey_of(bigger, "R1").first_contact_wait == journey.first_contact_wait


# Periods of care.


@given(
    episodes=st.lists(cst.care_episodes("P1", after=date(2015, 1, 1)), max_size=5),
    seed=st.integers(),
)
def test_periods_of_care_do_not_depend_on_order_and_hold_every_episode(episodes, seed):
    shuffled = list(episodes)
    random.Random(seed).shuffle(shuffled)
    periods = periods_of_care(episodes)
    assert [(p.start, p.end) for p in periods_of_care(shuffled)] == [
        (p.start, p.end) for p in periods
    ]
    assert sum(len(p.episodes) for p in periods) == len(episodes)
    for earlier, later in pairwise(periods):
        assert earlier.end is not None
        assert later.start > earlier.end
