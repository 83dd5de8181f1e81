"""The dataframe engine: the catalogue computed on narwhals frames.

The families are queries (:mod:`cypmh.metrics.families`, each family's ``frames``); each
family's populations, with the requested breakdown levels attached, are
reduced in one query to a small table of counts (a *cube*: how many members
have each combination of population, levels, value and numerator). Only
that cube is collected. The result rows are then made by the same function
as the reference engine's (:func:`cypmh.metrics.engine.result_rows`), so
medians, percentiles, intervals and rounding are cypmh's own on every
backend, and disclosure control is applied afterwards as there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import narwhals as nw

from cypmh.errors import CypmhError, InvalidValueError
from cypmh.metrics.blocks.bases import FrameContext
from cypmh.metrics.blocks.settle import Settled, settle
from cypmh.metrics.catalogue import CATALOGUE, MetricDefinition, definitions, with_declared
from cypmh.metrics.definition import DECLARED
from cypmh.metrics.disclosure import DEFAULT_POLICY, apply_disclosure
from cypmh.metrics.engine import (
    Period,
    Summary,
    check_request,
    reporting_month,
    result_rows,
)
from cypmh.metrics.families import FRAME_FAMILIES
from cypmh.metrics.frames.cubes import OF_VALUES, Cell, cells, cube_query, summarise
from cypmh.metrics.kpis.family import ALL_FRAME_FAMILIES, ALL_MODULES
from cypmh.metrics.need import basis_of
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow
from cypmh.metrics.standardised import standard_of, standardised_levels
from cypmh.model.asat import as_at_tables
from cypmh.periods import Month
from cypmh.tables.exprs import EPOCH, day_number, days_from_civil
from cypmh.tables.schema import OPTIONAL_COLUMNS, OPTIONAL_TABLES, TABLES, Kind

__all__ = [
    "SUPPORTED",
    "UnsupportedMetricsError",
    "compute_frames",
    "month_rows",
    "prepare_table",
    "prepare_tables",
    "unsupported",
]

Frame = nw.LazyFrame[Any]

SUPPORTED: frozenset[str] = frozenset(
    definition.id
    for definition in CATALOGUE.values()
    if definition.family in FRAME_FAMILIES or definition.aggregate is Aggregate.EXPECTED
)
"""The ids of the metrics the dataframe engine computes."""


class UnsupportedMetricsError(CypmhError):
    """Metrics were asked of the dataframe engine that it does not compute yet.

    ``metrics`` names them. The engine never hands them to the reference
    engine behind the caller's back: compute them with
    :func:`cypmh.metrics.compute` on an :class:`~cypmh.model.Area`, or leave
    them out (:func:`unsupported` says which).
    """

    def __init__(self, metrics: Iterable[str]) -> None:
        self.metrics = tuple(metrics)
        super().__init__(
            "the dataframe engine does not compute these metrics yet: "
            f"{', '.join(self.metrics)} (use the reference engine for them)"
        )


def unsupported(metrics: Iterable[str] | None = None) -> tuple[str, ...]:
    """The ids among ``metrics`` (default: the catalogue) the dataframe engine cannot compute.

    It computes every KPI being declared (:func:`~cypmh.metrics.catalogue.declaring`).
    """
    known = definitions()

    def computed(metric_id: str) -> bool:
        found = known.get(metric_id)
        return metric_id in SUPPORTED or (found is not None and found.family == DECLARED)

    return tuple(m for m in (metrics if metrics is not None else known) if not computed(m))


def _lazy(native: Any, name: str) -> Frame:
    try:
        frame = nw.from_native(native)
    except TypeError:
        raise InvalidValueError(
            "frames",
            name,
            type(native).__name__,
            "is not a frame narwhals supports (pandas, Polars, PyArrow, DuckDB, SQLFrame, PySpark)",
        ) from None
    if isinstance(frame, nw.DataFrame):
        if frame.implementation.is_pandas():
            # numpy-backed pandas has no missing whole numbers: use nullable dtypes.
            native = frame.to_native().convert_dtypes(dtype_backend="numpy_nullable")
            frame = nw.from_native(native, eager_only=True)
        lazy: Frame = frame.lazy()
        return lazy
    if isinstance(frame, nw.LazyFrame):
        return frame
    raise InvalidValueError("frames", name, type(native).__name__, "is a series, not a table")


class PreparedTables(Mapping[str, Frame]):
    """The prepared tables, each brought to its stored form the first time it is used.

    A query that reads a few of the thirteen tables (MHS95 reads children,
    referrals, contacts and indirect activities) stores only those.
    """

    def __init__(self, frames: Mapping[str, Frame]) -> None:
        self._frames = dict(frames)
        self._settled: dict[str, Frame] = {}

    def __getitem__(self, name: str) -> Frame:
        if name not in self._settled:
            self._settled[name] = _settle(self._frames[name])
        return self._settled[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def is_polars(self) -> bool:
        """Whether the tables are Polars frames."""
        return all(frame.implementation.is_polars() for frame in self._frames.values())


def prepare_tables(tables: Mapping[str, Any]) -> PreparedTables:
    """Check ``tables`` against :data:`~cypmh.metrics.frames.TABLES` and bring them to one form.

    Every table named there must be given, with at least its columns (extra
    columns are ignored). Text columns become strings, numbers 64-bit, and
    every date column two whole-number columns: its day number, under its
    own name, and ``<name>_ymd`` (``YYYYMMDD``). An unknown table name, a
    missing table or column is an :class:`~cypmh.errors.InvalidValueError`
    naming it.
    """
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise InvalidValueError(
            "frames", "tables", unknown, f"are not tables; the tables are {', '.join(TABLES)}"
        )
    prepared: dict[str, Frame] = {}
    for name in TABLES:
        if name not in tables and name in _EMPTY_FROM and _EMPTY_FROM[name] in tables:
            prepared[name] = prepare_table(_empty_like(tables[_EMPTY_FROM[name]], name), name)
            continue
        if name not in tables:
            if name in OPTIONAL_TABLES:
                continue
            raise InvalidValueError("frames", "tables", name, "is required and was not given")
        prepared[name] = prepare_table(tables[name], name)
    return PreparedTables(prepared)


_EMPTY_FROM = {"assessment_factors": "wellbeing_assessments"}
"""An optional table read as empty when left out: made from a required table of its backend."""


def _empty_like(native: Any, name: str) -> Any:
    """Table ``name`` with no rows, on the backend of ``native`` (which has its dated columns)."""
    source = _lazy(native, _EMPTY_FROM[name])
    shared = [c for c in TABLES[name] if c in TABLES[_EMPTY_FROM[name]]]
    others = [nw.lit(None, dtype=nw.String).alias(c) for c in TABLES[name] if c not in shared]
    nothing = nw.col(shared[0]).is_null() & ~nw.col(shared[0]).is_null()
    return source.filter(nothing).select(*shared, *others).to_native()


def prepare_table(native: Any, name: str) -> Frame:
    """Table ``name`` of :data:`~cypmh.metrics.frames.TABLES` as :func:`prepare_tables` brings it.

    Not yet stored: :class:`PreparedTables` stores each table when it is first used.
    """
    kinds = TABLES[name]
    frame = _lazy(native, name)
    schema = frame.collect_schema()
    absent = [c for c in OPTIONAL_COLUMNS.get(name, ()) if c not in schema]
    if absent:  # read as empty (schema.OPTIONAL_COLUMNS)
        typed = {Kind.INTEGER: nw.Int64, Kind.NUMBER: nw.Float64}
        frame = frame.with_columns(
            *(nw.lit(None, typed.get(kinds[c], nw.String)).alias(c) for c in sorted(absent))
        )
        schema = frame.collect_schema()
    missing = [column for column in kinds if column not in schema]
    if missing:
        raise InvalidValueError(
            "frames", name, missing, f"columns are missing (needs {', '.join(kinds)})"
        )
    exact = not frame.implementation.is_pandas()
    days = {
        column: number
        for column, kind in kinds.items()
        if kind is Kind.DATE
        and schema[column] == nw.Date
        and (number := _native_days(frame, column)) is not None
    }
    coded = {
        column
        for column, kind in kinds.items()
        if kind is Kind.TEXT and schema[column].is_integer()
    }
    # On Polars, which holds a query's columns in memory as it runs, a date's two numbers
    # are 32-bit: a day number and a YYYYMMDD both fit, in half the memory (issue 32).
    # Elsewhere they stay 64-bit, as the backends' agreement tests have them.
    whole = nw.Int32 if frame.implementation.is_polars() else nw.Int64
    return frame.select(*_normal(kinds, exact=exact, days=days, coded=coded, whole=whole))


def _settle(frame: Frame) -> Frame:
    """Store a prepared table (:func:`~cypmh.metrics.blocks.settle.settle`); fix pandas.

    pandas gives the parts of a missing ``datetime64`` as NaN in a float
    column, where a comparison is False rather than missing. Converting the
    prepared table to nullable dtypes again turns those NaNs into missing
    values (and the whole-number floats into ``Int64``), so missing dates
    behave as on every other backend.
    """
    if frame.implementation.is_pandas():
        native = frame.collect().to_native().convert_dtypes(dtype_backend="numpy_nullable")
        nullable: Frame = nw.from_native(native, eager_only=True).lazy()
        return nullable
    return settle(frame)


def _native_days(frame: Frame, column: str) -> nw.Expr | None:
    """The day number of a ``Date`` column as its backend gives it, where that is cheaper.

    A Polars ``Date`` is stored as its day number, which a cast reads; in
    DuckDB the difference of two dates is a whole number of days. Elsewhere
    (``None``) it is computed from the date's parts.
    """
    c = nw.col(column)
    if frame.implementation.is_polars():
        return c.cast(nw.Int32)
    if frame.implementation.is_duckdb():
        return (c - nw.lit(EPOCH)).cast(nw.Int64)
    return None


def _normal(
    kinds: Mapping[str, Kind],
    *,
    exact: bool = True,
    days: Mapping[str, nw.Expr] | None = None,
    coded: frozenset[str] | set[str] = frozenset(),
    whole: Any = nw.Int64,
) -> list[nw.Expr]:
    """The expressions that bring columns of ``kinds`` to the engine's form.

    With ``exact`` False (pandas, whose ``datetime64`` parts are floats when
    a date is missing) the date parts stay floats: the day numbers are then
    whole floats, and every comparison and difference is unchanged. ``days``
    gives the day number of some date columns (:func:`_native_days`); the
    others' are computed from their parts (:func:`days_from_civil`). ``whole``
    is the type of a date's numbers (``Int32`` on Polars); other whole numbers
    are ``Int64``.
    """

    def part(expr: nw.Expr, to: Any = nw.Int64) -> nw.Expr:
        return expr.cast(to) if exact else expr

    given = dict(days or {})
    exprs = []
    for column, kind in kinds.items():
        c = nw.col(column)
        if kind is Kind.DATE:
            year, month, day = (part(p, whole) for p in (c.dt.year(), c.dt.month(), c.dt.day()))
            number = given[column] if column in given else days_from_civil(year, month, day)
            exprs.append(number.alias(column))
            exprs.append((year * 10000 + month * 100 + day).alias(f"{column}_ymd"))
        elif kind is Kind.TEXT:
            exprs.append(c if column in coded else c.cast(nw.String))
        elif kind is Kind.INTEGER:
            exprs.append(part(c))
        elif kind is Kind.NUMBER:
            exprs.append(c.cast(nw.Float64))
        else:
            exprs.append(c.cast(nw.Boolean))
    return exprs


@with_declared
def compute_frames(
    tables: Mapping[str, Any],
    period: Period,
    *,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
) -> tuple[ResultRow, ...]:
    """Compute catalogue metrics from ``tables``: the same rows as :func:`cypmh.metrics.compute`.

    ``tables`` maps each name of :data:`~cypmh.metrics.frames.TABLES` to a
    native frame of any backend narwhals supports (see
    :func:`~cypmh.metrics.frames.tables_from_area`, and the how-to page on
    Spark for tables of your own); lazy backends stay lazy
    until each family's small table of counts is collected. Every other
    argument is :func:`cypmh.metrics.compute`'s. A metric this engine does
    not compute yet raises :class:`UnsupportedMetricsError` naming it.
    """
    options = options or MetricOptions()
    chosen, wanted = check_request(
        metrics,
        breakdowns,
        disclosure,
        population=options.population is not None,
        deprivation=bool(options.deprivation),
        direct_contacts_only=options.direct_contacts_only,
        population_groups=options.population_groups is not None,
    )
    missing = unsupported(d.id for d in chosen)
    if missing:
        raise UnsupportedMetricsError(missing)
    rows = month_rows(
        prepare_tables(tables),
        reporting_month(period),
        chosen,
        wanted,
        options=options,
    )
    return apply_disclosure(rows, disclosure, national=national)


def month_rows(
    prepared: PreparedTables,
    month: Month,
    chosen: Sequence[MetricDefinition],
    wanted: Sequence[str],
    *,
    options: MetricOptions,
    lasting: dict[str, Any] | None = None,
) -> list[ResultRow]:
    """One month's result rows from prepared tables, before disclosure control.

    The part of :func:`compute_frames` that depends on the month: the
    tables as at its last day, the families' queries and their cubes. A
    series (:func:`cypmh.metrics.series.compute_series`) prepares the
    tables once and calls this for each month with one ``lasting`` store,
    where the parts that do not depend on the month are kept for the next
    (:meth:`~cypmh.metrics.blocks.bases.FrameContext.lasting`).
    """
    ctx = FrameContext(
        tables=Settled(as_at_tables(prepared, day_number(month.last_day))),
        month=month,
        options=options,
        whole=prepared if lasting is not None else None,
        lasting_parts=lasting,
    )
    standard = standard_of(options)
    needed: defaultdict[str, set[str]] = defaultdict(set)
    levels_of: defaultdict[str, set[str]] = defaultdict(set)
    valued = {d.population for d in chosen if d.aggregate in OF_VALUES}
    for definition in chosen:
        if definition.family not in ALL_FRAME_FAMILIES:
            continue  # NEED01: the population alone
        needed[definition.family] |= {
            definition.population,
            *definition.also_reads,
            *(p for b, p in definition.breakdown_populations if b in wanted),
        }
        levels_of[definition.family] |= set(wanted) & set(definition.breakdowns)
        levels_of[definition.family] |= standardised_levels(definition, wanted, standard)
        if definition.aggregate.value == "rate_ratio":
            levels_of[definition.family].add("social_care")

    summaries: dict[tuple[str, str, str], dict[str, Summary]] = {}
    together = lasting is not None and prepared.is_polars()
    queries: list[tuple[str, Any, dict[str, str | tuple[str, ...] | None], list[str]]] = []
    reused: dict[str, list[Cell]] = {}
    for family, names in needed.items():
        key = _same_cells(family, month, names, levels_of[family]) if lasting is not None else None
        if key is not None and lasting is not None and key in lasting:
            reused[family] = lasting[key]
            continue
        mine: list[tuple[str, Any, dict[str, str | tuple[str, ...] | None], list[str]]] = []
        for base in ALL_FRAME_FAMILIES[family](ctx):
            chosen_here = sorted(names & set(base.populations))
            if chosen_here:
                levels = sorted(levels_of[family])
                query, by = cube_query(ctx, base, chosen_here, levels, valued)
                mine.append((family, query, by, chosen_here))
        if not together:
            # A month alone: the family's cubes now, and its own stored parts let go, so
            # that the month holds one family's parts at a time (issue 32's memory).
            mine = [(f, query.collect(), by, c) for f, query, by, c in mine]
            ctx.release_own()
        queries += mine
    if together:
        # Imported here: an optional extra.
        import polars as pl

        # One plan for the month's cubes: Polars runs them side by side and reads the
        # parts they share once.
        natives = pl.collect_all([query.to_native() for _, query, _, _ in queries])
        collected = [nw.from_native(native) for native in natives]
    else:
        collected = [cube for _, cube, _, _ in queries]
    cells_of: defaultdict[str, list[Cell]] = defaultdict(list, reused)
    for (family, _, by, chosen_here), cube in zip(queries, collected, strict=True):
        cells_of[family] += cells(cube, by, chosen_here)
    for family, names in needed.items():
        key = _same_cells(family, month, names, levels_of[family]) if lasting is not None else None
        if key is not None and lasting is not None and family not in reused:
            lasting[key] = cells_of[family]
    for family in needed:
        summaries.update(summarise(family, cells_of[family]))

    def groups_of(definition: MetricDefinition, breakdown: str) -> Mapping[str, Summary]:
        found = summaries.get(
            (definition.family, definition.population_for(breakdown), breakdown), {}
        )
        if breakdown == WHOLE_AREA:
            return {WHOLE_AREA: found.get(WHOLE_AREA, Summary())}
        return found

    return result_rows(chosen, wanted, groups_of, month, basis_of(options), standard)


def _same_cells(family: str, month: Month, names: set[str], levels: set[str]) -> str | None:
    """The key under which a series keeps a family's cells for the months that share them.

    A family module may say what it reads of the month (``same_for``) and which
    breakdowns it fixes by that alone (``SAME_FOR_LEVELS``); months with the
    same answer then have the same cells. ``None``: the family reads more.
    """
    module = ALL_MODULES[family]
    same_for = getattr(module, "same_for", None)
    if same_for is None or not levels <= getattr(module, "SAME_FOR_LEVELS", frozenset()):
        return None
    return f"cells:{family}:{same_for(month)}:{sorted(names)}:{sorted(levels)}"
