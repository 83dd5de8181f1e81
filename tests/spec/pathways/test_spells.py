"""Referral spells (domain reference 5.3): merge per person and provider, 5-day allowance.

Each referral ends at its discharge, else rejection, else closure date, capped at the
period end; an open referral ends at the period end. The period end here is 31 Mar 2024,
so a spell is open when it ends on or after 26 Mar (within 5 days of the period end).
"""

from datetime import date

import attrs
import pytest

from cypmh.errors import InvalidValueError
from cypmh.pathways import FourWeekCohort, Spell, build_spells, four_week_spells
from tests.spec.pathways.timeline import area, child, referral

PERIOD_END = date(2024, 3, 31)


def spans(spells):
    return [
        (s.person_id, s.provider_code, s.start, s.end, s.referral_ids, s.is_open) for s in spells
    ]


def test_a_referral_within_five_days_joins_the_spell():
    # A ends 10 Jan; B starts 15 Jan = 10 Jan + 5 days: joins. B ends 20 Jan; C starts 26 Jan
    # = 20 Jan + 6 days: a new spell. C is open, so it ends at the period end and is open.
    referrals = [
        referral("A", date(2024, 1, 1), discharge_date=date(2024, 1, 10)),
        referral("B", date(2024, 1, 15), discharge_date=date(2024, 1, 20)),
        referral("C", date(2024, 1, 26)),
    ]
    assert spans(build_spells(referrals, PERIOD_END)) == [
        ("P1", "RXT", date(2024, 1, 1), date(2024, 1, 20), ("A", "B"), False),
        ("P1", "RXT", date(2024, 1, 26), date(2024, 3, 31), ("C",), True),
    ]


def test_overlapping_referrals_merge_and_the_spell_ends_at_the_last_end():
    # D 1 Feb - 1 Mar contains E 5 Feb - 10 Feb: one spell, 1 Feb - 1 Mar.
    referrals = [
        referral("D", date(2024, 2, 1), closure_date=date(2024, 3, 1)),
        referral("E", date(2024, 2, 5), rejection_date=date(2024, 2, 10)),
    ]
    assert spans(build_spells(referrals, PERIOD_END)) == [
        ("P1", "RXT", date(2024, 2, 1), date(2024, 3, 1), ("D", "E"), False)
    ]


def test_spells_are_per_person_and_provider():
    referrals = [
        referral("A", date(2024, 1, 1)),
        referral("B", date(2024, 1, 2), provider="RYY"),
        referral("C", date(2024, 1, 3), person_id="P2"),
    ]
    assert [
        (s.person_id, s.provider_code, s.referral_ids) for s in build_spells(referrals, PERIOD_END)
    ] == [
        ("P1", "RXT", ("A",)),
        ("P1", "RYY", ("B",)),
        ("P2", "RXT", ("C",)),
    ]


@pytest.mark.parametrize(
    ("discharged", "end", "is_open", "why"),
    [
        (date(2024, 3, 25), date(2024, 3, 25), False, "6 days before the period end: closed"),
        (
            date(2024, 3, 26),
            date(2024, 3, 26),
            True,
            "within 5 days of the period end: open (NHS rule)",
        ),
        (
            date(2024, 5, 1),
            date(2024, 3, 31),
            True,
            "discharged after the period end: capped, open",
        ),
    ],
)
def test_open_at_the_period_end(discharged, end, is_open, why):
    (spell,) = build_spells(
        [referral("A", date(2024, 1, 1), discharge_date=discharged)], PERIOD_END
    )
    assert (spell.end, spell.is_open) == (end, is_open), why


def test_the_end_prefers_discharge_then_rejection_then_closure():
    # Discharge 20 Mar is used although closure (1 Mar) is earlier.
    (spell,) = build_spells(
        [
            referral(
                "A",
                date(2024, 1, 1),
                closure_date=date(2024, 3, 1),
                discharge_date=date(2024, 3, 20),
            )
        ],
        PERIOD_END,
    )
    assert spell.end == date(2024, 3, 20)


def test_a_referral_after_the_period_end_is_a_usage_error():
    with pytest.raises(InvalidValueError, match="after the period end"):
        build_spells([referral("A", date(2024, 4, 1))], PERIOD_END)


def test_spells_starting_before_2016_are_dropped_whole():
    # A (Dec 2015, open) and B (Jan 2016) overlap: one spell starting 2015-12-20, dropped
    # with both referrals. C (another person, 2016) is kept.
    people = [child("P1"), child("P2")]
    built = four_week_spells(
        area(
            children=people,
            referrals=[
                referral("A", date(2015, 12, 20)),
                referral("B", date(2016, 1, 3)),
                referral("C", date(2016, 2, 1), person_id="P2"),
            ],
        ),
        PERIOD_END,
    )
    assert [s.referral_ids for s in built.dropped] == [("A", "B")]
    assert [s.referral_ids for s in built.spells] == [("C",)]
    off = four_week_spells(
        area(children=people, referrals=[referral("A", date(2015, 12, 20))]),
        PERIOD_END,
        cohort=attrs.evolve(FourWeekCohort.default(), disabled=frozenset({"spell_start"})),
    )
    assert [s.referral_ids for s in off.spells] == [("A",)]


def test_spell_type():
    (spell,) = build_spells([referral("A", date(2024, 1, 1))], PERIOD_END)
    assert isinstance(spell, Spell)
