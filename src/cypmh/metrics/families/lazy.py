"""The dataframe engine's modules, as the family modules name them: imported on first use.

A family module keeps its dataframe version beside its reference version, but
the reference engine must import (and start) without narwhals, an optional
extra. So the families read narwhals (``nw``) and the frame helpers (``fb``:
:mod:`cypmh.metrics.blocks.bases`, ``fx``: :mod:`cypmh.tables.exprs`,
``fs``: :mod:`cypmh.metrics.blocks.settle`, ``fc``: :mod:`cypmh.clauses.compile`) from here, as
:class:`cypmh._lazy.LazyModule` objects that import on the first attribute read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import LazyModule

__all__ = ["fb", "fc", "fs", "fx", "nw"]

if TYPE_CHECKING:
    import narwhals as nw

    from cypmh.clauses import compile as fc
    from cypmh.metrics.blocks import bases as fb
    from cypmh.metrics.blocks import settle as fs
    from cypmh.tables import exprs as fx
else:
    nw = LazyModule("narwhals")
    fb = LazyModule("cypmh.metrics.blocks.bases")
    fx = LazyModule("cypmh.tables.exprs")
    fs = LazyModule("cypmh.metrics.blocks.settle")
    fc = LazyModule("cypmh.clauses.compile")
