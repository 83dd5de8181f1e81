"""Generative tests of the clause language: random trees and records, every interpreter.

As ehrQL's ``tests/generative``: Hypothesis builds well-typed condition trees
(:func:`cypmh.testing.clauses.conditions`) and records with values from short lists,
and each property below must hold for all of them:

- the compiled narwhals expressions (interpreter 2) give the reference's value
  (interpreter 1): true, false or unknown, row by row, on every backend;
- ``why`` (interpreter 3) names a clause exactly when the reference keeps the record out,
  and the clause it names is one the record fails, reached through ``all`` only, after
  parts that hold;
- the words (interpreter 4) name every column the tree reads;
- a tree written as text (:func:`cypmh.clauses.text.to_text`) parses back to a clause
  with the same value on every record, and writes back the same text;
- the strategy reaches every node type (``find`` fails when it cannot).
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from cypmh.clauses import All, Column, Lit, check, first_failure, truth, walk, words
from cypmh.clauses import nodes as n
from cypmh.clauses.text import parse, to_text
from cypmh.tables.backends import available
from cypmh.testing.clauses import MONTHS, conditions, records
from tests.budget import examples
from tests.clause_frames import frame_truths, kinds_of

# Hypothesis warns that the repr of a deep recursive strategy is long.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

TABLES_TRIED = ("referrals", "assessments")
"""Referrals: text and four dates; assessments: text, a number and a date."""

EXAMPLES = {"polars": 200, "pandas": 100, "pyarrow": 100, "duckdb": 60, "sqlframe": 10}


@st.composite
def cases(draw, table):
    kinds = kinds_of(table)
    trees = draw(st.lists(conditions(kinds), min_size=1, max_size=6))
    rows = draw(st.lists(records(kinds), min_size=1, max_size=10))
    return trees, rows, draw(st.sampled_from(MONTHS)), draw(st.integers(0, 2**16))


@pytest.mark.parametrize("table", TABLES_TRIED)
@pytest.mark.parametrize("backend", list(EXAMPLES))
def test_compiled_clauses_agree_with_the_reference(backend, table):
    if not available(backend):
        pytest.skip(f"{backend} is not installed")

    @settings(
        max_examples=examples(EXAMPLES[backend]), suppress_health_check=[HealthCheck.too_slow]
    )
    @given(cases(table))
    def agree(case):
        trees, rows, month, seed = case
        for tree in trees:
            check(tree, kinds_of(table))
        got = frame_truths(backend, table, rows, trees, month, shuffle=seed)
        want = [[truth(tree, row, month) for row in rows] for tree in trees]
        assert got == want, [words(t) for t in trees]

    agree()


def _all_path(tree, target):
    """The (``all`` node, index) steps from ``tree`` down to ``target``, through ``all`` only."""
    if tree is target:
        return []
    if isinstance(tree, All):
        for i, part in enumerate(tree.clauses):
            path = _all_path(part, target)
            if path is not None:
                return [(tree, i), *path]
    return None


@settings(max_examples=examples(300))
@given(st.sampled_from(TABLES_TRIED).flatmap(cases))
def test_why_names_a_failing_clause_exactly_when_the_record_is_kept_out(case):
    trees, rows, month, _ = case
    for tree in trees:
        for row in rows:
            failure = first_failure(tree, row, month)
            passes = truth(tree, row, month) is True
            assert (failure is None) == passes
            if failure is None:
                continue
            found = truth(failure.clause, row, month)
            assert found is not True
            assert failure.unknown == (found is None)
            path = _all_path(tree, failure.clause)
            assert path is not None, "named a clause not reached through 'all'"
            for parent, index in path:
                assert all(truth(c, row, month) is True for c in parent.clauses[:index])


@settings(max_examples=examples(200))
@given(st.sampled_from(TABLES_TRIED).flatmap(lambda t: conditions(kinds_of(t))))
def test_the_words_name_every_column_read(tree):
    said = words(tree)
    for node in walk(tree):
        if isinstance(node, Column):
            assert node.name.replace("_", " ") in said


NODE_TYPES = [
    n.Column, n.Lit, n.Compare, n.IsNull, n.In, n.Not, n.All, n.Any, n.Within,
    n.AgeBetween, n.DaysBetween, n.Coalesce, n.PeriodStart, n.PeriodEnd,
]  # fmt: skip


def test_node_types_are_listed_in_full():
    defined = {obj for obj in vars(n).values() if isinstance(obj, type) and attrs.has(obj)}
    assert defined == set(NODE_TYPES)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.__name__)
def test_the_strategy_reaches_every_node_type(node_type):
    kinds = kinds_of("assessments")
    found = find(
        conditions(kinds),
        lambda tree: any(isinstance(x, node_type) for x in walk(tree)),
        settings=settings(max_examples=2000, database=None),
    )
    assert any(isinstance(x, node_type) for x in walk(found))


def test_the_strategy_reaches_a_missing_literal():
    found = find(
        conditions(kinds_of("referrals")),
        lambda tree: any(isinstance(x, Lit) and x.value is None for x in walk(tree)),
        settings=settings(max_examples=2000, database=None),
    )
    assert any(isinstance(x, Lit) and x.value is None for x in walk(found))


BIRTH = {"referrals": "received_date", "assessments": "date"}
"""The date column each table's trees read as the birth date, for ``age_on``."""


def _with_birth(node, birth):
    """``node`` with every ``AgeBetween`` reading ``birth`` as the birth date (as text writes it)."""
    changes = {}
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if attrs.has(type(value)):
            changes[field.name] = _with_birth(value, birth)
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            changes[field.name] = tuple(_with_birth(v, birth) for v in value)
    if isinstance(node, n.AgeBetween):
        changes["birth"] = Column(birth)
    return attrs.evolve(node, **changes)


@st.composite
def text_cases(draw):
    table = draw(st.sampled_from(TABLES_TRIED))
    kinds = kinds_of(table)
    tree = _with_birth(draw(conditions(kinds)), BIRTH[table])
    rows = draw(st.lists(records(kinds), min_size=1, max_size=8))
    return table, tree, rows, draw(st.sampled_from(MONTHS))


@settings(max_examples=examples(500))
@given(text_cases())
def test_text_reads_back_as_the_same_clause(case):
    """``parse(to_text(tree))`` gives every record the tree's value, and writes back the same."""
    table, tree, rows, month = case
    birth = BIRTH[table]
    written = to_text(tree, birth=birth)
    read = parse(written, kinds_of(table), birth=birth)
    assert to_text(read, birth=birth) == written
    for row in rows:
        assert truth(read, row, month) == truth(tree, row, month), written
