"""Age bands used to break down MHSDS measures (table ``age_bands``).

``mhsds_cyp`` is the publication's ``Age_Group_CYP`` (0-5, 6-10, 11-14, 15, 16, 17);
``mhsds_higher_level`` is ``Age_Group_Higher_Level`` (under 18, 18 and over).
The CYP measures apply them to age when the referral was received.
"""

from __future__ import annotations

import functools

import attrs

from cypmh.codes._tables import read_table
from cypmh.errors import UnknownCodeError

__all__ = ["AgeBand", "age_band", "age_bands"]


@attrs.frozen(kw_only=True)
class AgeBand:
    """One band of an age-band scheme: ages ``from_age`` to ``to_age`` inclusive."""

    scheme: str
    label: str
    from_age: int
    to_age: int

    def contains(self, age: int) -> bool:
        """Whether ``age`` (whole years) falls in this band."""
        return self.from_age <= age <= self.to_age


@functools.cache
def age_bands(scheme: str = "mhsds_cyp") -> tuple[AgeBand, ...]:
    """The bands of ``scheme``, youngest first.

    >>> [band.label for band in age_bands()]
    ['0 to 5', '6 to 10', '11 to 14', '15', '16', '17']
    """
    bands = tuple(
        AgeBand(
            scheme=row["scheme"],
            label=row["band"],
            from_age=int(row["from_age"]),
            to_age=int(row["to_age"]),
        )
        for row in read_table("age_bands")
        if row["scheme"] == scheme
    )
    if not bands:
        raise UnknownCodeError("age_bands", "scheme", scheme, "age_bands schemes")
    return tuple(sorted(bands, key=lambda band: band.from_age))


def age_band(age: int, scheme: str = "mhsds_cyp") -> AgeBand | None:
    """The band of ``scheme`` that ``age`` falls in, or ``None`` if it is outside them all.

    >>> age_band(15).label, age_band(18)
    ('15', None)
    """
    return next((band for band in age_bands(scheme) if band.contains(age)), None)
