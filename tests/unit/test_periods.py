"""UniqMonthID and months."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypmh.errors import InvalidValueError
from cypmh.periods import Month, uniq_month_id


@pytest.mark.parametrize(
    ("day", "expected"),
    # The checks listed in the reference-data README, and the docstring example of
    # get_month_ids in NHS England's code (2021-09-01 gives 1458).
    [
        (date(2016, 1, 1), 1390),
        (date(2019, 4, 30), 1429),
        (date(2021, 10, 1), 1459),
        (date(2024, 4, 15), 1489),
        (date(2025, 4, 1), 1501),
        (date(2021, 9, 1), 1458),
        (date(1900, 4, 1), 1),
    ],
)
def test_uniq_month_id_checks(day, expected):
    assert uniq_month_id(day) == expected


months = st.builds(Month, year=st.integers(1901, 9998), month=st.integers(1, 12))


@given(months)
def test_month_id_round_trip(month):
    assert Month.from_uniq_month_id(month.uniq_month_id) == month


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31)))
def test_a_day_lies_in_its_month(day):
    month = Month.of(day)
    assert month.first_day <= day <= month.last_day
    assert month.uniq_month_id == uniq_month_id(day)


@given(months)
def test_months_are_consecutive(month):
    following = Month.of(month.last_day + timedelta(days=1))
    assert following.uniq_month_id == month.uniq_month_id + 1
    assert following.first_day == month.last_day + timedelta(days=1)
    assert month < following


def test_parse_and_print():
    assert Month.parse("2024-02") == Month(year=2024, month=2)
    assert str(Month(year=2024, month=2)) == "2024-02"
    assert Month.parse("2024-02").last_day == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-1", "202402", "2024-02-01", "Feb 2024", "2024-00"]
)
def test_parse_refuses_anything_else(text):
    with pytest.raises(InvalidValueError) as caught:
        Month.parse(text)
    assert text in str(caught.value)
