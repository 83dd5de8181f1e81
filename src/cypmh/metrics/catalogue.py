"""The KPI catalogue: every metric, gathered from the families in order.

Each family module (:mod:`cypmh.metrics.families`) declares its own metrics
(``METRICS``) beside the code that works them out; the metrics that read the
area's population come after them (:mod:`cypmh.metrics.need_catalogue`).
A metric's id is the MHSDS measure id where its definition is the national
one (``mhsds=True``), cypmh's own otherwise. Each declaration says which
population of its family it aggregates and how, its window, its numerator
and denominator, its definition in words, its source, any deviation from the
source, which way is better and any national target, and the spec test whose
worked example documents it. The docs' metric pages are generated from these
declarations.

An area's own KPIs (:mod:`cypmh.metrics.kpis`) join the catalogue for the
length of a computation: :func:`declaring` puts them beside it, and
:func:`definitions` and :func:`metric` then find them as they find the
catalogue's. Every engine does this with the KPIs of its options
(:attr:`~cypmh.metrics.MetricOptions.kpis`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from cypmh.errors import InvalidValueError
from cypmh.metrics.definition import BREAKDOWNS, DeclaredKpi, MetricDefinition
from cypmh.metrics.families import MODULES
from cypmh.metrics.need_catalogue import NEED_DEFINITIONS

__all__ = [
    "BREAKDOWNS",
    "CATALOGUE",
    "POPULATION_SUMS",
    "MetricDefinition",
    "declaring",
    "definitions",
    "metric",
    "with_declared",
]


_DEFINITIONS = [
    *(definition for module in MODULES.values() for definition in module.METRICS),
    *NEED_DEFINITIONS,
]

CATALOGUE: Mapping[str, MetricDefinition] = {d.id: d for d in _DEFINITIONS}
"""Every metric, by id, in the catalogue's order."""

if len(CATALOGUE) != len(_DEFINITIONS):  # pragma: no cover - guards the declarations above
    raise RuntimeError("a metric id is declared twice")


POPULATION_SUMS: Mapping[str, tuple[str, ...]] = {
    f"{module.FAMILY.name}/{total}": tuple(f"{module.FAMILY.name}/{part}" for part in parts)
    for module in MODULES.values()
    for total, parts in module.FAMILY.sums.items()
}
"""Each population (``family/name``) whose count is the sum of others' (:attr:`Family.sums`)."""

_NONE_DECLARED: Mapping[str, MetricDefinition] = {}
_DECLARED: ContextVar[Mapping[str, MetricDefinition]] = ContextVar(
    "declared", default=_NONE_DECLARED
)


def definitions() -> Mapping[str, MetricDefinition]:
    """The catalogue, and after it the KPIs being declared (:func:`declaring`), by id."""
    declared = _DECLARED.get()
    return {**CATALOGUE, **declared} if declared else CATALOGUE


@contextmanager
def declaring(kpis: Iterable[DeclaredKpi]) -> Iterator[None]:
    """Within the block, ``kpis`` are metrics beside the catalogue's (:func:`definitions`).

    An id the catalogue or another KPI already uses is refused. Blocks nest:
    an inner block's KPIs join the outer's, and the same KPI given twice is one.

    >>> from cypmh.metrics.kpis import EXAMPLE, read_kpis
    >>> with declaring(read_kpis(EXAMPLE)):
    ...     metric("JNT01").family, "JNT01" in definitions()
    ('declared', True)
    >>> "JNT01" in definitions()
    False
    """
    found = dict(_DECLARED.get())
    for kpi in kpis:
        definition = kpi.definition
        same = found.get(kpi.id)
        if kpi.id in CATALOGUE or (same is not None and same != definition):
            raise InvalidValueError(
                "catalogue", "kpis", kpi.id, "is an id the catalogue or another KPI already uses"
            )
        found[kpi.id] = definition
    token = _DECLARED.set(found)
    try:
        yield
    finally:
        _DECLARED.reset(token)


P = ParamSpec("P")
R = TypeVar("R")


def with_declared(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the KPIs of its ``options=`` argument declared (:func:`declaring`).

    Every engine's entry point is wrapped so: a computation given
    ``options=MetricOptions(kpis=...)`` finds the KPIs by id wherever it looks.
    """

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        kpis = getattr(kwargs.get("options"), "kpis", ())
        if not kpis:
            return function(*args, **kwargs)
        with declaring(kpis):
            return function(*args, **kwargs)

    return run


def metric(metric_id: str) -> MetricDefinition:
    """The metric with this id; :class:`~cypmh.errors.InvalidValueError` lists the ids otherwise."""
    known = definitions()
    try:
        return known[metric_id]
    except KeyError:
        raise InvalidValueError(
            "catalogue", "metric_id", metric_id, f"is not a metric: {', '.join(known)}"
        ) from None
