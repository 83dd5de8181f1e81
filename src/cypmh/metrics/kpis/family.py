"""The declared KPIs as a family: every engine computes an area's KPIs as it computes the catalogue.

Each KPI of the options (:attr:`~cypmh.metrics.MetricOptions.kpis`) is one population
of the family :data:`~cypmh.metrics.definition.DECLARED`, named by the KPI's id, with
the catalogue entry :attr:`~cypmh.metrics.definition.DeclaredKpi.definition`. The
family is a module like the catalogue's (:class:`~cypmh.metrics.families.FamilyModule`):

- :func:`reference` over the area's objects (the base's rows, :mod:`cypmh.metrics.kpis.rows`);
- :func:`frames` over dataframes (:mod:`cypmh.metrics.kpis.frames`);
- :func:`explain`: the KPI's first clause a referral or its child fails, for ``cypmh why``.

Each reading takes the KPI's clauses as they are declared, so the words, the reason and
the two engines read one definition. :data:`ALL_MODULES`, :data:`ALL_FAMILIES` and
:data:`ALL_FRAME_FAMILIES` are the catalogue's families with this one after them: the
engines read those.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import attrs

from cypmh import clauses as cl
from cypmh.metrics.definition import DECLARED, DeclaredKpi, Family, MetricDefinition
from cypmh.metrics.families import MODULES, FamilyModule
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.metrics.kpis.rows import Row, child_row, referral_row, rows_of
from cypmh.metrics.levels import UNKNOWN

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = [
    "ALL_FAMILIES",
    "ALL_FRAME_FAMILIES",
    "ALL_MODULES",
    "FAMILY",
    "METRICS",
    "explain",
    "frames",
    "reference",
]

FAMILY = Family(
    name=DECLARED,
    as_at="A declared KPI's base holds every record of its kind as at the period end, with "
    "no filter but the KPI's own conditions.",
)

METRICS: Sequence[MetricDefinition] = ()
"""None in the catalogue: an area's KPIs join it for a computation
(:func:`cypmh.metrics.catalogue.declaring`)."""


def _member(kpi: DeclaredKpi, row: Row, observed: Observation, ctx: Context) -> Observation:
    """``observed`` as a member of ``kpi``: its numerator, value and ``by`` level."""
    fields: dict[str, object] = {}
    if kpi.numerator is not None:
        fields["numerator"] = cl.holds(kpi.numerator, row, ctx.month)
    if kpi.of is not None:
        found = cl.value(kpi.of, row, ctx.month)
        number = isinstance(found, int | float) and not isinstance(found, bool)
        fields["value"] = float(found) if number else None
    if kpi.by is not None:
        level = cl.value(cl.Column(kpi.by), row, ctx.month)  # a code, as the tables hold it
        fields["levels"] = {"by": UNKNOWN if level is None or level == "" else str(level)}
    return attrs.evolve(observed, **fields)  # type: ignore[arg-type]


def reference(ctx: Context) -> Populations:
    """An area's declared KPIs: each KPI's members, the rows of its base that pass its conditions.

    A row passes when its ``date`` is in the KPI's window and every ``where`` condition
    holds; a percentage counts those that pass ``numerator`` too, and a median or 90th
    percentile is of ``of`` (a missing value is left out of it).
    """
    found: Populations = {}
    rows: dict[str, list[tuple[Row, Observation]]] = {}
    for kpi in ctx.options.kpis:
        if kpi.base not in rows:
            rows[kpi.base] = list(rows_of(ctx, kpi.base))
        found[kpi.id] = [
            _member(kpi, row, observed, ctx)
            for row, observed in rows[kpi.base]
            if cl.holds(kpi.member, row, ctx.month)
        ]
    return found


def frames(ctx: FrameContext) -> FrameFamily:
    """The declared KPIs over frames: :func:`reference`, clause by clause."""
    # Imported here: the dataframe engine's part needs the frames extra (narwhals).
    from cypmh.metrics.kpis import frames as kpi_frames

    return kpi_frames.frames(ctx)


def explain(case: Case, population: str) -> str | None:
    """Why the referral (or, for a KPI over children, its child) is not among a KPI's rows.

    The first of the KPI's clauses its row fails, with the values it read. A KPI over
    contacts says nothing here: ``cypmh why`` then quotes the KPI's definition.
    """
    kpi = next((k for k in case.ctx.options.kpis if k.id == population), None)
    if kpi is None or kpi.base == "contacts":
        return None
    if kpi.base == "referrals":
        row = referral_row(case.ctx, case.referral)
    else:
        row = child_row(case.ctx, case.referral.person_id)
    failure = cl.first_failure(kpi.member, row, case.ctx.month)
    if failure is None:
        return None
    return cl.describe(failure, row, case.ctx.month, as_at=True)


ALL_MODULES: dict[str, FamilyModule] = {
    **MODULES,
    DECLARED: cast("FamilyModule", sys.modules[__name__]),
}
"""Every family's module by name: the catalogue's
(:data:`~cypmh.metrics.families.MODULES`), then this one."""

ALL_FAMILIES: dict[str, Callable[[Context], Populations]] = {
    name: module.reference for name, module in ALL_MODULES.items()
}
"""Every family's reference implementation, by name, the declared KPIs' too."""

ALL_FRAME_FAMILIES: dict[str, Callable[[FrameContext], FrameFamily]] = {
    name: module.frames for name, module in ALL_MODULES.items()
}
"""Every family's dataframe implementation, by name, the declared KPIs' too."""
