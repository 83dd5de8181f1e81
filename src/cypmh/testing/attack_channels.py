"""Two more channels for the attacker: a mean's value and the data-quality table.

- **Means.** SDQ01 is a mean of whole-number scores (0 to 40). Printed at
  the precision shown, the mean rules out every n for which no whole-number
  total of scores gives it: a mean of 12.5 cannot rest on 5 or 7 scores, only
  on 6. The attacker narrows the mean's count by that, and the interval
  (worked out from the published n under ``safe``) adds nothing it can use.
- **The data-quality table.** A report prints how many rows each file had,
  used and rejected; an SSDA903 file's rows are children, often the same
  children a metric counts (``ssda903/oc2.csv``'s rows are SDQ02's eligible
  children). The attacker takes every count the table shows exactly and, for
  a hidden count of 1 to 4 whose range holds exactly one of them, claims it.
  That over-claims (a coincidence counts as a find), which is the safe side
  for a test that must find nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from cypmh.metrics.stats import round_half_away

__all__ = ["MEAN_SCORES", "mean_counts", "quality_claims", "quality_counts"]

MEAN_SCORES = {"SDQ01": (0, 40)}
"""The means of whole-number scores, with the scores' least and most."""

_LINE = re.compile(r"^\s*(\S+\.csv)\s+(\S+)\s+(\S+)\s+(\S+)\s*$")


def mean_counts(record: Mapping[str, Any], span: tuple[int, int]) -> tuple[int, int] | None:
    """The counts in ``span`` that a mean of whole-number scores, as printed, can rest on.

    ``None`` when the record is not such a mean, or shows no number.
    """
    scores = MEAN_SCORES.get(str(record["MEASURE_ID"]))
    text = str(record["MEASURE_VALUE"])
    if scores is None or text in ("", "*") or span[1] - span[0] > 200:
        return None
    value = float(text)
    digits = len(text.split(".")[1]) if "." in text else 0
    fits = []
    for n in range(max(1, span[0]), span[1] + 1):
        centre = value * n
        for total in range(math.floor(centre) - 1, math.ceil(centre) + 2):
            in_range = scores[0] * n <= total <= scores[1] * n
            if in_range and round_half_away(total / n, digits) == value:
                fits.append(n)
                break
    return (min(fits), max(fits)) if fits else None


def quality_counts(text: str) -> list[str]:
    """The counts (as printed) of a text report's data-quality table: read, used, rejected."""
    found = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            found += list(match.groups()[1:])
    return found


def quality_claims(
    printed: Iterable[str],
    domains: Mapping[Any, tuple[int, int]],
    starred: Iterable[Any],
    exact_of: Any,
) -> dict[Any, int]:
    """Claims on hidden counts from the data-quality table's exact counts.

    ``exact_of(text)`` gives the one count a printed text stands for, or
    ``None``. A hidden count whose range holds exactly one exact count of 1
    to 4 is claimed to be it.
    """
    exact = {n for n in (exact_of(t) for t in printed) if n is not None and 1 <= n <= 4}
    claims = {}
    for key in starred:
        low, high = domains[key]
        inside = [n for n in exact if low <= n <= high]
        if len(inside) == 1:
            claims[key] = inside[0]
    return claims
