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
