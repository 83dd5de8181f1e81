"""Invented areas: the seeded synthetic area, the hand-written example, and a plain account of one.

- :mod:`cypmh.synth.area`: a seeded synthetic area and its synthetic population;
- :mod:`cypmh.synth.thrive`: its THRIVE groupings, drawn from their own stream;
- :mod:`cypmh.synth.deprivation`: its made-up neighbourhoods and deprivation file;
- :mod:`cypmh.synth.examples`: a small hand-written example area;
- :mod:`cypmh.synth.describe`: a plain-text account of an area.

Every person and record in them is invented. The names below are imported from
their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names

__all__ = [
    "DEMO_PERIOD",
    "REFERENCE_DATE",
    "demo_area",
    "demo_population",
    "describe",
    "example_area",
    "synthetic_area",
    "synthetic_deprivation",
    "synthetic_population",
    "write_synthetic",
]

_HOMES = {
    "cypmh.synth.area": (
        "DEMO_CHANGE",
        "DEMO_PERIOD",
        "POPULATION_FILE",
        "demo_area",
        "demo_population",
        "synthetic_area",
        "synthetic_population",
    ),
    "cypmh.synth.folder": ("write_synthetic",),
    "cypmh.synth.examples": ("REFERENCE_DATE", "example_area"),
    "cypmh.synth.deprivation": ("synthetic_deprivation",),
    "cypmh.synth.describe": ("describe",),
}

__getattr__, __dir__ = lazy_names("cypmh.synth", _HOMES, globals())

if TYPE_CHECKING:
    from cypmh.synth.area import (
        DEMO_PERIOD,
        demo_area,
        demo_population,
        synthetic_area,
        synthetic_population,
    )
    from cypmh.synth.deprivation import synthetic_deprivation
    from cypmh.synth.describe import describe
    from cypmh.synth.examples import REFERENCE_DATE, example_area
    from cypmh.synth.folder import write_synthetic
