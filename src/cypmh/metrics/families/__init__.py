"""The metric families: one module per family, each holding everything about its metrics.

A family turns an area (or its tables) and a reporting month into named
populations, and each of its metrics aggregates one of them. A family module
(:class:`FamilyModule`) holds, in this order:

- ``FAMILY``, what the family is (:class:`~cypmh.metrics.definition.Family`):
  what its members are records of, the files and columns it reads, whether its
  cohort is children resident in England, what reading as at the period end
  means for it;
- ``METRICS``, its metrics' declarations (``FAMILY.declare``), each with its
  direction, target and target source, in the catalogue's order;
- ``reference`` over the area's objects (its docstring is the definition, with
  its sources) and ``frames`` over dataframes, side by side;
- ``explain``, why a referral is not among a population's members (``cypmh why``).

:data:`MODULES` lists them, in the catalogue's order: adding a family is its
module, its line there and its spec test. Shared parts live in
:mod:`cypmh.metrics.families.members` and :mod:`cypmh.metrics.families.case`
(objects), :mod:`cypmh.metrics.options` and :mod:`cypmh.metrics.blocks.bases`
(frames).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from cypmh.metrics.families import (
    access,
    attendance,
    direct_four_week_waits,
    discharges,
    eating_disorders,
    first_contact_waits,
    four_week_waits,
    looked_after,
    mental_health_factors,
    outcomes,
    referral_fates,
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
    from cypmh.metrics.definition import Family, MetricDefinition
    from cypmh.metrics.families.case import Case

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
    "FamilyModule",
    "MetricOptions",
    "Observation",
    "Populations",
    "last_31_march",
]


class FamilyModule(Protocol):
    """What a family module holds (each module of this package is one)."""

    @property
    def FAMILY(self) -> Family:  # noqa: N802 - a module's constant
        """What the family is."""

    @property
    def METRICS(self) -> Sequence[MetricDefinition]:  # noqa: N802 - a module's constant
        """Its metrics' declarations, in the catalogue's order."""

    def reference(self, ctx: Context) -> Populations:
        """The populations over the area's objects."""

    def frames(self, ctx: FrameContext) -> FrameFamily:
        """The populations over dataframes."""

    def explain(self, case: Case, population: str) -> str | None:
        """Why a referral is not among ``population``'s members, where it can say."""


MODULES: dict[str, FamilyModule] = {
    "access": access,
    "first_contact_waits": first_contact_waits,
    "referral_fates": referral_fates,
    "four_week_waits": four_week_waits,
    "direct_four_week_waits": direct_four_week_waits,
    "eating_disorders": eating_disorders,
    "referrals": referrals,
    "rejections": rejections,
    "attendance": attendance,
    "discharges": discharges,
    "outcomes": outcomes,
    "sdq": sdq,
    "looked_after": looked_after,
    "mental_health_factors": mental_health_factors,
    "school_links": school_links,
    "thrive": thrive,
}
"""Every family's module, by the family's name (its ``FAMILY.name``), in the catalogue's order."""

FAMILIES: dict[str, Callable[[Context], Populations]] = {
    name: module.reference for name, module in MODULES.items()
}
"""Every family's reference implementation, by name."""

FRAME_FAMILIES: dict[str, Callable[[FrameContext], FrameFamily]] = {
    name: module.frames for name, module in MODULES.items()
}
"""Every family's dataframe implementation, by name."""
