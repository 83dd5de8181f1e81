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

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

import narwhals as nw

from cypmh.errors import CypmhError, InvalidValueError
from cypmh.metrics.catalogue import CATALOGUE, MetricDefinition
from cypmh.metrics.disclosure import DEFAULT_POLICY, apply_disclosure
from cypmh.metrics.engine import (
    UNKNOWN,
    Period,
    Summary,
    check_request,
    reporting_month,
    result_rows,
)
from cypmh.metrics.families import FRAME_FAMILIES, MODULES
from cypmh.metrics.frames.bases import OBSERVATION, Base, FrameContext, Population
from cypmh.metrics.frames.exprs import EPOCH, day_number, days_from_civil
from cypmh.metrics.frames.levels import thrive_levels, with_levels
from cypmh.metrics.frames.schema import TABLES, Kind
from cypmh.metrics.frames.settle import Settled, settle
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow
from cypmh.model.asat import as_at_tables
from cypmh.periods import Month
from cypmh.thrive import GroupingRecord

__all__ = [
    "SUPPORTED",
    "UnsupportedMetricsError",
    "compute_frames",
    "month_rows",
    "prepare_tables",
    "unsupported",
]

Frame = nw.LazyFrame[Any]

SUPPORTED: frozenset[str] = frozenset(
    definition.id for definition in CATALOGUE.values() if definition.family in FRAME_FAMILIES
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
    """The ids among ``metrics`` (default: the catalogue) the dataframe engine cannot compute."""
    return tuple(m for m in (metrics if metrics is not None else CATALOGUE) if m not in SUPPORTED)


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
    for name, kinds in TABLES.items():
        if name not in tables:
            raise InvalidValueError("frames", "tables", name, "is required and was not given")
        frame = _lazy(tables[name], name)
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
        prepared[name] = frame.select(*_normal(kinds, exact=exact, days=days))
    return PreparedTables(prepared)


def _settle(frame: Frame) -> Frame:
    """Store a prepared table (:func:`~cypmh.metrics.frames.settle.settle`); fix pandas.

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
        return c.cast(nw.Int64)
    if frame.implementation.is_duckdb():
        return (c - nw.lit(EPOCH)).cast(nw.Int64)
    return None


def _normal(
    kinds: Mapping[str, Kind], *, exact: bool = True, days: Mapping[str, nw.Expr] | None = None
) -> list[nw.Expr]:
    """The expressions that bring columns of ``kinds`` to the engine's form.

    With ``exact`` False (pandas, whose ``datetime64`` parts are floats when
    a date is missing) the date parts stay floats: the day numbers are then
    whole floats, and every comparison and difference is unchanged. ``days``
    gives the day number of some date columns (:func:`_native_days`); the
    others' are computed from their parts (:func:`days_from_civil`).
    """

    def part(expr: nw.Expr) -> nw.Expr:
        return expr.cast(nw.Int64) if exact else expr

    given = dict(days or {})
    exprs = []
    for column, kind in kinds.items():
        c = nw.col(column)
        if kind is Kind.DATE:
            year, month, day = part(c.dt.year()), part(c.dt.month()), part(c.dt.day())
            number = given[column] if column in given else days_from_civil(year, month, day)
            exprs.append(number.alias(column))
            exprs.append((year * 10000 + month * 100 + day).alias(f"{column}_ymd"))
        elif kind is Kind.TEXT:
            exprs.append(c.cast(nw.String))
        elif kind is Kind.INTEGER:
            exprs.append(part(c))
        elif kind is Kind.NUMBER:
            exprs.append(c.cast(nw.Float64))
        else:
            exprs.append(c.cast(nw.Boolean))
    return exprs


def _code(population: Population, *, valued: bool = True) -> nw.Expr:
    """A member's value and numerator as one number: ``4 * value + 2 * (no value) + numerator``.

    Every value of the supported families is a whole number of days (or a
    score), so the code is exact in a 64-bit float; :func:`_decode` checks
    this. Non-members get no code. With ``valued`` false (no metric asked for
    takes a median, percentile or mean of the population) the value is left
    out, and the cube has a cell per level and numerator only.
    """
    value = population.value if valued else None
    numerator = population.numerator
    flag = nw.lit(0.0) if numerator is None else numerator.fill_null(False).cast(nw.Float64)
    if value is None:
        code = nw.lit(2.0) + flag
    else:
        number = value.cast(nw.Float64)
        code = number.fill_null(0.0) * 4 + number.is_null().cast(nw.Float64) * 2 + flag
    return nw.when(population.member.fill_null(False)).then(code)


def _decode(code: float, where: str) -> tuple[float | None, bool]:
    rest = code % 4
    if rest not in (0.0, 1.0, 2.0, 3.0):
        raise RuntimeError(f"{where}: a value that is not a whole number reached the cube")
    value = (code - rest) / 4
    return (None if rest >= 2 else value), rest in (1.0, 3.0)


_OF_VALUES = (Aggregate.MEDIAN, Aggregate.PERCENTILE_90, Aggregate.MEAN)
"""The aggregates that read the members' values, not only their number and numerator."""

Cell = tuple[str, str, str, float, int]
"""One cell of a rolled-up cube: population, breakdown, level, code and members.

For the ``thrive`` breakdown the level is the member's person id (or ``""``),
read as a grouping afterwards (:func:`~cypmh.metrics.frames.levels.thrive_levels`)."""


def _cube_query(
    ctx: FrameContext, base: Base, chosen: list[str], wanted: list[str], valued: set[str]
) -> tuple[Frame, dict[str, str | None]]:
    """The query of how many members of each population have each combination of levels and code.

    The populations' codes are columns of the base, unpivoted into rows, so
    the base's query runs once for all of them. For one month each family's
    cube is collected on its own: Polars' ``collect_all`` over every cube was
    tried, and at 1M referrals the whole catalogue took longer and twice the
    memory. A series on Polars, whose months share stored parts, collects a
    month's cubes together (:func:`month_rows`). :func:`_cells` rolls the
    collected cube up once per breakdown (and for the whole area), so that
    Python reads each breakdown's cells only.
    """
    in_frames = [b for b in wanted if b != "thrive"]
    codes = {
        f"p_{i}": _code(base.populations[name], valued=name in valued)
        for i, name in enumerate(chosen)
    }
    # The codes first, on the base's own columns (with_columns, not select: a code that
    # is a literal must still give one row per member); then only the columns the
    # levels need, and only rows that are members of something. That narrow frame is
    # settled, which keeps the SQL backends' queries short, and the levels joined to it.
    frame = (
        base.frame.with_columns(**codes)
        .select(*OBSERVATION, *codes)
        .filter(nw.any_horizontal(*[~nw.col(c).is_null() for c in codes], ignore_nulls=False))
    )
    frame = settle(with_levels(ctx, settle(frame), in_frames))
    index = [f"level_{b}" for b in in_frames] + (["person_id"] if "thrive" in wanted else [])
    frame = frame.select(*index, *codes)
    long = frame.unpivot(
        on=list(codes), index=index or None, variable_name="population", value_name="code"
    ).filter(~nw.col("code").is_null())
    query = long.group_by("population", *index, "code").agg(nw.len().alias("members"))
    by: dict[str, str | None] = {WHOLE_AREA: None, **{b: f"level_{b}" for b in in_frames}}
    if "thrive" in wanted:
        by["thrive"] = "person_id"
    return query, by


def _cells(cube: Any, by: dict[str, str | None], chosen: list[str]) -> list[Cell]:
    """The cells of a collected cube, rolled up for each breakdown in ``by``."""
    cells: list[Cell] = []
    for breakdown, column in by.items():
        keys = ["population", "code", *([column] if column else [])]
        rolled = cube.group_by(*keys).agg(nw.col("members").sum())
        for row in rolled.iter_rows(named=True):
            level = WHOLE_AREA if column is None else row[column]
            cells.append(
                (
                    chosen[int(str(row["population"])[2:])],
                    breakdown,
                    "" if level is None and breakdown == "thrive" else level,
                    float(row["code"]),
                    int(row["members"]),
                )
            )
    return cells


def compute_frames(
    tables: Mapping[str, Any],
    period: Period,
    *,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
    groupings: Iterable[GroupingRecord] = (),
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
    chosen, wanted = check_request(metrics, breakdowns, disclosure)
    missing = unsupported(d.id for d in chosen)
    if missing:
        raise UnsupportedMetricsError(missing)
    rows = month_rows(
        prepare_tables(tables),
        reporting_month(period),
        chosen,
        wanted,
        options=options or MetricOptions(),
        groupings=tuple(groupings),
    )
    return apply_disclosure(rows, disclosure, national=national)


def month_rows(
    prepared: PreparedTables,
    month: Month,
    chosen: Sequence[MetricDefinition],
    wanted: Sequence[str],
    *,
    options: MetricOptions,
    groupings: tuple[GroupingRecord, ...] = (),
    lasting: dict[str, Any] | None = None,
) -> list[ResultRow]:
    """One month's result rows from prepared tables, before disclosure control.

    The part of :func:`compute_frames` that depends on the month: the
    tables as at its last day, the families' queries and their cubes. A
    series (:func:`cypmh.metrics.series.compute_series`) prepares the
    tables once and calls this for each month with one ``lasting`` store,
    where the parts that do not depend on the month are kept for the next
    (:meth:`~cypmh.metrics.frames.bases.FrameContext.lasting`).
    """
    ctx = FrameContext(
        tables=Settled(as_at_tables(prepared, day_number(month.last_day))),
        month=month,
        options=options,
        whole=prepared if lasting is not None else None,
        lasting_parts=lasting,
    )
    needed: defaultdict[str, set[str]] = defaultdict(set)
    levels_of: defaultdict[str, set[str]] = defaultdict(set)
    valued = {d.population for d in chosen if d.aggregate in _OF_VALUES}
    for definition in chosen:
        needed[definition.family].add(definition.population)
        levels_of[definition.family] |= set(wanted) & set(definition.breakdowns)
        if definition.aggregate.value == "rate_ratio":
            levels_of[definition.family].add("social_care")

    summaries: dict[tuple[str, str, str], dict[str, Summary]] = {}
    together = lasting is not None and prepared.is_polars()
    queries: list[tuple[str, Frame, dict[str, str | None], list[str]]] = []
    reused: dict[str, list[Cell]] = {}
    for family, names in needed.items():
        key = _same_cells(family, month, names, levels_of[family]) if lasting is not None else None
        if key is not None and lasting is not None and key in lasting:
            reused[family] = lasting[key]
            continue
        for base in FRAME_FAMILIES[family](ctx):
            chosen_here = sorted(names & set(base.populations))
            if chosen_here:
                levels = sorted(levels_of[family])
                query, by = _cube_query(ctx, base, chosen_here, levels, valued)
                queries.append((family, query, by, chosen_here))
    if together:
        import polars as pl

        # One plan for the month's cubes: Polars runs them side by side and reads the
        # parts they share once.
        natives = pl.collect_all([query.to_native() for _, query, _, _ in queries])
        collected = [nw.from_native(native) for native in natives]
    else:
        collected = [query.collect() for _, query, _, _ in queries]
    cells_of: defaultdict[str, list[Cell]] = defaultdict(list, reused)
    for (family, _, by, chosen_here), cube in zip(queries, collected, strict=True):
        cells_of[family] += _cells(cube, by, chosen_here)
    for family, names in needed.items():
        key = _same_cells(family, month, names, levels_of[family]) if lasting is not None else None
        if key is not None and lasting is not None and family not in reused:
            lasting[key] = cells_of[family]
    for family in needed:
        levels = sorted(levels_of[family])
        rows = cells_of[family]
        thrive = (
            thrive_levels(groupings, ctx, {r[2] for r in rows if r[1] == "thrive" and r[2]})
            if "thrive" in levels
            else {}
        )
        summaries.update(_summaries(family, rows, levels, thrive))

    def groups_of(definition: MetricDefinition, breakdown: str) -> Mapping[str, Summary]:
        found = summaries.get((definition.family, definition.population, breakdown), {})
        if breakdown == WHOLE_AREA:
            return {WHOLE_AREA: found.get(WHOLE_AREA, Summary())}
        return found

    return result_rows(chosen, wanted, groups_of, month)


def _same_cells(family: str, month: Month, names: set[str], levels: set[str]) -> str | None:
    """The key under which a series keeps a family's cells for the months that share them.

    A family module may say what it reads of the month (``same_for``) and which
    breakdowns it fixes by that alone (``SAME_FOR_LEVELS``); months with the
    same answer then have the same cells. ``None``: the family reads more.
    """
    module = MODULES[family]
    same_for = getattr(module, "same_for", None)
    if same_for is None or not levels <= getattr(module, "SAME_FOR_LEVELS", frozenset()):
        return None
    return f"cells:{family}:{same_for(month)}:{sorted(names)}:{sorted(levels)}"


def _summaries(
    family: str, rows: list[Cell], levels: list[str], thrive: Mapping[str, str]
) -> dict[tuple[str, str, str], dict[str, Summary]]:
    """Roll the cells up into a summary per population, breakdown and level.

    Each group's values are counted by value and written out in order, so
    that the medians and percentiles sort values already in order.
    """
    counts: defaultdict[tuple[str, str, str], dict[str, list[Any]]] = defaultdict(dict)
    for population, breakdown, level, code, size in rows:
        value, numerator = _decode(code, f"{family}.{population}")
        if breakdown == "thrive":
            level = thrive.get(level, "") if level else UNKNOWN
        groups = counts[(family, population, breakdown)]
        group = groups.get(level)
        if group is None:
            group = groups[level] = [0, 0, Counter()]
        group[0] += size
        group[1] += size if numerator else 0
        if value is not None:
            group[2][value] += size
    return {
        key: {
            level: Summary(count=c, hits=h, values=_in_order(v))
            for level, (c, h, v) in groups.items()
        }
        for key, groups in counts.items()
    }


def _in_order(counted: Counter[float]) -> tuple[float, ...]:
    """The values counted, each as many times as it was, smallest first."""
    return tuple(chain.from_iterable(repeat(v, n) for v, n in sorted(counted.items())))
