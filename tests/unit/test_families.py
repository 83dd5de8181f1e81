"""Each family owns its facts: the catalogue only gathers them, and nothing else keys on a family.

Issue 33's rule for the house: a family module holds its declarations, what its
members are records of, what it reads and its ``why`` reasons, so that adding a
family is its module, its line in ``MODULES`` and its spec test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.families import MODULES
from cypmh.metrics.families.members import Context
from cypmh.metrics.need_catalogue import NEED_DEFINITIONS
from cypmh.metrics.options import MetricOptions
from cypmh.periods import Month
from cypmh.synth.examples import example_area

SRC = Path(__file__).resolve().parents[2] / "src" / "cypmh"
FAMILIES_PACKAGE = SRC / "metrics" / "families"

# The family names that mean nothing else in cypmh. "referrals", "thrive", "looked_after",
# "sdq" and "access" are also tables, breakdowns, codes or populations, so a literal of
# them elsewhere says nothing about where a family's facts live.
ONLY_FAMILIES = frozenset(MODULES) - {"referrals", "thrive", "looked_after", "sdq", "access"}


def test_the_catalogue_is_the_families_metrics_in_order_then_the_measures_of_need():
    gathered = [d.id for module in MODULES.values() for d in module.METRICS]
    assert list(CATALOGUE) == [*gathered, *(d.id for d in NEED_DEFINITIONS)]


@pytest.mark.parametrize("name", list(MODULES))
def test_a_family_module_declares_its_metrics_with_its_own_facts(name):
    module = MODULES[name]
    assert module.FAMILY.name == name
    for definition in module.METRICS:
        assert definition.family == name
        assert definition.records == module.FAMILY.record_kind(definition.population)
        assert definition.as_at_family == module.FAMILY.as_at
        assert definition.inputs, f"{definition.id} reads nothing"


@pytest.mark.parametrize("name", list(MODULES))
def test_every_declared_population_is_one_the_family_yields(name):
    """A declaration's population is a key of what ``reference`` returns (here, on the example area)."""
    module = MODULES[name]
    ctx = Context(area=example_area(), month=Month.parse("2025-03"), options=MetricOptions())
    yielded = set(module.reference(ctx))
    declared = {d.population for d in CATALOGUE.values() if d.family == name}
    declared |= {p for d in CATALOGUE.values() if d.family == name for p in d.also_reads}
    assert declared <= yielded


def _literal_strings(node: ast.AST) -> set[str]:
    """The string constants directly inside a collection literal or a comparison."""
    if isinstance(node, ast.Dict):
        parts = [k for k in node.keys if k is not None]
    elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        parts = list(node.elts)
    elif isinstance(node, ast.Compare):
        parts = [node.left, *node.comparators]
    else:
        return set()
    return {p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)}


def _places_that_key_on_a_family() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if FAMILIES_PACKAGE in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named = _literal_strings(node) & ONLY_FAMILIES
            if named:
                where = f"{path.relative_to(SRC)}:{node.lineno}"  # type: ignore[attr-defined]
                found.append(f"{where} {sorted(named)}")
    return found


def test_no_module_outside_the_families_keys_a_table_or_a_test_on_a_family():
    """No ``{"four_week_waits": ...}`` table and no ``family == "outcomes"`` test elsewhere.

    Before issue 33 this found eight places: the record kinds, the as-at notes, the
    why reasons and why's eating-disorder branch, the families' inputs, the resident
    families and the four-week note (checked against that commit's tree).
    """
    assert _places_that_key_on_a_family() == []


def test_the_scan_finds_a_table_keyed_on_a_family():
    """The scan above can fail: it finds the kind of table it forbids."""
    tree = ast.parse(
        'NOTES = {"four_week_waits": "x", "other": "y"}\nif family == "outcomes": pass'
    )
    named = [_literal_strings(node) & ONLY_FAMILIES for node in ast.walk(tree)]
    assert {"four_week_waits"} in named
    assert {"outcomes"} in named
