"""The frame reader's cell rules, as Polars expressions.

A check is the reference reader's failure for one row: a condition, and the
column, value and reason it reports. The first check a row fails is its problem.
"""

from __future__ import annotations

from typing import Any

import attrs

from cypmh.codes import (
    CodeSet,
)
from cypmh.io import reasons
from cypmh.io.cells import polars_module
from cypmh.io.rows import NUMBER

__all__ = [
    "FLOAT",
    "ODS",
    "SHORT",
    "SNOMED",
    "TIME_OF_DAY",
    "URN",
    "Check",
    "c",
    "code_checks",
    "code_in",
    "date_checks",
    "day_before",
    "iso",
    "lit",
    "not_before",
    "parsed_date",
    "pattern",
    "required_cell",
    "requires",
    "text",
]


ODS = (r"[A-Z0-9]{3,9}", "an ODS code is 3 to 9 capital letters or digits")


URN = (r"[0-9]{6}", "a school URN is 6 digits")


SHORT = (r"[A-Za-z0-9]{1,10}", "a code is 1 to 10 letters or digits")


SNOMED = (r"[1-9][0-9]{5,17}", "a SNOMED CT id is 6 to 18 digits with no leading zero")


TIME_OF_DAY = (
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
    "a time of day is HH:MM:SS, 00:00:00 to 23:59:59",
)


FLOAT = NUMBER.pattern


@attrs.frozen
class Check:
    """A failure a row may have: the condition, and the column, value and reason it reports."""

    fail: Any
    column: str
    value: Any
    reason: Any


def c(column: str) -> Any:
    """The column ``column`` (``polars.col``)."""
    return polars_module().col(column)


def lit(value: object) -> Any:
    """A literal (``polars.lit``)."""
    return polars_module().lit(value)


def iso(expr: Any) -> Any:
    """A date expression as ``YYYY-MM-DD`` text."""
    return expr.dt.to_string("%Y-%m-%d")


def text(column: str) -> Any:
    """``_Row.text``: the cell, or null if empty."""
    pl = polars_module()
    return pl.when(c(column) != "").then(c(column)).otherwise(pl.lit(None, pl.String))


def required_cell(column: str) -> Check:
    """``Row.required``: the cell must not be empty."""
    return Check(c(column) == "", column, lit(""), lit(reasons.REQUIRED))


def _day(column: str) -> Any:
    """The cell with a zero time taken off (:data:`cypmh.io.reasons.ZERO_TIME`)."""
    return c(column).str.replace(reasons.ZERO_TIME, "${1}")


def parsed_date(column: str, uk: bool) -> Any:
    """The cell as a date where :func:`cypmh.io.rows.parse_date` reads one, else null."""
    pl = polars_module()
    cell = _day(column)
    year_ok = ~cell.str.contains(r"^0000-|/0000$")
    iso = pl.when(cell.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & year_ok).then(
        cell.str.to_date("%Y-%m-%d", strict=False)
    )
    if not uk:
        return iso.alias(f"_d_{column}")
    return (
        pl.when(_iso_shape(cell))
        .then(iso)
        .when(cell.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$") & year_ok)
        .then(cell.str.to_date("%d/%m/%Y", strict=False))
        .alias(f"_d_{column}")
    )


def _iso_shape(cell: Any) -> Any:
    """``readers._date``'s test for trying the ISO format (the year is any four digits)."""
    return (
        (cell.str.len_chars() == 10)
        & (cell.str.slice(4, 1) == "-")
        & (cell.str.slice(7, 1) == "-")
        & cell.str.slice(0, 4).str.contains(r"^[0-9]{4}$")
    )


def date_checks(column: str, uk: bool, *, required: bool = True) -> list[Check]:
    """``Row.day`` (``required``) or ``Row.optional_date``: ISO, or with ``uk`` DD/MM/YYYY."""
    pl = polars_module()
    cell = _day(column)
    shaped = _iso_shape(cell)
    if uk:
        shaped = shaped | cell.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")
    wrong = " or DD/MM/YYYY)" if uk else ")"
    bad = Check(
        (c(column) != "") & c(f"_d_{column}").is_null(),
        column,
        c(column),
        pl.when(shaped)
        .then(pl.lit("not a date"))
        .when(c(column).str.contains(reasons.TIMED))
        .then(pl.lit(reasons.TIME_OF_DAY))
        .otherwise(pl.lit("not a date (YYYY-MM-DD" + wrong)),
    )
    return [required_cell(column), bad] if required else [bad]


def code_checks(column: str, enum_type: Any, *, required: bool = False) -> list[Check]:
    """``Row.code``: empty (unless ``required``) or a member of ``enum_type``."""
    cell = c(column)
    bad = Check(
        (cell != "") & ~cell.is_in([m.value for m in enum_type]),
        column,
        cell,
        lit(f"not a {enum_type.__name__} code"),
    )
    return [required_cell(column), bad] if required else [bad]


def pattern(column: str, rule: tuple[str, str], *, optional: bool = True) -> Check:
    """The model's format rule ``(pattern, reason)`` for the cell (empty passes if ``optional``)."""
    cell = c(column)
    fails = ~cell.str.contains(f"^(?:{rule[0]})$")
    return Check((cell != "") & fails if optional else fails, column, cell, lit(rule[1]))


def code_in(column: str, codes: CodeSet) -> Check:
    """The model's code-list rule: empty, or a code in ``codes``."""
    cell = c(column)
    return Check(
        (cell != "") & ~cell.is_in(list(codes)),
        column,
        cell,
        lit(f"not a code in the {codes.name} list"),
    )


def not_before(column: str, other: str, other_field: str) -> Check:
    """The model's order rule: the date is not before ``other``'s (field ``other_field``)."""
    pl = polars_module()
    earlier = c(f"_d_{other}")
    return Check(
        (c(f"_d_{column}") < earlier).fill_null(False),
        column,
        c(column),
        pl.format("must not be before {} ({})", pl.lit(other_field), iso(earlier)),
    )


def requires(column: str, other: str, other_field: str) -> Check:
    """The model's pairing rule: the cell may be filled only with a date in ``other``."""
    return Check(
        (c(column) != "") & c(f"_d_{other}").is_null(),
        column,
        c(column),
        lit(f"may be given only with {other_field}"),
    )


def day_before(day: str, bound: str, column: str, reason: str) -> Check:
    """The day in column ``day`` is before the one in ``bound``; ``reason`` has ``{}`` for it."""
    pl = polars_module()
    return Check(
        pl.col(day) < pl.col(bound),
        column,
        iso(pl.col(day)),
        pl.format(reason, iso(pl.col(bound))),
    )
