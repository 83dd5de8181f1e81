"""Disclosure control: a separate step after aggregation, with named policies.

Sources (domain reference, section 5.8):

- ``mhsds``: NHS England's MHSDS publication (NHSD ``menh_bbrb/notebooks/mhsds_functions.py``
  ``count_suppression``, ``mhsds_suppression``;
  ``menh_analysis/notebooks/02_Aggregate/95.Round_output.py``).
  Below England level a count under 5 is ``*`` and others are rounded to the
  nearest 5; a percentage, rate, median or mean is ``*`` when the count it rests
  on is under 5, otherwise rounded to a whole number. England-level figures
  are not rounded.
- ``hes``: HES/ECDS methodology (digital.nhs.uk): sub-national counts from 1 to 7 are
  ``*``, others rounded to the nearest 5; derived values resting on 1 to 7
  people are ``*``.
- ``dfe``: DfE children looked after statistics: national and regional counts
  rounded to the nearest 10, local-authority counts unrounded; percentages to
  whole numbers, means to one decimal place.
- ``none``: nothing changed (for analysts inside the data controller).

Every area cypmh reports on is sub-national unless ``national=True`` is
passed, in which case whole-area rows are treated as national figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.results import WHOLE_AREA, ResultRow, Unit
from cypmh.metrics.stats import round_half_away, round_to_base

__all__ = ["POLICIES", "apply_disclosure", "disclose_count", "format_number"]

SUPPRESSED = "*"


def format_number(value: float) -> str:
    """A value as published: whole numbers without a decimal point, others to at most 6 places.

    >>> format_number(12.0), format_number(33.3333333), format_number(2.5)
    ('12', '33.333333', '2.5')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{round_half_away(value, 6):.6f}".rstrip("0").rstrip(".")


Shown = tuple[str, bool]


def _shown(row: ResultRow, published: float | None) -> Shown:
    if row.value is None:
        return "", False
    if published is None:
        return SUPPRESSED, True
    return format_number(published), published != row.value


def _mhsds(row: ResultRow, national: bool) -> Shown:
    if row.value is None or (national and row.breakdown == WHOLE_AREA):
        return _shown(row, row.value)
    if row.unit is Unit.COUNT:
        count = int(row.value)
        return _shown(row, None if count < 5 else round_to_base(count, 5))
    if row.base is None or row.base < 5:
        return _shown(row, None)
    return _shown(row, round_half_away(row.value))


def _hes(row: ResultRow, national: bool) -> Shown:
    if row.value is None or (national and row.breakdown == WHOLE_AREA):
        return _shown(row, row.value)
    if row.unit is Unit.COUNT:
        count = int(row.value)
        return _shown(row, None if 1 <= count <= 7 else round_to_base(count, 5))
    if row.base is not None and 1 <= row.base <= 7:
        return _shown(row, None)
    return _shown(row, round_half_away(row.value))


def _dfe(row: ResultRow, national: bool) -> Shown:
    if row.value is None:
        return _shown(row, None)
    if row.unit is Unit.COUNT:
        whole_area_national = national and row.breakdown == WHOLE_AREA
        return _shown(row, round_to_base(int(row.value), 10) if whole_area_national else row.value)
    if row.unit is Unit.SCORE:
        return _shown(row, round_half_away(row.value, 1))
    return _shown(row, round_half_away(row.value))


def _none(row: ResultRow, national: bool) -> Shown:
    return _shown(row, row.value)


POLICIES: dict[str, Callable[[ResultRow, bool], Shown]] = {
    "mhsds": _mhsds,
    "hes": _hes,
    "dfe": _dfe,
    "none": _none,
}
"""The named disclosure policies."""


def apply_disclosure(
    rows: Iterable[ResultRow], policy: str, *, national: bool = False
) -> tuple[ResultRow, ...]:
    """Return the rows with ``shown`` and ``changed`` set by ``policy``.

    >>> row = ResultRow(metric_id="M", breakdown="Total", level="Total", unit=Unit.COUNT, value=3)
    >>> apply_disclosure([row], "mhsds")[0].shown, apply_disclosure([row], "none")[0].shown
    ('*', '3')
    """
    rule = POLICIES.get(policy)
    if rule is None:
        raise InvalidValueError(
            "apply_disclosure", "policy", policy, f"must be one of {', '.join(POLICIES)}"
        )
    result = []
    for row in rows:
        shown, changed = rule(row, national)
        result.append(attrs.evolve(row, shown=shown, changed=changed))
    return tuple(result)


def disclose_count(count: int | None, policy: str) -> str:
    """A count (a numerator or denominator) as ``policy`` lets it be published below England.

    >>> disclose_count(3, "mhsds"), disclose_count(12, "mhsds"), disclose_count(12, "none")
    ('*', '10', '12')
    """
    if count is None:
        return ""
    row = ResultRow(metric_id="", breakdown="", level="", unit=Unit.COUNT, value=float(count))
    return apply_disclosure([row], policy)[0].shown
