"""Age on a date and social-care status on a date behave as defined.

Each is compared with an oracle written straight from the definition, in a
different way from the implementation.
"""

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cypmh.codes import SocialCareStatus, SocialWorkType
from cypmh.model import social_care_status_on
from cypmh.testing import strategies as cst


def birthday_in(year: int, birth: date) -> date:
    """The child's birthday in ``year``; 29 February falls on 1 March in other years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_by_counting_birthdays(birth: date, on: date) -> int:
    """Definition: the number of birthdays reached on or before ``on``."""
    return sum(1 for year in range(birth.year + 1, on.year + 1) if birthday_in(year, birth) <= on)


@given(child=cst.children(), later=st.integers(0, 40 * 366))
def test_age_is_the_number_of_birthdays_reached(child, later):
    on = child.birth_date + timedelta(days=later)
    assert child.age_on(on) == age_by_counting_birthdays(child.birth_date, on)


@given(child=cst.children(), later=st.integers(0, 40 * 366))
def test_age_never_falls_and_rises_by_at_most_one_a_day(child, later):
    on = child.birth_date + timedelta(days=later)
    step = child.age_on(on + timedelta(days=1)) - child.age_on(on)
    assert step in (0, 1)


@given(child=cst.children(), years=st.integers(0, 30))
def test_age_on_a_birthday(child, years):
    assert child.age_on(child.birth_date) == 0
    birthday = birthday_in(child.birth_date.year + years, child.birth_date)
    assert child.age_on(birthday) == years


STATUS_ORDER = [
    SocialCareStatus.LOOKED_AFTER,
    SocialCareStatus.CHILD_PROTECTION_PLAN,
    SocialCareStatus.CHILD_IN_NEED,
    SocialCareStatus.NONE,
]


def status_oracle(on, episodes, involvements):
    """Definition: every status that applies on the date, then the first in the order of precedence."""
    applying = {SocialCareStatus.NONE}
    for e in episodes:
        if e.start <= on and (e.end is None or on <= e.end):
            applying.add(SocialCareStatus.LOOKED_AFTER)
    for i in involvements:
        if i.start <= on and (i.end is None or on <= i.end):
            applying.add(
                SocialCareStatus.CHILD_PROTECTION_PLAN
                if i.kind is SocialWorkType.CHILD_PROTECTION_PLAN
                else SocialCareStatus.CHILD_IN_NEED
            )
    return min(applying, key=STATUS_ORDER.index)


near = date(2015, 1, 1)
records = st.tuples(
    st.lists(cst.care_episodes("P", after=near), max_size=3),
    st.lists(cst.social_work_involvements("P", after=near), max_size=3),
)


@given(records=records, on=st.dates(near, date(2028, 12, 31)))
def test_status_follows_the_order_of_precedence(records, on):
    episodes, involvements = records
    assert social_care_status_on(on, episodes, involvements) is status_oracle(
        on, episodes, involvements
    )


@given(records=records, on=st.dates(near, date(2028, 12, 31)), seed=st.integers())
def test_status_does_not_depend_on_the_order_of_records(records, on, seed):
    episodes, involvements = records
    shuffled_e, shuffled_i = list(episodes), list(involvements)
    random.Random(seed).shuffle(shuffled_e)
    random.Random(seed).shuffle(shuffled_i)
    assert social_care_status_on(on, episodes, involvements) is social_care_status_on(
        on, shuffled_e, shuffled_i
    )


@given(records=records, on=st.dates(near, date(2028, 12, 31)))
def test_looked_after_wins_whatever_else_applies(records, on):
    episodes, involvements = records
    if any(e.covers(on) for e in episodes):
        assert social_care_status_on(on, episodes, involvements) is SocialCareStatus.LOOKED_AFTER
    else:
        assert social_care_status_on(on, episodes, involvements) is social_care_status_on(
            on, [], involvements
        )
