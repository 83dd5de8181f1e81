"""Spec tests of the clause language: one node at a time, each case worked by hand.

Each test states a node's rule (its docstring is the rule, as :mod:`cypmh.clauses`
states it), a few records, and the value worked out by hand for each. Every case is
run by the reference (:func:`cypmh.clauses.truth`) and by the compiled expressions on
each backend installed (``engine``), which must give the same true, false or unknown.
Records are referrals (text codes and four dates) or assessments (a score and a date).
The reporting month is May 2025 unless a test says otherwise: its last day is
2025-05-31, and the 3 months ending then start on 2025-03-01.
"""

from __future__ import annotations

from datetime import date

import pytest

from cypmh.clauses import (
    AgeBetween,
    All,
    Any,
    Coalesce,
    Column,
    Compare,
    DaysBetween,
    In,
    IsNull,
    Lit,
    Not,
    PeriodEnd,
    PeriodStart,
    Within,
    truth,
    value,
)
from cypmh.periods import Month
from cypmh.tables.backends import available
from tests.clause_frames import frame_truths

MAY = Month(year=2025, month=5)
T, F, U = True, False, None  # true, false, unknown

ENGINES = ["objects", "polars", "pandas", "pyarrow", "duckdb", "sqlframe"]


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param != "objects" and not available(request.param):
        pytest.skip(f"{request.param} is not installed")
    return request.param


def run(engine, clause, records, table="referrals", month=MAY):
    """The clause's value on each record, by ``engine``."""
    if engine == "objects":
        return [truth(clause, r, month) for r in records]
    (values,) = frame_truths(engine, table, records, [clause], month)
    return values


received = Column("received_date")
closed = Column("closure_date")
team = Column("team_type")


def test_column_is_the_records_value_or_missing(engine):
    """A column is the record's value; missing where the record has none."""
    clause = Compare("==", team, Lit("C10"))
    records = [{"team_type": "C10"}, {"team_type": "A1"}, {"team_type": None}]
    assert run(engine, clause, records) == [T, F, U]
    assert value(team, {"team_type": "C10"}, MAY) == "C10"


def test_a_missing_literal_makes_a_comparison_unknown(engine):
    """A literal is its value; None is missing, so comparing with it is unknown on every row."""
    records = [{"team_type": "C10"}, {"team_type": None}]
    assert run(engine, Compare("==", team, Lit(None)), records) == [U, U]
    assert run(engine, Compare("!=", team, Lit("A1")), records) == [T, U]


@pytest.mark.parametrize(
    ("op", "expected"),
    # Against 2025-03-01: the day before, the day, the day after, missing.
    [("==", [F, T, F, U]), ("!=", [T, F, T, U]), ("<", [T, F, F, U]),
     ("<=", [T, T, F, U]), (">", [F, F, T, U]), (">=", [F, T, T, U])],
)  # fmt: skip
def test_comparisons_of_dates(engine, op, expected):
    """A comparison is unknown where either side is missing."""
    days = [date(2025, 2, 28), date(2025, 3, 1), date(2025, 3, 2), None]
    records = [{"received_date": d} for d in days]
    assert run(engine, Compare(op, received, Lit(date(2025, 3, 1))), records) == expected


def test_comparisons_of_numbers(engine):
    """Whole numbers and numbers compare: a score of 7.0 is at least 7, 2.0 is not."""
    records = [{"score": 7.0}, {"score": 2.0}, {"score": None}]
    clause = Compare(">=", Column("score"), Lit(7))
    assert run(engine, clause, records, table="assessments") == [T, F, U]


def test_is_null_is_never_unknown(engine):
    """``is null`` is true of a missing value and false of any other."""
    records = [{"rejection_date": None}, {"rejection_date": date(2025, 1, 1)}]
    assert run(engine, IsNull(Column("rejection_date")), records) == [T, F]


def test_in_a_list(engine):
    """``in`` is unknown of a missing value; an empty list holds nothing present."""
    records = [{"team_type": "B02"}, {"team_type": "C10"}, {"team_type": None}]
    assert run(engine, In(team, ("B02", "A14")), records) == [T, F, U]
    assert run(engine, In(team, ()), records) == [F, F, U]


def test_not(engine):
    """``not`` swaps true and false and keeps unknown."""
    records = [{"team_type": "B02"}, {"team_type": "C10"}, {"team_type": None}]
    assert run(engine, Not(In(team, ("B02", "A14"))), records) == [F, T, U]


# The three-valued table, by hand: team_type = C10 is T, F or U; closure_date missing is T or F.
THREE = [
    {"team_type": "C10", "closure_date": None},  # T, T
    {"team_type": "C10", "closure_date": date(2025, 1, 1)},  # T, F
    {"team_type": "A1", "closure_date": None},  # F, T
    {"team_type": None, "closure_date": None},  # U, T
    {"team_type": None, "closure_date": date(2025, 1, 1)},  # U, F
]


def test_all(engine):
    """``all`` is false if any part is false, else unknown if any is, else true; empty, true."""
    clause = All([Compare("==", team, Lit("C10")), IsNull(closed)])
    assert run(engine, clause, THREE) == [T, F, F, U, F]
    assert run(engine, All([]), THREE[:1]) == [T]


def test_any(engine):
    """``any`` is true if any part is true, else unknown if any is, else false; empty, false."""
    clause = Any([Compare("==", team, Lit("C10")), IsNull(closed)])
    assert run(engine, clause, THREE) == [T, T, T, T, U]
    assert run(engine, Any([]), THREE[:1]) == [F]


def test_within_the_window(engine):
    """The 3 months ending 2025-05-31 run from 2025-03-01 to 2025-05-31, both ends in."""
    days = [date(2025, 2, 28), date(2025, 3, 1), date(2025, 5, 31), date(2025, 6, 1), None]
    records = [{"received_date": d} for d in days]
    assert run(engine, Within(received, 3), records) == [F, T, T, F, U]
    # The reporting month alone: May 2025.
    assert run(engine, Within(received, 1), records) == [F, F, T, F, U]


def test_age_between_counts_birthdays_as_the_model_does(engine):
    """Aged 0 to 17: born 2008-02-29, the 18th birthday falls on 2026-03-01 (no 29 Feb in 2026).

    On 2026-02-28 that child is 17; on 2026-03-01, 18. A child born 2025-04-01 is not
    aged 0 on 2025-03-31, a day before the birth. Born on a missing day: unknown.
    """
    clause = AgeBetween(Column("rejection_date"), received, 0, 17)
    records = [
        {"rejection_date": date(2008, 2, 29), "received_date": date(2026, 2, 28)},
        {"rejection_date": date(2008, 2, 29), "received_date": date(2026, 3, 1)},
        {"rejection_date": date(2025, 4, 1), "received_date": date(2025, 3, 31)},
        {"rejection_date": None, "received_date": date(2025, 3, 31)},
    ]
    assert run(engine, clause, records) == [T, F, F, U]


def test_days_between(engine):
    """From 2025-01-01 to 2025-03-01 is 31 + 28 = 59 days; the other way, -59; missing, missing."""
    span = DaysBetween(received, closed)
    records = [
        {"received_date": date(2025, 1, 1), "closure_date": date(2025, 3, 1)},
        {"received_date": date(2025, 3, 1), "closure_date": date(2025, 1, 1)},
        {"received_date": date(2025, 3, 1), "closure_date": None},
    ]
    assert run(engine, Compare("==", span, Lit(59)), records) == [T, F, U]
    assert [value(span, r, MAY) for r in records] == [59, -59, None]


def test_coalesce_is_the_first_present_value(engine):
    """``coalesce`` is missing only where every value is: closure date, else discharge date."""
    first = Coalesce([closed, Column("discharge_date")])
    records = [
        {"closure_date": date(2025, 4, 1), "discharge_date": date(2025, 4, 9)},
        {"closure_date": None, "discharge_date": date(2025, 4, 9)},
        {"closure_date": None, "discharge_date": None},
    ]
    clause = Compare("==", first, Lit(date(2025, 4, 9)))
    assert run(engine, clause, records) == [F, T, U]


def test_the_periods_start_and_end(engine):
    """For May 2025: the 12 months start on 2024-06-01; the period ends on 2025-05-31."""
    assert value(PeriodStart(12), {}, MAY) == date(2024, 6, 1)
    assert value(PeriodEnd(), {}, MAY) == date(2025, 5, 31)
    records = [{"received_date": date(2024, 6, 1)}, {"received_date": date(2024, 5, 31)}]
    assert run(engine, Compare(">=", received, PeriodStart(12)), records) == [T, F]
    assert run(engine, Compare("<=", received, PeriodEnd()), records) == [T, T]
