"""One count, one fate (issue 32, section 1: twin metrics).

A percentage whose numerator (or denominator) is a count metric of the catalogue publishes
that count a second time: MRS09f's numerator is MRS09e, MRS09b's is MRS09a, MHS111c's is
MHS111b, and each one's denominator is MRS09 or MHS110. The trial found the two rows hiding
different levels, so that together they showed both. Under ``safe``, at every breakdown
level the percentage's numerator is ``*`` exactly when its count twin is, and likewise for
the denominator. The twins are read from the catalogue's own ``numerator`` and
``denominator`` fields, not from the disclosure code.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.metrics import BREAKDOWNS, CATALOGUE, compute
from cypmh.metrics.results import Unit
from cypmh.synth.area import DEMO_PERIOD, synthetic_area
from tests.budget import examples
from tests.generative.test_engines_agree import dense_cases

PAIRS = [
    (pct, field, CATALOGUE[pct].numerator if field == "numerator" else CATALOGUE[pct].denominator)
    for pct, d in CATALOGUE.items()
    if d.unit is Unit.PERCENTAGE
    for field in ("numerator", "denominator")
]
PAIRS = [(p, f, c) for p, f, c in PAIRS if c in CATALOGUE and CATALOGUE[c].unit is Unit.COUNT]


def check_twins(rows):
    by = {(r.metric_id, r.breakdown, r.level): r for r in rows}
    checked = 0
    for pct, field, twin in PAIRS:
        for (metric_id, b, lv), row in by.items():
            other = by.get((twin, b, lv))
            if metric_id != pct or other is None or row.value is None or other.value is None:
                continue
            count = row.numerator if field == "numerator" else row.denominator
            assert count == other.value, (pct, twin, b, lv)  # the same count
            shown = row.shown_numerator if field == "numerator" else row.shown_denominator
            assert (shown == "*") == (other.shown == "*"), (pct, field, twin, b, lv)
            checked += 1
    return checked


def test_the_catalogue_has_twins():
    assert ("MRS09f", "numerator", "MRS09e") in PAIRS
    assert ("MHS111c", "numerator", "MHS111b") in PAIRS
    assert ("MRS09b", "denominator", "MRS09") in PAIRS


@settings(max_examples=examples(10), deadline=None)
@given(seed=st.integers(0, 10_000), people=st.integers(40, 300))
def test_a_count_published_twice_has_one_fate(seed, people):
    area = synthetic_area(seed=seed, people=people)
    rows = compute(area, DEMO_PERIOD, breakdowns=list(BREAKDOWNS), disclosure="safe")
    assert check_twins(rows) > 0


@settings(max_examples=examples(20), deadline=None)
@given(case=dense_cases())
def test_a_count_published_twice_has_one_fate_in_dense_areas(case):
    area, month, _ = case
    check_twins(compute(area, month, breakdowns=list(BREAKDOWNS), disclosure="safe"))
