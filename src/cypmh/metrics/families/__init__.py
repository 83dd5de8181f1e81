"""The metric families: one module per family, each with both engines' versions.

A family turns an area (or its tables) and a reporting month into named
populations; the catalogue (:mod:`cypmh.metrics.catalogue`) says which population
each metric aggregates and how. Each module holds one definition:
``reference`` over the area's objects (its docstring is the definition, with
its sources) and ``frames`` over dataframes, side by side. Shared parts live
in :mod:`cypmh.metrics.families.members` (objects), :mod:`cypmh.metrics.options`
and :mod:`cypmh.metrics.blocks.bases` (frames).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from cypmh.metrics.families import (
    access,
    attendance,
    discharges,
    eating_disorders,
    first_contact_waits,
    four_week_waits,
    looked_after,
    outcomes,
    referrals,
    rejections,
    school_links,
    sdq,
    thrive,
)
from cypmh.metrics.families.eating_disorders import ED_FROM, ED_TEAMS_EXCLUDED
from cypmh.metrics.families.first_contact_waits import WAITS_FROM
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.metrics.families.outcomes import OUTCOME_TEAMS_EXCLUDED, OUTCOMES_FROM
from cypmh.metrics.families.sdq import last_31_march
from cypmh.metrics.options import MetricOptions

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = [
    "ED_FROM",
    "ED_TEAMS_EXCLUDED",
    "FAMILIES",
    "FRAME_FAMILIES",
    "MODULES",
    "OUTCOMES_FROM",
    "OUTCOME_TEAMS_EXCLUDED",
    "WAITS_FROM",
    "Context",
    "MetricOptions",
    "Observation",
    "Populations",
    "last_31_march",
]

MODULES: dict[str, ModuleType] = {
    "access": access,
    "first_contact_waits": first_contact_waits,
    "four_week_waits": four_week_waits,
    "eating_disorders": eating_disorders,
    "referrals": referrals,
    "rejections": rejections,
    "discharges": discharges,
    "attendance": attendance,
    "outcomes": outcomes,
    "sdq": sdq,
    "looked_after": looked_after,
    "school_links": school_links,
    "thrive": thrive,
}
"""Every family's module, by the family's name (the catalogue's ``family``)."""

FAMILIES: dict[str, Callable[[Context], Populations]] = {
    name: module.reference for name, module in MODULES.items()
}
"""Every family's reference implementation, by name."""

FRAME_FAMILIES: dict[str, Callable[[FrameContext], FrameFamily]] = {
    name: module.frames for name, module in MODULES.items()
}
"""Every family's dataframe implementation, by name."""
