"""Spec tests of :func:`cypmh.spc.xmr`, worked by hand from the SPC definition.

The definition is NHSRplotthedots 0.2.2 (``R/ptd_spc_standard.R`` for the
limits, ``R/ptd_calculate_point_type.R`` for the rules and labels,
``R/ptd_calculate_assurance_type.R``, ``R/ptd_add_short_group_warnings.R``)
with cypmh's choices for missing values and constant series. Each test says
how its numbers follow: mean of the values, average moving range (AMR),
limits at mean ± 2.66 x AMR, the 2-sigma lines at mean ± 1.7733 x AMR.

Many tests use a fixed baseline of twelve points alternating 10 and 12: mean
11, every moving range 2, so AMR = 2 (3.267 x 2 = 6.534 screens none). Then
the limits are 11 ± 5.32 (5.68 and 16.32) and the 2-sigma lines 11 ± 3.5467
(7.4533 and 14.5467). Alternating values never make a run or a trend.
"""

from datetime import date

import pytest

from cypmh.errors import InvalidValueError
from cypmh.spc import xmr

BASE = [10, 12] * 6
"""Twelve points: mean 11, AMR 2, limits 5.68 and 16.32, 2-sigma lines 7.4533 and 14.5467."""


def labels(chart):
    return [p.rule for p in chart.points]


def types(chart):
    return [p.point_type for p in chart.points]


def test_limits_of_a_plain_series():
    # 10, 12, 11, 14, 13: mean 60/5 = 12; ranges 2, 1, 3, 1, AMR 7/4 = 1.75 (3.267 x 1.75 =
    # 5.72 screens none); limits 12 ± 2.66 x 1.75 = 12 ± 4.655.
    chart = xmr([10, 12, 11, 14, 13])
    assert {p.mean for p in chart.points} == {12.0}
    assert chart.points[0].upper == pytest.approx(16.655)
    assert chart.points[0].lower == pytest.approx(7.345)
    assert labels(chart) == ["Common Cause"] * 5


def test_screening_on_and_off():
    # 10, 11, 10, 11, 10, 18: mean 70/6 = 11.667; ranges 1, 1, 1, 1, 8, AMR 12/5 = 2.4.
    # Screening on: 8 >= 3.267 x 2.4 = 7.84 is left out, AMR = 1, upper limit 11.667 + 2.66
    # = 14.327, so 18 is above it. Screening off (the MDC Excel tool): AMR 2.4, upper limit
    # 11.667 + 6.384 = 18.051, so 18 is inside (beyond the 2-sigma line 15.923, but alone).
    values = [10, 11, 10, 11, 10, 18]
    on = xmr(values)
    assert on.points[0].upper == pytest.approx(70 / 6 + 2.66)
    assert labels(on)[-1] == "Above UCL"
    off = xmr(values, screen_outliers=False)
    assert off.points[0].upper == pytest.approx(70 / 6 + 2.66 * 2.4)
    assert off.points[-1].close_to_limits
    assert labels(off) == ["Common Cause"] * 6


def test_outside_limits_comes_before_a_trend():
    # 1..7: mean 4, every range 1, limits 4 ± 2.66 (1.34 and 6.66). All seven rise: a trend.
    # 1 is below the lower limit and 7 above the upper, and that rule comes first; the other
    # five are the trend. Rising is better: the first point is concern, the rest improvement
    # (the case NHSRplotthedots tests as issue167_increasing_0_to_7).
    chart = xmr([1, 2, 3, 4, 5, 6, 7])
    assert labels(chart) == ["Below LCL"] + ["7 Point Trend (Increasing)"] * 5 + ["Above UCL"]
    assert types(chart) == ["special_cause_concern"] + ["special_cause_improvement"] * 6
    assert all(p.in_trend for p in chart.points)


def test_a_tie_breaks_a_trend():
    # 1, 2, 3, 3, 4, 5, 6: one difference is 0, so no window of 7 rises throughout.
    chart = xmr([1, 2, 3, 3, 4, 5, 6])
    assert not any(p.in_trend for p in chart.points)


def test_trend_direction_at_a_peak():
    # 0, 10 three times, then 1..7, then 6..0 (20 points, sum 30 + 28 + 21 = 79, mean 3.95).
    # Ranges: five of 10, one of 9 (10 to 1), twelve of 1: AMR 71/18 = 3.944, none screened
    # (3.267 x 3.944 = 12.9); limits 3.95 ± 10.49 and 2-sigma lines 3.95 ± 6.99: no point
    # is near them. Runs: at most five in a row on one side. Trends: 1..7 rises (positions 6
    # to 12) and 7..1 falls (12 to 18); 1 to 0 falls too, so 13 to 19 also falls.
    # Each trend point takes the direction of the step after it when the next point is in a
    # trend too: positions 6-11 rise, and the peak (12) takes the fall after it.
    values = [0, 10, 0, 10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0]
    chart = xmr(values)
    assert chart.points[0].mean == pytest.approx(79 / 20)
    assert labels(chart) == (
        ["Common Cause"] * 6
        + ["7 Point Trend (Increasing)"] * 6
        + ["7 Point Trend (Decreasing)"] * 8
    )
    assert types(chart)[6:] == ["special_cause_improvement"] * 6 + ["special_cause_concern"] * 8


def test_two_in_three_and_points_beyond_the_limits():
    # BASE fixes the limits (fix_after=12). Then 15, 12, 15, 11, 17, 15, 12, 11:
    # - 15, 12, 15: all above the mean 11, and both 15s beyond the 2-sigma line 14.5467:
    #   the two 15s are "2 in 3 Above CL"; 12 is not near the limits, so not flagged;
    # - 11 is on the mean, so no window of three holding it qualifies;
    # - 17 is beyond the upper limit 16.32; in 17, 15, 12 only 15 is between the 2-sigma
    #   line and the limit, and a point beyond the limit does not count: no two-in-three.
    # With the MDC 2023 rule the 17 counts, so 15 (position 17) is flagged too.
    values = [*BASE, 15, 12, 15, 11, 17, 15, 12, 11]
    chart = xmr(values, fix_after=12)
    assert labels(chart)[12:] == [
        "2 in 3 Above CL",
        "Common Cause",
        "2 in 3 Above CL",
        "Common Cause",
        "Above UCL",
        "Common Cause",
        "Common Cause",
        "Common Cause",
    ]
    mdc = xmr(values, fix_after=12, two_in_three_counts_beyond_limits=True)
    assert labels(mdc)[16:18] == ["Above UCL", "2 in 3 Above CL"]


def test_a_point_on_the_mean_breaks_a_run():
    # BASE, then 12 three times, 11 (on the mean 11), then 12 seven times. Position 11 (12)
    # and 12-14 are four above the mean, broken by the 11; positions 16-22 are seven above:
    # "7 Points Above CL". 12 is inside the 2-sigma lines and ties make no trend.
    values = BASE + [12, 12, 12, 11] + [12] * 7
    chart = xmr(values, fix_after=12)
    assert labels(chart)[:16] == ["Common Cause"] * 16
    assert labels(chart)[16:] == ["7 Points Above CL"] * 7
    # Without the point on the mean, the eleven points 11-22 above it are all one run.
    unbroken = xmr(BASE + [12] * 11, fix_after=12)
    assert labels(unbroken)[11:] == ["7 Points Above CL"] * 12


def test_run_and_trend_lengths_of_six():
    # BASE ends with a 12; then 12 five times: six points above the mean (positions 11-16),
    # a run only when the length is 6.
    assert labels(xmr(BASE + [12] * 5, fix_after=12)) == ["Common Cause"] * 17
    six = xmr(BASE + [12] * 5, fix_after=12, run_length=6)
    assert labels(six)[11:] == ["6 Points Above CL"] * 6
    # 1..6: mean 3.5, AMR 1, limits 0.84 and 6.16, so every point is inside; all six rise:
    # a trend when the length is 6, nothing when it is 7.
    assert labels(xmr([1, 2, 3, 4, 5, 6], trend_length=6)) == ["6 Point Trend (Increasing)"] * 6
    assert labels(xmr([1, 2, 3, 4, 5, 6])) == ["Common Cause"] * 6


def test_fixed_baseline():
    # With fix_after=12 the limits come from BASE alone; a jump to 14 afterwards moves
    # nothing (mean 11, limits 5.68 and 16.32). Without it, the mean of all 18 values is
    # (132 + 6 x 14) / 18 = 12.
    values = BASE + [14] * 6
    fixed = xmr(values, fix_after=12)
    assert {p.mean for p in fixed.points} == {11.0}
    assert all(p.upper == pytest.approx(16.32) for p in fixed.points)
    assert xmr(values).points[0].mean == pytest.approx(12.0)


def test_rebase_starts_a_new_group():
    # 1..7 rebased at its fourth point: groups 1, 2, 3 (mean 2, AMR 1, limits 2 ± 2.66) and
    # 4..7 (mean 5.5, AMR 1, limits 5.5 ± 2.66). Neither group has seven points, so no
    # trend; every point lies within its group's limits. Both groups are short: trial limits.
    dates = [f"2024-{m:02d}" for m in range(1, 8)]
    chart = xmr([1, 2, 3, 4, 5, 6, 7], dates=dates, rebase=["2024-04"])
    assert [p.group for p in chart.points] == [0, 0, 0, 1, 1, 1, 1]
    assert [p.mean for p in chart.points] == [2.0] * 3 + [5.5] * 4
    assert chart.points[3].upper == pytest.approx(8.16)
    assert labels(chart) == ["Common Cause"] * 7
    assert all(p.trial_limits for p in chart.points)
    assert len(chart.groups) == 2
    # A rebase date that is not one of the dates changes nothing, and says so.
    ignored = xmr([1, 2, 3, 4, 5, 6, 7], dates=dates, rebase=["2023-01"])
    assert {p.group for p in ignored.points} == {0}
    assert any("2023-01" in w for w in ignored.warnings)


def test_missing_values():
    # 10, 12, None, 11, 13: no moving range is formed across the gap, so the ranges are 2
    # (10 to 12) and 2 (11 to 13), AMR 2; the mean of the four values is 46/4 = 11.5.
    chart = xmr([10, 12, None, 11, 13])
    assert chart.points[0].mean == 11.5
    assert chart.points[0].upper == pytest.approx(11.5 + 5.32)
    gap = chart.points[2]
    assert gap.value is None
    assert gap.rule == "Common Cause"
    assert not gap.in_run
    # A gap neither starts nor breaks a rule: seven values above the mean with a gap among
    # them are still a run (BASE fixes the mean at 11).
    run = xmr([*BASE, 12, 12, 12, None, 12, 12, 12, 12], fix_after=12)
    assert (
        labels(run)[12:] == ["7 Points Above CL"] * 3 + ["Common Cause"] + ["7 Points Above CL"] * 4
    )


def test_constant_and_tiny_series_have_no_limits():
    # Every moving range is 0: no limits (NHSRplotthedots gives NaN; cypmh says why).
    chart = xmr([5, 5, 5, 5], improvement="increase", target=4)
    assert {(p.lower, p.upper) for p in chart.points} == {(None, None)}
    assert chart.groups[0].no_limits is not None
    assert "constant" in chart.groups[0].no_limits
    assert chart.assurance == "inconsistent"
    assert labels(chart) == ["Common Cause"] * 4
    one = xmr([5])
    assert one.points[0].upper is None
    assert one.groups[0].no_limits is not None


def test_short_groups_have_trial_limits():
    # NHSRplotthedots flags groups of fewer than 13 points (its code; its text says 12).
    assert all(p.trial_limits for p in xmr(BASE).points)
    assert not any(p.trial_limits for p in xmr([*BASE, 11]).points)
    assert any("trial limits" in w for w in xmr(BASE).warnings)


def test_assurance_on_a_limit():
    # BASE: limits exactly 5.68 and 16.32 (exact arithmetic). Assurance compares strictly:
    # a target on a limit is inconsistent; one above the upper limit is a consistent fail
    # when higher is better and a pass when lower is; one below the lower limit the reverse.
    assert xmr(BASE, target=16.32).assurance == "inconsistent"
    assert xmr(BASE, target=5.68, improvement="decrease").assurance == "inconsistent"
    assert xmr(BASE, target=16.33).assurance == "consistent_fail"
    assert xmr(BASE, target=16.33, improvement="decrease").assurance == "consistent_pass"
    assert xmr(BASE, target=5.67).assurance == "consistent_pass"
    assert xmr(BASE, target=5.67, improvement="decrease").assurance == "consistent_fail"
    assert xmr(BASE, target=11).assurance == "inconsistent"
    assert xmr(BASE).assurance is None


def test_assurance_uses_the_latest_group():
    # Rebased after BASE: the second group (12 points of 20 and 22, mean 21, AMR 2, limits
    # 15.68 and 26.32) decides; a target of 16 lies inside it, though above BASE's limits.
    values = BASE + [20, 22] * 6
    chart = xmr(values, rebase=[12], target=16)
    assert chart.assurance == "inconsistent"
    assert chart.groups[1].lower == pytest.approx(15.68)


def test_variation_icons():
    # The icon is the latest point's type, named as NHSRplotthedots' icon files are.
    high = [*BASE, 11, 20]  # 20 is above the upper limit (fix_after keeps BASE's limits)
    assert xmr(high, fix_after=12).variation == "improvement_high"
    assert xmr(high, fix_after=12, improvement="decrease").variation == "concern_high"
    assert xmr(high, fix_after=12, improvement="neutral").variation == "neutral_high"
    low = [*BASE, 11, 2]
    assert xmr(low, fix_after=12).variation == "concern_low"
    assert xmr(low, fix_after=12, improvement="decrease").variation == "improvement_low"
    assert xmr(low, fix_after=12, improvement="neutral").variation == "neutral_low"
    assert xmr([*BASE, 11]).variation == "common_cause"
    # A missing latest value is common cause.
    assert xmr([*high, None], fix_after=12).variation == "common_cause"


def test_dates_order_the_points():
    chart = xmr([3, 1, 2], dates=[date(2024, 3, 1), date(2024, 1, 1), date(2024, 2, 1)])
    assert [p.value for p in chart.points] == [1.0, 2.0, 3.0]
    assert chart.points[0].date == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"dates": ["2024-01", "2024-01"]}, "dates"),
        ({"dates": ["2024-01"]}, "dates"),
        ({"dates": ["January", "2024-02"]}, "dates"),
        ({"fix_after": 11}, "fix_after"),
        ({"improvement": "up"}, "improvement"),
        ({"improvement": "neutral", "target": 5}, "target"),
        ({"run_length": 8}, "run_length"),
        ({"rebase": ["2024-01"]}, "rebase"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, field):
    with pytest.raises(InvalidValueError) as caught:
        xmr([1, 2], **kwargs)
    assert caught.value.owner == "xmr"
    assert caught.value.field == field


def test_a_value_that_is_not_a_number():
    with pytest.raises(InvalidValueError, match=r"values\[1\]"):
        xmr([1, "many", 3])
