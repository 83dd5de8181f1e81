"""The synthetic area's neighbourhoods and its made-up deprivation file.

Forty made-up LSOAs (codes ``E0190nnnn`` of 2011 and ``E0195nnnn`` of 2021, past
the end of the real ones), four to each IMD decile, and a deprivation file in
the government's IoD2019 layout whose LSOA names say ``Synthetic``, so that it
is read as synthetic and every output says so (:mod:`cypmh.need.deprivation`).

Children are placed without drawing from the area's random numbers, so that
the rest of the area is as it was: each child's neighbourhood follows from its
place in the list, and a child with a rejected referral lives, two times in
three, in the more deprived half, so that the demo shows a gradient of rejection
by deprivation, as COACHES found (not a finding about any real area).
"""

from __future__ import annotations

import functools
from pathlib import Path

import attrs

from cypmh.model import Area
from cypmh.need.deprivation import Deprivation, deprivation_from_text

__all__ = [
    "DEPRIVATION_FILE",
    "SYNTHETIC_LSOAS",
    "synthetic_deprivation",
    "synthetic_deprivation_text",
    "with_neighbourhoods",
    "write_deprivation",
]

DEPRIVATION_FILE = "deprivation.csv"
"""The deprivation file an extract folder may hold (the government's layout)."""

_COUNT = 40

SYNTHETIC_LSOAS = tuple(f"E0190{n:04d}" for n in range(1, _COUNT + 1))
"""The made-up 2011 LSOAs, most deprived first (their 2021 twins are ``E0195nnnn``)."""

_DECILE_COLUMN = (
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
)


def _decile(index: int) -> int:
    return index * 10 // _COUNT + 1


def synthetic_deprivation_text() -> str:
    """The made-up deprivation file, in the columns of GOV.UK's IoD2019 File 7."""
    lines = [
        "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
        f"Local Authority District name (2019),{_DECILE_COLUMN}"
    ]
    lines += [
        f"{code},Synthetic neighbourhood {n + 1:02d},E08000025,Synthetic area,{_decile(n)}"
        for n, code in enumerate(SYNTHETIC_LSOAS)
    ]
    return "\n".join(lines) + "\n"


@functools.cache
def synthetic_deprivation() -> Deprivation:
    """The made-up deprivation file, read (IoD2019, labelled synthetic).

    >>> d = synthetic_deprivation()
    >>> d.release, d.synthetic, d.decile("E01900001"), d.decile("E01900040")
    ('IoD2019', True, 1, 10)
    """
    return deprivation_from_text(synthetic_deprivation_text(), "the synthetic deprivation file")


def write_deprivation(path: str | Path) -> Path:
    """Write the made-up deprivation file to ``path``; return the path."""
    target = Path(path)
    target.write_text(synthetic_deprivation_text(), encoding="utf-8")
    return target


def with_neighbourhoods(area: Area) -> Area:
    """``area`` with each child given a made-up LSOA of 2011 and of 2021 (see the module)."""
    rejected = {r.person_id for r in area.referrals if r.rejection_date is not None}
    children = []
    for i, child in enumerate(area.children):
        place = (i * 37) % _COUNT  # 37 and 40 share no factor: every place is used
        if child.person_id in rejected and i % 3:
            place //= 2
        children.append(
            attrs.evolve(child, lsoa=SYNTHETIC_LSOAS[place], lsoa2021=f"E0195{place + 1:04d}")
        )
    return attrs.evolve(area, children=tuple(children))
