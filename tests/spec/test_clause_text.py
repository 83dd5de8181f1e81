"""Spec tests of clauses as text (:mod:`cypmh.clauses.text`): what each form parses to.

Each case is a condition as an analyst writes it and the tree it means, written out by
hand from the grammar in the module's docstring; then the errors, each naming where
the text goes wrong.
"""

from __future__ import annotations

from datetime import date

import pytest

from cypmh.clauses import (
    AgeBetween,
    All,
    Any,
    ClauseError,
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
)
from cypmh.clauses.text import MAX_AGE, ClauseSyntaxError, parse, to_text
from cypmh.tables.schema import Kind

KINDS = {
    "team_type": Kind.TEXT,
    "source": Kind.TEXT,
    "received_date": Kind.DATE,
    "rejection_date": Kind.DATE,
    "birth_date": Kind.DATE,
    "score": Kind.NUMBER,
    "date": Kind.DATE,
}
team, received, rejected = Column("team_type"), Column("received_date"), Column("rejection_date")
born = Column("birth_date")


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("team_type = 'C10'", Compare("==", team, Lit("C10"))),
        ("team_type <> 'C10'", Compare("!=", team, Lit("C10"))),
        ("received_date >= 2025-01-01", Compare(">=", received, Lit(date(2025, 1, 1)))),
        ("received_date < date '2025-01-01'", Compare("<", received, Lit(date(2025, 1, 1)))),
        ("score > -1.5", Compare(">", Column("score"), Lit(-1.5))),
        ("score <= 7", Compare("<=", Column("score"), Lit(7))),
        ("rejection_date IS NULL", IsNull(rejected)),
        ("rejection_date is not null", Not(IsNull(rejected))),
        ("team_type in ('B02', 'A14')", In(team, ("B02", "A14"))),
        ("team_type not in ('B02')", Not(In(team, ("B02",)))),
        ("source = 'it''s'", Compare("==", Column("source"), Lit("it's"))),
        ("date <= period_end()", Compare("<=", Column("date"), PeriodEnd())),
        ("received_date >= period_start(12)", Compare(">=", received, PeriodStart(12))),
        ("within_months(received_date, 3)", Within(received, 3)),
        (
            "days_between(received_date, rejection_date) <= 28",
            Compare("<=", DaysBetween(received, rejected), Lit(28)),
        ),
        (
            "coalesce(rejection_date, received_date) = 2025-05-31",
            Compare("==", Coalesce([rejected, received]), Lit(date(2025, 5, 31))),
        ),
        # "and" binds tighter than "or"; "not" tighter than both; brackets group.
        (
            "team_type = 'A' or team_type = 'B' and source = 'C'",
            Any(
                [
                    Compare("==", team, Lit("A")),
                    All([Compare("==", team, Lit("B")), Compare("==", Column("source"), Lit("C"))]),
                ]
            ),
        ),
        (
            "not (team_type = 'A' or source = 'C') and true",
            All(
                [
                    Not(
                        Any(
                            [
                                Compare("==", team, Lit("A")),
                                Compare("==", Column("source"), Lit("C")),
                            ]
                        )
                    ),
                    All([]),
                ]
            ),
        ),
        # age_on reads the base's birth date: <= 17 is 0-17; between is both ends in.
        ("age_on(received_date) <= 17", AgeBetween(born, received, 0, 17)),
        ("age_on(received_date) < 18", AgeBetween(born, received, 0, 17)),
        ("age_on(received_date) >= 5", AgeBetween(born, received, 5, MAX_AGE)),
        ("age_on(received_date) > 4", AgeBetween(born, received, 5, MAX_AGE)),
        ("age_on(received_date) = 5", AgeBetween(born, received, 5, 5)),
        ("age_on(received_date) != 5", Not(AgeBetween(born, received, 5, 5))),
        ("age_on(received_date) between 5 and 17", AgeBetween(born, received, 5, 17)),
    ],
)
def test_each_form_parses_to_its_tree(text, tree):
    assert parse(text, KINDS, birth="birth_date") == tree


@pytest.mark.parametrize(
    ("text", "position", "rule"),
    [
        ("team_type = ", 13, "expected a value; found the end"),  # 12 characters, then the end
        ("team_type = 'C10' team_type", 19, "expected 'and', 'or' or the end"),
        ("team_type ~ 'C10'", 11, "unexpected '~'"),
        ("team_type in ('A', null)", 20, "null in a list is never matched"),
        ("received_date > 2025-02-30", 17, "2025-02-30 is not a date"),
        ("frobnicate(received_date) = 1", 1, "no function frobnicate of 1 values"),
        ("age_on(received_date) < 0", 23, "no age in whole years passes this test"),
        ("", 1, "empty: expected a condition"),
        ("(team_type = 'A'", 17, "expected ); found the end"),
    ],
)
def test_a_syntax_error_names_the_character_and_the_rule(text, position, rule):
    with pytest.raises(ClauseSyntaxError) as caught:
        parse(text, KINDS, birth="birth_date")
    assert caught.value.position == position
    assert rule in caught.value.rule


def test_age_on_needs_a_birth_date():
    with pytest.raises(ClauseSyntaxError, match="age_on needs a base with a birth date"):
        parse("age_on(received_date) <= 17", KINDS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("team = 'C10'", "team: no such column (the columns are team_type, source, "),
        ("received_dat IS NULL", "did you mean received_date"),
        ("received_date = 'C10'", "compares a date with text"),
        ("team_type in (1, 2)", "lists 1, which is not text"),
        ("within_months(team_type, 3)", "team type is not a date"),
    ],
)
def test_a_type_error_names_the_clause(text, message):
    with pytest.raises(ClauseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(text, KINDS, birth="birth_date")


def test_text_is_written_back_as_it_is_read():
    """``to_text`` of a parsed clause reads back to the same tree."""
    text = (
        "team_type not in ('B02', 'A14') and (rejection_date is null or "
        "days_between(received_date, rejection_date) > 28) and age_on(received_date) between 0 and 17"
    )
    tree = parse(text, KINDS, birth="birth_date")
    assert parse(to_text(tree, birth="birth_date"), KINDS, birth="birth_date") == tree
