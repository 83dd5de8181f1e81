"""A mean's interval under ``safe`` does not identify its n (issue 32, section 1: means).

Worked by hand. Seven SDQ scores 9, 10, ..., 15: mean 12, sample SD
sqrt(28 / 6) = 2.16025. The exact 95% interval is 12 +- 1.95996 x 2.16025 / sqrt(7)
= 12 +- 1.60034, that is 10.4 to 13.6: its width gives n = 7 back, although ``safe``
publishes the denominator as 5 (7 rounded to the nearest 5). Under ``safe`` the interval
takes n as published: 12 +- 1.95996 x 2.16025 / sqrt(5) = 12 +- 1.89355, that is 10.1 to
13.9 at one decimal place. ``none`` keeps the exact interval.
"""

import math

from cypmh.metrics import ResultRow
from cypmh.metrics.disclosure import apply_disclosure
from cypmh.metrics.results import Unit

HALF = 1.959964 * math.sqrt(28 / 6) / math.sqrt(7)


def _row():
    return ResultRow(
        metric_id="SDQ01",
        breakdown="Total",
        level="Total",
        unit=Unit.SCORE,
        value=12.0,
        denominator=7,
        base=7,
        lower_ci=12.0 - HALF,
        upper_ci=12.0 + HALF,
    )


def test_safe_takes_n_as_published():
    (row,) = apply_disclosure([_row()], "safe")
    assert (row.shown, row.shown_denominator) == ("12", "5")  # a whole value prints whole
    assert (row.shown_lower_ci, row.shown_upper_ci) == ("10.1", "13.9")


def test_none_keeps_the_exact_interval():
    (row,) = apply_disclosure([_row()], "none")
    assert round(float(row.shown_lower_ci), 4) == round(12.0 - HALF, 4)
    assert round(float(row.shown_upper_ci), 1) == 13.6


def test_the_attacker_reads_n_from_a_mean_of_whole_scores():
    # Worked by hand: SDQ01 printed as 12.5 over a denominator published as 5 (so 5 to 7
    # children). 5 scores: totals 62 and 63 give 12.4 and 12.6, never 12.5. 6 scores: 75 gives
    # 12.5. 7 scores: 87 and 88 give 12.43 and 12.57. So n is 6, and nothing else.
    from cypmh.testing.attack_channels import mean_counts

    record = {"MEASURE_ID": "SDQ01", "MEASURE_VALUE": "12.5"}
    assert mean_counts(record, (5, 7)) == (6, 6)
    # 12.0 fits every n (60, 72 and 84), so the mean says nothing.
    assert mean_counts({**record, "MEASURE_VALUE": "12.0"}, (5, 7)) == (5, 7)
    # Not a mean of whole scores (a median wait), or hidden: no reading.
    assert mean_counts({"MEASURE_ID": "MHS131", "MEASURE_VALUE": "12.5"}, (5, 7)) is None
    assert mean_counts({**record, "MEASURE_VALUE": "*"}, (5, 7)) is None
