"""The catalogue's declarations are complete and each points at a worked example that exists."""

import ast
from pathlib import Path

import pytest

from cypmh.errors import InvalidValueError
from cypmh.metrics import BREAKDOWNS, CATALOGUE, compute, metric
from cypmh.metrics.families import FAMILIES, Context, MetricOptions
from cypmh.metrics.results import Aggregate
from cypmh.periods import Month
from cypmh.synth.examples import example_area

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "MHS95",
    "MHS130",
    "MHS131",
    "MHS132",
    "MHS133",
    "MHS134",
    "MHS135",
    "MRS08",
    "MRS08a",
    "MRS08b",
    "MRS09",
    "MRS09a",
    "MRS09c",
    "MRS09e",
    "ED86e",
    "ED87e",
    "REJ01",
    "REJ01a",
    "REJ01b",
    "REJ02",
    "DNA01",
    "MHS110",
    "MHS111",
    "MHS112",
    "MHS113a",
    "MHS114a",
    "MHS115a",
    "SDQ01",
    "SDQ02",
    "SDQ03a",
    "SDQ03b",
    "SDQ03c",
    "LAC01",
    "LAC01a",
    "LAC01b",
    "LINK01",
    "LINK02",
    "THR01",
}  # the table of issue 5


def test_every_metric_of_the_issue_is_declared():
    assert set(CATALOGUE) >= REQUIRED


@pytest.mark.parametrize("definition", list(CATALOGUE.values()), ids=lambda d: d.id)
def test_each_declaration_is_complete(definition):
    assert definition.name
    assert definition.definition
    assert definition.source
    assert definition.window
    assert definition.numerator
    assert set(definition.breakdowns) <= set(BREAKDOWNS)
    if definition.aggregate is Aggregate.EXPECTED:
        return  # NEED01 reads the population alone
    populations = FAMILIES[definition.family](
        Context(area=example_area(), month=Month.parse("2025-03"), options=MetricOptions())
    )
    assert {definition.population, *definition.also_reads} <= set(populations)


@pytest.mark.parametrize("definition", list(CATALOGUE.values()), ids=lambda d: d.id)
def test_each_worked_example_exists(definition):
    path, _, name = definition.example.partition("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert name in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_unknown_ids_breakdowns_and_policies_are_refused():
    with pytest.raises(InvalidValueError, match="is not a metric"):
        metric("MHS999")
    with pytest.raises(InvalidValueError, match="is not a breakdown"):
        compute(example_area(), "2025-03", breakdowns=["postcode"])
    with pytest.raises(InvalidValueError, match="must be one of"):
        compute(example_area(), "2025-03", disclosure="strict")


def test_any_period_type_reports_on_its_last_month():
    from cypmh.periods import FinancialYear, Quarter, RollingMonths

    march = compute(example_area(), "2025-03", disclosure="none")
    assert compute(example_area(), 1500, disclosure="none") == march  # UniqMonthID of March 2025
    assert compute(example_area(), FinancialYear(year=2024), disclosure="none") == march
    assert compute(example_area(), Quarter(year=2024, number=4), disclosure="none") == march
    assert (
        compute(
            example_area(), RollingMonths(last=Month.parse("2025-03"), months=12), disclosure="none"
        )
        == march
    )
    with pytest.raises(InvalidValueError, match="must be a Month"):
        compute(example_area(), 2025.3)


def test_breakdown_levels_come_in_their_natural_order():
    from cypmh.metrics.engine import level_order

    ages = ["6 to 10", "17", "0 to 5", "18 or over", "11 to 14", "Unknown", "15", "16"]
    assert sorted(ages, key=level_order("age_band")) == [
        "0 to 5",
        "6 to 10",
        "11 to 14",
        "15",
        "16",
        "17",
        "18 or over",
        "Unknown",
    ]
    statuses = ["none", "child_in_need", "looked_after", "child_protection_plan"]
    assert sorted(statuses, key=level_order("social_care")) == [
        "looked_after",
        "child_protection_plan",
        "child_in_need",
        "none",
    ]
    assert sorted(["RYY", "RXT"], key=level_order("provider")) == ["RXT", "RYY"]


def test_compute_returns_levels_in_that_order():
    rows = compute(
        example_area(), "2025-03", metrics=["REJ02"], breakdowns=["social_care"], disclosure="none"
    )
    # The example's statuses on the day each referral was received: looked after (R002), protection
    # plan (R003, R004), none (R001, R005); child in need has no referral, and is written empty.
    levels = [(r.level, r.denominator) for r in rows if r.breakdown == "social_care"]
    assert levels == [
        ("looked_after", 1),
        ("child_protection_plan", 2),
        ("child_in_need", 0),
        ("none", 2),
    ]
