"""Properties of :func:`cypmh.spc.xmr` that would catch whole classes of bug.

Values are whole numbers (and missing points), so that shifted and scaled
series are exact and the chart's exact arithmetic decides every comparison
the same way.
"""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cypmh.spc import COLOURS, POINT_TYPES, xmr
from tests.budget import examples


@st.composite
def shaped(draw):
    """Series with signals in them: small noise, a step change, a slope, missing points."""
    size = draw(st.integers(0, 40))
    noise = draw(st.lists(st.integers(-3, 3), min_size=size, max_size=size))
    step_at, step = draw(st.integers(0, 40)), draw(st.integers(-10, 10))
    slope = draw(st.sampled_from([0, 0, 1, -1]))
    gaps = draw(st.sets(st.integers(0, 39), max_size=3))
    return [
        None if i in gaps else n + (step if i >= step_at else 0) + slope * i
        for i, n in enumerate(noise)
    ]


values = st.one_of(shaped(), st.lists(st.one_of(st.integers(-50, 50), st.none()), max_size=40))
long_series = st.lists(st.integers(-50, 50), min_size=20, max_size=40)
directions = st.sampled_from(["increase", "decrease", "neutral"])
options = st.fixed_dictionaries(
    {
        "screen_outliers": st.booleans(),
        "run_length": st.sampled_from([6, 7]),
        "trend_length": st.sampled_from([6, 7]),
        "two_in_three_counts_beyond_limits": st.booleans(),
    }
)

SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
}


def flags(chart):
    return [
        (p.rule, p.point_type, p.outside_limits, p.in_trend, p.in_two_of_three, p.in_run)
        for p in chart.points
    ]


def close(a, b):
    return (a is None and b is None) or (
        a is not None and b is not None and abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    )


@given(values, st.integers(-1000, 1000), directions, options)
@settings(max_examples=examples(300), deadline=None)
def test_adding_a_constant_shifts_the_chart(series, constant, improvement, opts):
    chart = xmr(series, improvement=improvement, **opts)
    shifted = xmr(
        [None if v is None else v + constant for v in series], improvement=improvement, **opts
    )
    assert flags(shifted) == flags(chart)
    for p, q in zip(chart.points, shifted.points, strict=True):
        for field in ("mean", "lower", "upper"):
            a, b = getattr(p, field), getattr(q, field)
            assert close(None if a is None else a + constant, b)


@given(values, st.sampled_from([0.25, 0.5, 2, 3, 7, 10]), directions, options)
@settings(max_examples=examples(300), deadline=None)
def test_scaling_by_a_positive_factor_scales_the_chart(series, factor, improvement, opts):
    chart = xmr(series, improvement=improvement, **opts)
    scaled = xmr(
        [None if v is None else v * factor for v in series], improvement=improvement, **opts
    )
    assert flags(scaled) == flags(chart)
    for p, q in zip(chart.points, scaled.points, strict=True):
        for field in ("mean", "lower", "upper"):
            a, b = getattr(p, field), getattr(q, field)
            assert close(None if a is None else a * factor, b)


@given(values, options)
@settings(max_examples=examples(300), deadline=None)
def test_reversing_the_direction_swaps_improvement_and_concern(series, opts):
    up = xmr(series, improvement="increase", **opts)
    down = xmr(series, improvement="decrease", **opts)
    assert [p.rule for p in up.points] == [p.rule for p in down.points]
    assert [SWAP.get(p.point_type, p.point_type) for p in up.points] == [
        p.point_type for p in down.points
    ]


@given(values, options)
@settings(max_examples=examples(300), deadline=None)
def test_reversing_time_keeps_runs_trends_and_outside_points(series, opts):
    forward = xmr(series, **opts)
    backward = xmr(series[::-1], **opts)
    assert [(p.outside_limits, p.in_run, p.in_trend) for p in forward.points] == [
        (p.outside_limits, p.in_run, p.in_trend) for p in backward.points[::-1]
    ]


@given(values, values, directions, options)
@settings(max_examples=examples(300), deadline=None)
def test_no_rule_crosses_a_rebase(first, second, improvement, opts):
    # A rebased series is its two groups charted apart, point for point.
    if not first or not second:
        return
    joined = xmr(first + second, rebase=[len(first)], improvement=improvement, **opts)
    apart = [
        *xmr(first, improvement=improvement, **opts).points,
        *xmr(second, improvement=improvement, **opts).points,
    ]
    assert [
        (p.rule, p.point_type, p.mean, p.lower, p.upper, p.trial_limits) for p in joined.points
    ] == [(p.rule, p.point_type, p.mean, p.lower, p.upper, p.trial_limits) for p in apart]
    assert [p.group for p in joined.points] == [0] * len(first) + [1] * len(second)


@given(values, directions, options)
@settings(max_examples=examples(300), deadline=None)
# Found by the dev profile: [1, 0, 0, 0, 0] has moving ranges 1, 0, 0, 0; screening leaves out
# the 1 (at least 3.267 x 0.25), the mean of the rest is 0, and the limits meet at the mean 0.2,
# as NHSRplotthedots computes them (R/ptd_spc_standard.R: the screened average moving range is 0).
@example(
    series=[1, 0, 0, 0, 0],
    improvement="increase",
    opts={
        "screen_outliers": True,
        "run_length": 6,
        "trend_length": 6,
        "two_in_three_counts_beyond_limits": False,
    },
)
def test_every_point_is_well_formed(series, improvement, opts):
    chart = xmr(series, improvement=improvement, **opts)
    assert len(chart.points) == len(series)
    for p in chart.points:
        assert p.point_type in POINT_TYPES
        assert p.colour == COLOURS[p.point_type]
        if p.lower is not None:
            # Limits either straddle the mean or, when every moving range left after
            # screening is 0, meet at it.
            assert p.lower < p.mean < p.upper or p.lower == p.mean == p.upper
        if p.value is None:
            assert p.rule == "Common Cause"
            assert not (p.in_run)
            assert not (p.in_trend)
        if p.outside_limits:
            assert p.rule in ("Above UCL", "Below LCL")
        if improvement == "neutral":
            assert "improvement" not in p.point_type
            assert "concern" not in p.point_type
        else:
            assert "neutral" not in p.point_type
    assert (chart.variation == "common_cause") == (
        not chart.points or chart.points[-1].point_type == "common_cause"
    )


@given(long_series, st.integers(12, 20))
@settings(max_examples=examples(200), deadline=None)
def test_a_fixed_baseline_ignores_later_points(series, fix):
    # The limits come from the first `fix` points (the series has at least 20): appending
    # anything leaves them alone.
    base = xmr(series, fix_after=fix)
    longer = xmr([*series, 1000, -1000], fix_after=fix)
    assert [(p.mean, p.lower, p.upper) for p in base.points] == [
        (p.mean, p.lower, p.upper) for p in longer.points[: len(series)]
    ]
