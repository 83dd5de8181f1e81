"""KPIs an area declares for itself: a TOML file of KPIs over documented bases, with no code.

- :mod:`cypmh.metrics.kpis.bases`: the bases (referrals, contacts, children) and their
  columns, under the extract's names and cypmh's derived ones;
- :mod:`cypmh.metrics.kpis.file`: reading and checking a file (:func:`read_kpis`), every
  fault naming the file, line, KPI and part;
- :mod:`cypmh.metrics.kpis.rows`: the bases' rows over an area's records, and a KPI's
  whole-area value (:func:`kpi_value`), as at the period end;
- :mod:`cypmh.metrics.kpis.frames`: the same bases over the dataframe engine's tables;
- :mod:`cypmh.metrics.kpis.family`: the KPIs as the family ``declared``, which every
  engine computes beside the catalogue (give them in
  :class:`~cypmh.metrics.MetricOptions` ``kpis=``; the commands' ``--kpis FILE``).
"""

from cypmh.metrics.kpis.bases import BASES, BaseColumn, KpiBase, bases_text
from cypmh.metrics.kpis.file import (
    EXAMPLE,
    VALUES,
    WINDOWS,
    DeclaredKpi,
    KpiFileError,
    describe,
    read_kpis,
)
from cypmh.metrics.kpis.rows import KpiValue, base_rows, kpi_value

__all__ = [
    "BASES",
    "EXAMPLE",
    "VALUES",
    "WINDOWS",
    "BaseColumn",
    "DeclaredKpi",
    "KpiBase",
    "KpiFileError",
    "KpiValue",
    "base_rows",
    "bases_text",
    "describe",
    "kpi_value",
    "read_kpis",
]
