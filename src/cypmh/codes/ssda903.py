"""The SSDA903 episode codes of each collection year (``ssda903_codes.csv``).

The DfE changes the SSDA903 code lists between collection years: 2024/25 adds
placement ``K3`` (supported accommodation), and 2025/26 drops ``H5``, ``P2``
and ``Z1`` and adds ``Z11`` to ``Z14``. The table holds each code of the five
episode fields cypmh reads (``RNE``, ``LS``, ``CIN``, ``PLACE``, ``REC``) with
the first and last collection year it is valid for, as the sector validator's
code rules (143, 144, 145, 146 and 149) list them year by year; its source is
in ``data/README.md``.

A collection year is named by the year of the 31 March it ends on: 2026 is
2025/26. An episode is checked against the codes of every collection year it
covers, so a return is never judged by another year's list. The validator's
rules start at 2022/23; a year before that is checked against 2022/23's list.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date

import attrs

from cypmh.codes._tables import optional_int, read_table

__all__ = [
    "EPISODE_CODE_FIELDS",
    "EpisodeCode",
    "code_fits",
    "collection_year",
    "earliest_year",
    "episode_codes",
    "field_rule",
    "year_name",
]

EPISODE_CODE_FIELDS = ("RNE", "LS", "CIN", "PLACE", "REC")
"""The episode fields whose codes the table lists, in ``episodes.csv``'s order."""


@attrs.frozen(kw_only=True)
class EpisodeCode:
    """One code of one episode field, and the collection years it is valid for."""

    field: str
    code: str
    first_year: int
    last_year: int | None
    """``None``: still valid in the latest rule set."""
    rule: str
    """The sector validator's rule that lists it."""


@functools.cache
def episode_codes() -> Mapping[tuple[str, str], EpisodeCode]:
    """Every listed code, keyed by (field, code).

    >>> episode_codes()["PLACE", "H5"].last_year, episode_codes()["PLACE", "Z12"].first_year
    (2025, 2026)
    """
    return {
        (row["field"], row["code"]): EpisodeCode(
            field=row["field"],
            code=row["code"],
            first_year=int(row["first_year"]),
            last_year=optional_int(row["last_year"]),
            rule=row["rule"],
        )
        for row in read_table("ssda903_codes")
    }


@functools.cache
def earliest_year() -> int:
    """The first collection year the table lists; earlier years are checked against its codes.

    >>> year_name(earliest_year())
    '2022/23'
    """
    return min(c.first_year for c in episode_codes().values())


def field_rule(field: str) -> str:
    """The sector validator's rule that lists ``field``'s codes.

    >>> field_rule("PLACE")
    '146'
    """
    return next(c.rule for c in episode_codes().values() if c.field == field)


def collection_year(day: date) -> int:
    """The collection year ``day`` falls in, named by the year of its 31 March.

    >>> collection_year(date(2025, 3, 31)), collection_year(date(2025, 4, 1))
    (2025, 2026)
    """
    return day.year + (1 if day.month >= 4 else 0)


def year_name(year: int) -> str:
    """A collection year as the DfE writes it.

    >>> year_name(2026)
    '2025/26'
    """
    return f"{year - 1}/{year % 100:02d}"


def code_fits(field: str, code: str, first: int, last: int) -> bool:
    """Whether ``code`` of ``field`` is valid in a collection year from ``first`` to ``last``.

    Years before :func:`earliest_year` are read as it.

    >>> code_fits("PLACE", "H5", 2025, 2025), code_fits("PLACE", "H5", 2026, 2026)
    (True, False)
    >>> code_fits("PLACE", "H5", 2024, 2026), code_fits("PLACE", "Z12", 2019, 2020)
    (True, False)
    """
    entry = episode_codes().get((field, code))
    if entry is None:
        return False
    first, last = max(first, earliest_year()), max(last, earliest_year())
    return entry.first_year <= last and (entry.last_year is None or first <= entry.last_year)
