"""The dataframe engine's cubes: each population's members counted by level and code.

A family's base frame gives each member's populations as codes (value and
numerator in one number, :func:`population_code`); a cube counts the members of each
population by breakdown level and code, and is collected, which is all the
engine ever brings out of a backend. :func:`cells` rolls it up per breakdown
and :func:`summarise` turns the cells into the :class:`~cypmh.metrics.groups.Summary`
of each population, breakdown and level that both engines finish the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import chain, repeat
from typing import Any

import narwhals as nw

from cypmh.metrics.blocks.bases import OBSERVATION, Base, FrameContext, Population
from cypmh.metrics.blocks.settle import settle, store
from cypmh.metrics.groups import Summary
from cypmh.metrics.joint import joint_parts, joint_separator
from cypmh.metrics.levels import REFERRAL_CODES, with_levels
from cypmh.metrics.results import WHOLE_AREA, Aggregate

__all__ = ["OF_VALUES", "Cell", "cells", "cube_query", "decode", "population_code", "summarise"]

Frame = nw.LazyFrame[Any]


def population_code(population: Population, *, valued: bool = True) -> nw.Expr:
    """A member's value and numerator as one number: ``4 * value + 2 * (no value) + numerator``.

    Every value of the supported families is a whole number of days (or a
    score), so the code is exact in a 64-bit float; :func:`decode` checks
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


def decode(code: float, where: str) -> tuple[float | None, bool]:
    """A cell's value (``None`` for none) and numerator, from its code."""
    rest = code % 4
    if rest not in (0.0, 1.0, 2.0, 3.0):
        raise RuntimeError(f"{where}: a value that is not a whole number reached the cube")
    value = (code - rest) / 4
    return (None if rest >= 2 else value), rest in (1.0, 3.0)


OF_VALUES = (
    Aggregate.MEDIAN,
    Aggregate.PERCENTILE_90,
    Aggregate.MEAN,
    Aggregate.WEIGHTED_PERCENTAGE,
)
"""The aggregates that read the members' values, not only their number and numerator."""

Cell = tuple[str, str, str, float, int]
"""One cell of a rolled-up cube: population, breakdown, level, code and members."""


def cube_query(
    ctx: FrameContext, base: Base, chosen: list[str], wanted: list[str], valued: set[str]
) -> tuple[Frame, dict[str, str | tuple[str, ...] | None]]:
    """The query of how many members of each population have each combination of levels and code.

    The populations' codes are columns of the base, unpivoted into rows, so
    the base's query runs once for all of them. For one month each family's
    cube is collected on its own: Polars' ``collect_all`` over every cube was
    tried, and at 1M referrals the whole catalogue took longer and twice the
    memory. A series on Polars, whose months share stored parts, collects a
    month's cubes together (:func:`~cypmh.metrics.frames.engine.month_rows`).
    :func:`cells` rolls the collected cube up once per breakdown (and for the
    whole area), so that Python reads each breakdown's cells only.
    """
    codes = {
        f"p_{i}": population_code(base.populations[name], valued=name in valued)
        for i, name in enumerate(chosen)
    }
    # The codes first, on the base's own columns (with_columns, not select: a code that
    # is a literal must still give one row per member); then only the columns the
    # levels need, and only rows that are members of something. That narrow frame is
    # settled, which keeps the SQL backends' queries short, and the levels joined to it.
    # A referral's own codes are read through the member's record (its referral id).
    # A joint breakdown (a level crossed with age band and gender) is rolled up from its
    # parts' columns: the parts are counted, the joint one has no column of its own.
    joints = {name: parts for name in wanted if (parts := joint_parts(name)) is not None}
    wanted = list(
        dict.fromkeys(
            [name for name in wanted if name not in joints]
            + [part for parts in joints.values() for part in parts]
        )
    )
    record = ["record"] if set(wanted) & set(REFERRAL_CODES) else []
    frame = (
        base.frame.with_columns(**codes)
        .select(*OBSERVATION, *record, *codes)
        .filter(nw.any_horizontal(*[~nw.col(c).is_null() for c in codes], ignore_nulls=False))
    )
    # Stored (on Polars, collected) before the levels: the social-care status reads the
    # members twice (their keys, then the join), and the base's query must not run twice.
    frame = settle(with_levels(ctx, store(frame) if wanted else frame, wanted))
    index = [f"level_{b}" for b in wanted]
    frame = frame.select(*index, *codes)
    long = frame.unpivot(
        on=list(codes), index=index or None, variable_name="population", value_name="code"
    ).filter(~nw.col("code").is_null())
    query = long.group_by("population", *index, "code").agg(nw.len().alias("members"))
    by: dict[str, str | tuple[str, ...] | None] = {
        WHOLE_AREA: None,
        **{b: f"level_{b}" for b in wanted},
        **{name: tuple(f"level_{p}" for p in parts) for name, parts in joints.items()},
    }
    return query, by


def cells(cube: Any, by: dict[str, str | tuple[str, ...] | None], chosen: list[str]) -> list[Cell]:
    """The cells of a collected cube, rolled up for each breakdown in ``by``.

    A joint breakdown's level is its parts' levels joined by
    :func:`~cypmh.metrics.joint.joint_separator`, as the reference engine reads it.
    """
    cells: list[Cell] = []
    for breakdown, column in by.items():
        columns = [] if column is None else [column] if isinstance(column, str) else list(column)
        keys = ["population", "code", *columns]
        rolled = cube.group_by(*keys).agg(nw.col("members").sum())
        for row in rolled.iter_rows(named=True):
            if column is None:
                level = WHOLE_AREA
            elif isinstance(column, str):
                level = row[column]
            else:
                level = joint_separator(breakdown).join(str(row[c]) for c in columns)
            cells.append(
                (
                    chosen[int(str(row["population"])[2:])],
                    breakdown,
                    level,
                    float(row["code"]),
                    int(row["members"]),
                )
            )
    return cells


def summarise(family: str, rows: list[Cell]) -> dict[tuple[str, str, str], dict[str, Summary]]:
    """Roll the cells up into a summary per population, breakdown and level.

    Each group's values are counted by value and written out in order, so
    that the medians and percentiles sort values already in order.
    """
    counts: defaultdict[tuple[str, str, str], dict[str, list[Any]]] = defaultdict(dict)
    for population, breakdown, level, code, size in rows:
        value, numerator = decode(code, f"{family}.{population}")
        groups = counts[(family, population, breakdown)]
        group = groups.get(level)
        if group is None:
            group = groups[level] = [0, 0, Counter(), 0.0]
        group[0] += size
        group[1] += size if numerator else 0
        if value is not None:
            group[2][value] += size
            group[3] += value * size if numerator else 0.0
    return {
        key: {
            level: Summary(
                count=c,
                hits=h,
                values=_in_order(v),
                weight=float(sum(value * n for value, n in v.items())),
                hit_weight=w,
            )
            for level, (c, h, v, w) in groups.items()
        }
        for key, groups in counts.items()
    }


def _in_order(counted: Counter[float]) -> tuple[float, ...]:
    """The values counted, each as many times as it was, smallest first."""
    return tuple(chain.from_iterable(repeat(v, n) for v, n in sorted(counted.items())))
