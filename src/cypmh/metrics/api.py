"""One API over every engine: the engine is an argument, not a name.

:func:`compute`, :func:`compute_series`, :func:`members` and :func:`why` take
the area's records (an :class:`~cypmh.model.Area`) or the dataframe engine's
tables (a mapping of native frames, as :func:`~cypmh.tables.backends.tables_from_area`
or :func:`~cypmh.io.read_extract` with a backend make them), and ``engine=``:

- ``None`` (the default): the reference engine for an area, the dataframe
  engine on the tables' own backend for tables;
- ``"reference"``: the reference engine, over an area's objects;
- a backend of :data:`~cypmh.tables.backends.BACKENDS` (``"polars"``,
  ``"duckdb"``, ``"pandas"``, ``"spark"``, ...): an area is first turned into
  that backend's tables; tables are computed on their own backend;
- ``"auto"``: the fastest installed backend that computes every metric asked
  for, else the reference engine.

Every engine gives the same rows: the generative tests hold them equal.

>>> from cypmh.synth.examples import example_area
>>> rows = compute(example_area(), "2025-03", metrics=["REJ01a"], disclosure="none")
>>> polars = compute(
...     example_area(), "2025-03", metrics=["REJ01a"], disclosure="none", engine="polars")
>>> [r.value for r in rows] == [r.value for r in polars]
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cypmh.errors import InvalidValueError
from cypmh.metrics import engine as reference
from cypmh.metrics.catalogue import definitions, with_declared
from cypmh.metrics.disclosure import DEFAULT_POLICY
from cypmh.metrics.drilldown import Member, members_frames
from cypmh.metrics.drilldown import members as reference_members
from cypmh.metrics.explain import Finding
from cypmh.metrics.explain import why as explain
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.request import Period
from cypmh.metrics.results import ResultRow
from cypmh.metrics.series import Series
from cypmh.metrics.series import compute_series as series_of
from cypmh.model import Area
from cypmh.periods import Month
from cypmh.tables.backends import BACKENDS, fastest_available, tables_from_area

__all__ = ["ENGINES", "Source", "choose_engine", "compute", "compute_series", "members", "why"]

ENGINES = ("reference", *BACKENDS, "auto")
"""Every value ``engine=`` takes (``None`` too: the source's own)."""

Source = Area | Mapping[str, Any]
"""An area's records, or the dataframe engine's tables (native frames by table name)."""


def choose_engine(
    source: Source, engine: str | None, metric_ids: Iterable[str] | None = None
) -> str:
    """The engine that runs: ``"reference"``, a backend's name, or ``"tables"`` (their own).

    ``metric_ids`` (default: the catalogue) are what ``"auto"`` must compute.

    >>> from cypmh.synth.examples import example_area
    >>> choose_engine(example_area(), None), choose_engine({}, None)
    ('reference', 'tables')
    >>> choose_engine({}, "reference")
    Traceback (most recent call last):
    cypmh.errors.InvalidValueError: engine.engine = 'reference': reads an Area's records; ...
    """
    is_area = isinstance(source, Area)
    if engine is not None and engine not in ENGINES:
        raise InvalidValueError("engine", "engine", engine, f"must be one of {', '.join(ENGINES)}")
    if not is_area:
        if engine == "reference":
            raise InvalidValueError(
                "engine",
                "engine",
                engine,
                "reads an Area's records; tables run on the dataframe engine "
                '(engine=None or "auto")',
            )
        return "tables"
    if engine is None or engine == "reference":
        return "reference"
    if engine != "auto":
        return engine
    fastest = fastest_available()
    if fastest is None:
        return "reference"
    # Imported here: the dataframe engine needs the frames extra (narwhals).
    from cypmh.metrics.frames.engine import unsupported

    wanted = list(metric_ids) if metric_ids is not None else list(definitions())
    return "reference" if unsupported(wanted) else fastest


def _tables(source: Source, chosen: str, backend_options: Mapping[str, Any] | None) -> Any:
    if isinstance(source, Area):
        return tables_from_area(source, chosen, **dict(backend_options or {}))
    return source


@with_declared
def compute(
    source: Source,
    period: Period,
    *,
    engine: str | None = None,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
    backend_options: Mapping[str, Any] | None = None,
) -> tuple[ResultRow, ...]:
    """Compute catalogue metrics for ``source`` and the reporting month ``period``.

    ``engine`` chooses the engine (see the module); every other argument is the
    reference engine's (:func:`cypmh.metrics.engine.compute`). ``backend_options``
    go to :func:`~cypmh.tables.backends.tables_from_area` when an area is run on a
    backend (``session`` for Spark, ``connection`` for DuckDB).
    """
    metrics = list(metrics) if metrics is not None else None
    chosen = choose_engine(source, engine, metrics)
    arguments: dict[str, Any] = {
        "metrics": metrics,
        "breakdowns": breakdowns,
        "disclosure": disclosure,
        "national": national,
        "options": options,
    }
    if chosen == "reference":
        assert isinstance(source, Area)
        return reference.compute(source, period, **arguments)
    # Imported here: the dataframe engine needs the frames extra (narwhals).
    from cypmh.metrics.frames.engine import compute_frames

    return compute_frames(_tables(source, chosen, backend_options), period, **arguments)


@with_declared
def compute_series(
    source: Source,
    start: Period,
    end: Period,
    *,
    engine: str | None = None,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
    progress: Callable[[Month], None] | None = None,
    backend_options: Mapping[str, Any] | None = None,
) -> Series:
    """Every month from ``start`` to ``end`` on ``engine`` (:func:`.series.compute_series`)."""
    metrics = list(metrics) if metrics is not None else None
    chosen = choose_engine(source, engine, metrics)
    runs_on = source if chosen == "reference" else _tables(source, chosen, backend_options)
    return series_of(
        runs_on,
        start,
        end,
        metrics=metrics,
        breakdowns=breakdowns,
        disclosure=disclosure,
        national=national,
        options=options,
        progress=progress,
    )


@with_declared
def members(
    source: Source,
    metric_id: str,
    period: Period,
    *,
    engine: str | None = None,
    breakdown: str | None = None,
    level: str | None = None,
    options: MetricOptions | None = None,
    backend_options: Mapping[str, Any] | None = None,
) -> list[Member]:
    """The members behind ``metric_id``'s value on ``engine`` (:func:`.drilldown.members`)."""
    chosen = choose_engine(source, engine, [metric_id])
    if chosen == "reference":
        assert isinstance(source, Area)
        return reference_members(
            source, metric_id, period, breakdown=breakdown, level=level, options=options
        )
    return members_frames(
        _tables(source, chosen, backend_options),
        metric_id,
        period,
        breakdown=breakdown,
        level=level,
        options=options,
    )


@with_declared
def why(
    source: Source,
    referral_id: str,
    period: Period,
    *,
    engine: str | None = None,
    options: MetricOptions | None = None,
) -> list[Finding]:
    """Whether one referral counts in each population, and why not (:func:`.explain.why`).

    ``why`` reads one referral's records and the rule each one fails, so it
    runs on the reference engine: ``engine`` may be ``None``, ``"reference"`` or
    ``"auto"``, and ``source`` must be an area. (The members of a population on
    any engine are :func:`members`'.)
    """
    if not isinstance(source, Area) or engine not in (None, "reference", "auto"):
        choose_engine(source, engine)  # an unknown engine is named first
        raise InvalidValueError(
            "why",
            "engine",
            engine if isinstance(source, Area) else "tables",
            "why reads an Area's records on the reference engine; "
            "members(..., engine=...) lists a population's members on any engine",
        )
    return explain(source, referral_id, period, options=options)
