"""WAIT08-WAIT09f: the four-week waits counted from direct contacts only.

MRS08-MRS09f's spells, cohort and clock (:mod:`~cypmh.metrics.families.four_week_waits`),
with no indirect activity read: an indirect activity neither is the first counted contact
nor, coded with an intervention, stops the clock. Each metric is an NHS England measure
with one part of its clock changed, so it has cypmh's own id (:data:`OWN_IDS`). A run
chooses them with ``waits_from = "direct_contacts"``
(:attr:`~cypmh.metrics.MetricOptions.direct_contacts_only`), and then reports them in
place of MRS08-MRS09f.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh.metrics.families import four_week_waits as national
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.four_week_metrics import FOUR_WEEK_DEVIATION, OWN_IDS, declare_metrics
from cypmh.metrics.families.members import Context, Populations
from cypmh.metrics.files import INDIRECT

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "OWN_IDS", "POPULATIONS", "explain", "frames", "reference"]

POPULATIONS = national.POPULATIONS
"""The national family's populations, clause for clause: only the clock's events differ."""

FAMILY = attrs.evolve(
    national.FAMILY,
    name="direct_four_week_waits",
    # Everything MRS08-MRS09f read but MHS204 (and its procedure column).
    inputs=tuple(i for i in national.FOUR_WEEK_INPUTS if not i.startswith(INDIRECT)),
    derived={
        **national.FAMILY.derived,
        "clock_stop": "the day the spell's four-week clock stops: the latest of its first "
        "counted direct contact, first baseline outcome measure and first agreed care plan or "
        "intervention coded on a direct contact, when all three exist (missing while any is); "
        "indirect activity (MHS204) is not read",
    },
)

_DIRECT = "tests/spec/metrics/test_four_week.py::test_direct_contacts_only_worked_example"

METRICS = declare_metrics(
    FAMILY,
    OWN_IDS.__getitem__,
    suffix=", direct contacts only",
    mhsds=False,
    deviation=FOUR_WEEK_DEVIATION
    + " cypmh's own id: NHS England's clock (MRS08-MRS09f) also stops on indirect activity "
    "(MHS204), as a first contact and, with an intervention code, as an intervention; this "
    "one reads direct contacts only, for a run that counts waits to direct contact with a "
    "professional, as the Children's Commissioner also reports them.",
    example=_DIRECT,
)


def reference(ctx: Context) -> Populations:
    """WAIT08-WAIT09f: MRS08-MRS09f with the clock read from direct contacts only.

    Source: NHSD ``4w_waits_prep.py``, read as for MRS08-MRS09f (the four-week waits
    family, whose spells, cohort and clauses these are), except that no indirect activity
    is read: the first counted contact is the first counted direct contact, and an
    intervention is a procedure coded on a contact (attended or not). A spell whose only
    contact was indirect has no clock stop, and waits on.
    """
    return national.reference(ctx, with_indirect=False)


def frames(ctx: FrameContext) -> FrameFamily:
    """WAIT08-WAIT09f over frames: :func:`reference`, clause by clause."""
    return national.frames(ctx, with_indirect=False)


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population`` (as the national family's, direct only)."""
    return national.explain(case, population, with_indirect=False)
