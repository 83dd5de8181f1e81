"""The Index of Multiple Deprivation as NHS England's breakdowns read it.

Two package tables, each with its source in ``data/README.md``:

- ``imd_levels.csv``: each decile's level of the publication's three IMD
  breakdowns (decile, quintile and Core20, the most deprived fifth of
  neighbourhoods), and ``UNKNOWN``;
- ``deprivation_releases.csv``: the releases of the English Indices of
  Deprivation cypmh reads, the LSOA vintage each is published on, and the
  months for which NHS England's code reads each.

The file an area downloads is read by :mod:`cypmh.need.deprivation`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date

import attrs

from cypmh.codes._tables import optional_int, read_table

__all__ = [
    "IMD_BREAKDOWNS",
    "UNKNOWN_IMD",
    "DeprivationRelease",
    "deprivation_releases",
    "imd_level",
    "imd_levels",
    "nhs_england_release",
]

UNKNOWN_IMD = "UNKNOWN"
"""The level of a person whose LSOA is missing or not in the deprivation file."""

IMD_BREAKDOWNS: Mapping[str, str] = {
    "imd_decile": "imd_decile",
    "imd_quintile": "imd_quintile",
    "imd_core20": "imd_core20",
}
"""Each IMD breakdown and the column of ``imd_levels.csv`` that names its levels."""


@attrs.frozen(kw_only=True)
class DeprivationRelease:
    """One release of the English Indices of Deprivation (``deprivation_releases.csv``)."""

    name: str
    lsoa_vintage: int
    lsoa_column: str
    """The MHS001MPI column holding a person's LSOA of the release's vintage."""
    published: date
    nhs_england_from: int | None
    """The first ``UniqMonthID`` for which NHS England's code reads it (``None``: none)."""
    nhs_england_to: int | None

    def nhs_england_reads(self, month_id: int) -> bool:
        """Whether NHS England's code reads this release for the month ``month_id``."""
        first, last = self.nhs_england_from, self.nhs_england_to
        return first is not None and first <= month_id and (last is None or month_id <= last)


@functools.cache
def deprivation_releases() -> Mapping[str, DeprivationRelease]:
    """The releases cypmh reads, by name.

    >>> [(r.name, r.lsoa_column) for r in deprivation_releases().values()]
    [('IoD2019', 'LSOA2011'), ('IoD2025', 'LSOA2021')]
    """
    return {
        row["release"]: DeprivationRelease(
            name=row["release"],
            lsoa_vintage=int(row["lsoa_vintage"]),
            lsoa_column=row["lsoa_column"],
            published=date.fromisoformat(row["published"]),
            nhs_england_from=optional_int(row["nhs_england_from_uniqmonthid"]),
            nhs_england_to=optional_int(row["nhs_england_to_uniqmonthid"]),
        )
        for row in read_table("deprivation_releases")
    }


def nhs_england_release(month_id: int) -> str | None:
    """The release NHS England's code reads for the month ``month_id`` (``None``: none).

    >>> nhs_england_release(1501)  # April 2025
    'IoD2019'
    """
    for release in deprivation_releases().values():
        if release.nhs_england_reads(month_id):
            return release.name
    return None


@functools.cache
def _levels() -> Mapping[str, Mapping[str, str]]:
    return {row["imd_number"]: row for row in read_table("imd_levels")}


def imd_level(breakdown: str, decile: int | None) -> str:
    """The level of ``breakdown`` (:data:`IMD_BREAKDOWNS`) of a person in IMD ``decile``.

    >>> imd_level("imd_decile", 1), imd_level("imd_quintile", 4), imd_level("imd_core20", 2)
    ('01 Most deprived', '02', 'Most deprived quintile')
    >>> imd_level("imd_core20", None)
    'UNKNOWN'
    """
    row = _levels().get(str(decile) if decile is not None else UNKNOWN_IMD)
    return row[IMD_BREAKDOWNS[breakdown]] if row is not None else UNKNOWN_IMD


def imd_levels(breakdown: str) -> tuple[str, ...]:
    """Every level of ``breakdown``, most deprived first, ``UNKNOWN`` last.

    >>> imd_levels("imd_core20")
    ('Most deprived quintile', 'Other 4 quintiles', 'UNKNOWN')
    """
    column = IMD_BREAKDOWNS[breakdown]
    return tuple(dict.fromkeys(row[column] for row in _levels().values()))
