"""Expressions shared by the frame families: dates as whole numbers, code lists, ages.

Every date column is turned, once, into two whole numbers: its *day number*
(days since 1970-01-01, for differences and comparisons) and its ``YYYYMMDD``
number (``<column>_ymd``, for ages and months). Whole-number arithmetic is the
same on every backend, where date arithmetic is not (pandas compares
``datetime64`` columns with dates differently from Polars, and SQL engines
return intervals of different types).
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import narwhals as nw

from cypmh.codes import CodeEntry, CodeSet

__all__ = [
    "EPOCH",
    "age_years",
    "aged",
    "any_of",
    "cyp_at",
    "day_number",
    "days_from_civil",
    "in_list",
    "in_range",
    "iso_date",
    "month_id",
    "never",
    "valid_code",
    "with_added_months",
    "ymd_number",
]

Expr = nw.Expr
Frame = nw.LazyFrame[Any]


EPOCH = date(1970, 1, 1)
"""Day number 0."""


def day_number(day: date) -> int:
    """The day number of ``day``: days since 1970-01-01 (:data:`EPOCH`)."""
    return (day - EPOCH).days


def ymd_number(day: date) -> int:
    """``day`` as the whole number ``YYYYMMDD``."""
    return day.year * 10000 + day.month * 100 + day.day


def days_from_civil(year: Expr, month: Expr, day: Expr) -> Expr:
    """The day number of a (year, month, day) in whole-number arithmetic.

    The proleptic Gregorian calendar counted in 400-year eras, with the
    year starting in March so that a leap day falls at its end.
    """
    shifted = year - (month <= 2).cast(nw.Int64)
    era = shifted // 400
    year_of_era = shifted - era * 400
    month_from_march = (month + 9) % 12
    day_of_year = (153 * month_from_march + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def month_id(ymd: Expr) -> Expr:
    """The MHSDS ``UniqMonthID`` of a ``YYYYMMDD`` number (as ``periods.uniq_month_id``)."""
    return (ymd // 10000 - 1900) * 12 + (ymd // 100) % 100 - 3


def age_years(birth_ymd: Expr, on_ymd: Expr) -> Expr:
    """Age in whole years on a day, as :meth:`cypmh.model.Child.age_on`.

    ``(on - birth) // 10000`` on ``YYYYMMDD`` numbers counts the birthdays
    reached; a 29 February birthday is reached on 1 March in other years,
    as the model has it.
    """
    return (on_ymd - birth_ymd) // 10000


def aged(birth_ymd: Expr, on_ymd: Expr, low: int, high: int) -> Expr:
    """Aged ``low`` to ``high`` whole years on a day (:func:`age_years`); missing is not.

    Written without a division: the age is between ``low`` and ``high``
    exactly when ``on - birth`` is between ``low * 10000`` and
    ``high * 10000 + 9999``. (Whole-number division becomes a long
    expression on SQL backends, where it must round down for negatives.)
    """
    return in_range(on_ymd - birth_ymd, low * 10000, high * 10000 + 9999)


def cyp_at(birth_ymd: Expr, on_ymd: Expr) -> Expr:
    """Born by the day and aged 0-17 on it."""
    return ((on_ymd >= birth_ymd) & aged(birth_ymd, on_ymd, 0, 17)).fill_null(False)


def in_range(column: Expr, low: int | float | Expr, high: int | float | Expr) -> Expr:
    """``low <= column <= high``; a missing value is not in range."""
    return ((column >= low) & (column <= high)).fill_null(False)


def in_list(column: Expr, values: Iterable[str]) -> Expr:
    """Whether a code column is one of ``values``; a missing code is not."""
    chosen = sorted(set(values))
    if not chosen:
        return never(column)
    return column.is_in(chosen).fill_null(False)


def never(column: Expr) -> Expr:
    """False on every row of ``column``'s frame.

    A column, not a bare literal: pandas and other eager backends refuse to
    filter on a literal, which they take for an aggregate.
    """
    return column.is_null() & ~column.is_null()


def any_of(terms: Iterable[Expr]) -> Expr:
    """The logical or of ``terms`` (false when there are none)."""
    return functools.reduce(operator.or_, terms, nw.lit(False))


def valid_code(
    codes: CodeSet,
    code: Expr,
    month: Expr,
    keep: Callable[[CodeEntry], bool] = lambda entry: True,
) -> Expr:
    """Whether ``code`` is a version of ``codes`` valid in ``month`` that ``keep`` accepts.

    The expression is generated from the code set's entries, grouped by
    their validity bounds, so no code is written out here.
    """
    by_bounds: defaultdict[tuple[int | None, int | None], list[str]] = defaultdict(list)
    for entry in codes.entries:
        if keep(entry):
            by_bounds[(entry.valid_from, entry.valid_to)].append(entry.code)
    terms = []
    for (low, high), members in sorted(by_bounds.items(), key=repr):
        term = in_list(code, members)
        if low is not None:
            term = term & (month >= low)
        if high is not None:
            term = term & (month <= high)
        terms.append(term)
    return any_of(terms).fill_null(False)


def _month_length(y: Expr, m: Expr) -> Expr:
    """The number of days in month ``m`` of year ``y`` (Gregorian leap years)."""
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return (
        nw.when(m == 2)
        .then(nw.when(leap).then(nw.lit(29)).otherwise(nw.lit(28)))
        .when(m.is_in([4, 6, 9, 11]))
        .then(nw.lit(30))
        .otherwise(nw.lit(31))
    )


def month_end_ymd(ymd: Expr) -> Expr:
    """The last day of the month of a ``YYYYMMDD`` number, as ``YYYYMMDD``."""
    return (ymd // 100) * 100 + _month_length(ymd // 10000, (ymd // 100) % 100)


def with_added_months(frame: Any, ymd: str, months: int, name: str) -> Any:
    """``frame`` with column ``name``: the day number of ``ymd`` moved by whole calendar months.

    As :func:`cypmh.pathways.looked_after.add_months`: the day is clipped to
    the end of a shorter month (31 October plus 4 months is 28 February, or
    29 in a leap year). Made in steps, each a column, so that SQL backends
    get short expressions rather than one that repeats its parts.
    """
    year, month, day = f"{name}_y", f"{name}_m", f"{name}_d"
    source = nw.col(ymd)
    index = (source // 10000) * 12 + (source // 100) % 100 - 1 + months
    frame = frame.with_columns((index // 12).alias(year), (index % 12 + 1).alias(month))
    y, m = nw.col(year), nw.col(month)
    frame = frame.with_columns(nw.min_horizontal(source % 100, _month_length(y, m)).alias(day))
    frame = frame.with_columns(days_from_civil(y, m, nw.col(day)).alias(name))
    return frame.drop(year, month, day)


def iso_date(ymd: Expr) -> Expr:
    """A ``YYYYMMDD`` number as ``YYYY-MM-DD`` text (as :meth:`datetime.date.isoformat`)."""
    text = ymd.cast(nw.Int64).cast(nw.String)
    return nw.concat_str(
        [text.str.slice(0, 4), nw.lit("-"), text.str.slice(4, 2), nw.lit("-"), text.str.slice(6, 2)]
    )
