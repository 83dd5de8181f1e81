"""Joining a child's records into runs, over frames: what spells and periods of care share.

The object versions join records one by one (:func:`cypmh.pathways.build_spells`,
:func:`cypmh.pathways.periods_of_care`). Their frame twins, each beside its object
version, number the runs with :func:`number_runs`: in order, a record starts a new
run when it starts more than a given number of days after the latest end so far.
narwhals, an optional extra, is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.pathways.lazy import nw

if TYPE_CHECKING:
    from cypmh.pathways.lazy import Frame

__all__ = ["OPEN_END", "number_runs"]

OPEN_END = 10**8
"""A day number after any real date, standing for "not ended" inside running maxima."""


def number_runs(
    frame: Frame,
    keys: list[str],
    order: list[str],
    *,
    start: str,
    end: str,
    within: int,
    name: str,
) -> Frame:
    """``frame`` with column ``name`` numbering its runs (1, 2, ...) within ``keys``.

    In ``order``, a row starts a new run when its ``start`` is more than
    ``within`` days after the latest ``end`` of the rows before it (a running
    maximum), as referral spells and periods of care are joined.
    """
    col = nw.col
    frame = frame.with_columns(col(end).cum_max().over(*keys, order_by=order).alias("latest"))
    # As a float: narwhals' pandas backend fails to scatter a shifted nullable Int64 back
    # in place (day numbers are exact in a float, so nothing changes on other backends).
    frame = frame.with_columns(
        col("latest").cast(nw.Float64).shift(1).over(*keys, order_by=order).alias("before")
    )
    new_run = col("before").is_null() | (col(start) > col("before") + within).fill_null(False)
    frame = frame.with_columns(new_run.cast(nw.Int64).alias("new_run"))
    frame = frame.with_columns(col("new_run").cum_sum().over(*keys, order_by=order).alias(name))
    return frame.drop("latest", "before", "new_run")
