"""Groupings over time, with a hand-made area.

P1: referral 1 Jan 2024, open.      Groupings: Getting Help (suggested) from 10 Jan,
                                     Getting More Help (agreed) from 1 Mar.
P2: referral 1 Feb 2024, open.      Groupings: Getting Advice (agreed) from 1 Feb;
                                     on 1 Mar Getting Help suggested AND Thriving agreed.
P3: referral 1 Jan, discharged 15 Feb. Grouping: Getting Help (agreed) from 1 Jan.
P4: referral 1 Jan, open.           No grouping recorded.
"""

from datetime import date

import pytest

from cypmh import Area, Child, Referral
from cypmh.errors import InvalidValueError
from cypmh.thrive import (
    Grouping,
    GroupingRecord,
    GroupingSource,
    ServiceOffer,
    children_with_open_referral,
    distribution,
    flow_matrix,
    grouping_episodes,
    grouping_on,
    services_offering,
)

AGREED, SUGGESTED = GroupingSource.AGREED, GroupingSource.SUGGESTED
HELP, MORE, ADVICE, THRIVING = (
    Grouping.GETTING_HELP,
    Grouping.GETTING_MORE_HELP,
    Grouping.GETTING_ADVICE,
    Grouping.THRIVING,
)


def record(pid, grouping, day, source):
    return GroupingRecord(person_id=pid, grouping=grouping, from_date=day, source=source)


RECORDS = (
    record("P1", HELP, date(2024, 1, 10), SUGGESTED),
    record("P1", MORE, date(2024, 3, 1), AGREED),
    record("P2", ADVICE, date(2024, 2, 1), AGREED),
    record("P2", HELP, date(2024, 3, 1), SUGGESTED),
    record("P2", THRIVING, date(2024, 3, 1), AGREED),
    record("P3", HELP, date(2024, 1, 1), AGREED),
)
AREA = Area(
    children=tuple(
        Child(person_id=p, birth_date=date(2012, 1, 1)) for p in ("P1", "P2", "P3", "P4")
    ),
    referrals=(
        Referral(
            referral_id="R1", person_id="P1", provider_code="RXT", received_date=date(2024, 1, 1)
        ),
        Referral(
            referral_id="R2", person_id="P2", provider_code="RXT", received_date=date(2024, 2, 1)
        ),
        Referral(
            referral_id="R3",
            person_id="P3",
            provider_code="RXT",
            received_date=date(2024, 1, 1),
            discharge_date=date(2024, 2, 15),
        ),
        Referral(
            referral_id="R4", person_id="P4", provider_code="RXT", received_date=date(2024, 1, 1)
        ),
    ),
)


def test_episodes_end_the_day_before_the_next_and_agreed_wins_on_a_day():
    assert [(e.grouping, e.start, e.end, e.source) for e in grouping_episodes(RECORDS, "P2")] == [
        (ADVICE, date(2024, 2, 1), date(2024, 2, 29), AGREED),
        (THRIVING, date(2024, 3, 1), None, AGREED),  # the agreed Thriving beats the suggested Help
    ]


def test_repeated_records_make_one_episode():
    repeated = (
        record("P9", HELP, date(2024, 1, 1), AGREED),
        record("P9", HELP, date(2024, 2, 1), AGREED),
    )
    assert [(e.start, e.end) for e in grouping_episodes(repeated, "P9")] == [
        (date(2024, 1, 1), None)
    ]


def test_two_different_groupings_from_one_source_on_one_day_is_an_error():
    clash = (
        record("P9", HELP, date(2024, 1, 1), AGREED),
        record("P9", MORE, date(2024, 1, 1), AGREED),
    )
    with pytest.raises(InvalidValueError, match="two different agreed groupings"):
        grouping_episodes(clash, "P9")


def test_grouping_on_a_date():
    assert grouping_on(RECORDS, "P1", date(2024, 1, 9)) is None
    assert grouping_on(RECORDS, "P1", date(2024, 1, 10)) is HELP
    assert grouping_on(RECORDS, "P1", date(2024, 3, 1)) is MORE


def test_distribution_counts_children_with_an_open_referral():
    # 15 Feb: P1 Help, P2 Advice, P4 none; P3 was discharged that day, so not open.
    assert children_with_open_referral(AREA, date(2024, 2, 15)) == {"P1", "P2", "P4"}
    assert distribution(AREA, RECORDS, date(2024, 2, 15)) == {HELP: 1, ADVICE: 1, None: 1}
    # 14 Feb: P3 still open, in Getting Help.
    assert distribution(AREA, RECORDS, date(2024, 2, 14)) == {HELP: 2, ADVICE: 1, None: 1}


def test_a_referral_ends_on_its_first_end_date_whichever_it_is():
    """Rejected on 10 Jan and discharged on 20 Feb: ended from 10 Jan, as a journey's
    state is rejected from its rejection date. (The spells' COALESCE puts the discharge
    first and would keep it open to 20 Feb; an open referral is not a spell.)"""
    rejected = Referral(
        referral_id="R5",
        person_id="P5",
        provider_code="RXT",
        received_date=date(2024, 1, 1),
        rejection_date=date(2024, 1, 10),
        discharge_date=date(2024, 2, 20),
    )
    area = Area(
        children=(Child(person_id="P5", birth_date=date(2012, 1, 1)),), referrals=(rejected,)
    )
    assert children_with_open_referral(area, date(2024, 1, 9)) == {"P5"}
    assert children_with_open_referral(area, date(2024, 1, 10)) == frozenset()
    assert children_with_open_referral(area, date(2024, 2, 1)) == frozenset()


def test_flow_matrix_between_two_dates():
    # Present on 14 Feb and 1 Mar: P1 (Help -> More), P2 (Advice -> Thriving), P4 (none -> none).
    flow = flow_matrix(AREA, RECORDS, date(2024, 2, 14), date(2024, 3, 1))
    assert flow.children == {"P1", "P2", "P4"}
    assert flow.counts == {(HELP, MORE): 1, (ADVICE, THRIVING): 1, (None, None): 1}
    assert (flow.row_total(HELP), flow.column_total(MORE), flow.column_total(HELP)) == (1, 1, 0)
    with pytest.raises(InvalidValueError):
        flow_matrix(AREA, RECORDS, date(2024, 3, 1), date(2024, 2, 14))


def test_which_services_offer_which_groupings():
    offers = [
        ServiceOffer(provider_code="RXT", team_id="MHST", groupings=frozenset({ADVICE, HELP})),
        ServiceOffer(provider_code="RXT", team_id="CAMHS", groupings=frozenset({HELP, MORE})),
        ServiceOffer(
            provider_code="RXT",
            team_id="CRISIS",
            groupings=frozenset({Grouping.GETTING_RISK_SUPPORT}),
        ),
    ]
    assert services_offering(offers, HELP) == (("RXT", "CAMHS"), ("RXT", "MHST"))
    assert services_offering(offers, THRIVING) == ()
    with pytest.raises(InvalidValueError):
        ServiceOffer(provider_code="RXT", team_id="X", groupings=frozenset())
