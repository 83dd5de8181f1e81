"""narwhals and the frame expression helpers, as the pathways' frame twins name them.

A pathway module keeps the frame version of a building block beside its object
version (:mod:`cypmh.pathways.rules`, ``spells``, ``clocks``, ``looked_after``,
``runs``), but the pathways must import, and the reference engine run, without
narwhals, an optional extra. So the twins read ``nw`` (narwhals) and ``fx``
(:mod:`cypmh.tables.exprs`) from here, as :class:`cypmh._lazy.LazyModule`
objects imported on their first attribute read; ``Frame`` is for annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cypmh._lazy import LazyModule

__all__ = ["fx", "nw"]

if TYPE_CHECKING:
    import narwhals as nw

    from cypmh.tables import exprs as fx

    Frame = nw.LazyFrame[Any]
else:
    nw = LazyModule("narwhals")
    fx = LazyModule("cypmh.tables.exprs")
