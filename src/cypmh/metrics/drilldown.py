"""Drill-down: the members behind one published value, on either engine.

A metric's value is an aggregate over the members of one population of its
family (:mod:`cypmh.metrics.families`). :func:`members` lists those members
for one metric, period and (optionally) breakdown level, from the same
family code that computes the value, so the list and the number cannot
disagree: the count of a COUNT metric is the number of members, a
percentage's numerator the members with ``numerator`` true, a median is
taken over their ``value``. :func:`members_frames` does the same on the
dataframe engine's tables, and the two give the same members.

The output is record-level and identifiable (person and referral ids from
the input). It is for the people who already hold those records, to
reconcile a KPI with them; it is never part of a report.

>>> from cypmh.synth.examples import example_area
>>> found = members(example_area(), "REJ01a", "2025-03")
>>> [(m.record_kind, m.record, m.numerator) for m in found]
[('referral', 'R005', False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import MetricDefinition, definitions, with_declared
from cypmh.metrics.families import Context, MetricOptions, Observation
from cypmh.metrics.joint import needs_deprivation
from cypmh.metrics.kpis.family import ALL_FAMILIES, ALL_FRAME_FAMILIES, ALL_MODULES
from cypmh.metrics.levels import level_reader
from cypmh.metrics.request import Period, check_request, reporting_month, run_id
from cypmh.metrics.results import Aggregate
from cypmh.metrics.table import level_label
from cypmh.model import Area
from cypmh.model.asat import as_at
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext
    from cypmh.metrics.frames.engine import PreparedTables

__all__ = [
    "MEMBER_COLUMNS",
    "Member",
    "members",
    "members_frames",
    "record_kind",
]


def record_kind(family: str, population: str) -> str:
    """What the members of ``family``'s ``population`` are records of (its ``FAMILY``).

    ``referral`` (its id), ``spell`` (``person/provider/start``, unique
    where ``provider/start`` alone is not), ``contact``, ``period of care``
    (``person/start``), ``school`` (URN) or ``person``. MHS95's members are
    children, each listed under the referral of their first counted contact.

    >>> record_kind("rejections", "received_month"), record_kind("four_week_waits", "closed")
    ('referral', 'spell')
    """
    module = ALL_MODULES.get(family)
    # NEED01's "need" is no family with members of its own: it reads the population file.
    return module.FAMILY.record_kind(population) if module is not None else "referral"


REFERRAL_DATES = ("received_date", "rejection_date", "closure_date", "discharge_date")
"""The dates of a referral member that are listed with it (as recorded by the period end)."""


@attrs.frozen(kw_only=True)
class Member:
    """One member of a metric's population for one period.

    ``age_date`` and ``status_date`` are the days its age band and
    social-care status are taken on; ``value`` is what a median or mean is
    taken over (days waited, a score), ``numerator`` whether a percentage
    counts it; ``levels`` are its level of each of the metric's breakdowns,
    and ``dates`` a referral's own dates as recorded by the period end.
    """

    metric_id: str
    record_kind: str
    record: str
    person_id: str | None
    provider_code: str | None
    age_date: date
    status_date: date
    value: float | None
    numerator: bool
    levels: tuple[tuple[str, str], ...]
    dates: tuple[tuple[str, date | None], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The member as one flat row (:data:`MEMBER_COLUMNS`, then a column per breakdown)."""
        row: dict[str, Any] = {
            "metric_id": self.metric_id,
            "record_kind": self.record_kind,
            "record": self.record,
            "person_id": self.person_id,
            "provider_code": self.provider_code,
            "age_date": self.age_date.isoformat(),
            "status_date": self.status_date.isoformat(),
            "value": self.value,
            "numerator": self.numerator,
        }
        for name, day in self.dates:
            row[name] = day.isoformat() if day is not None else None
        for name, level in self.levels:
            row[f"level_{name}"] = level
        return row


MEMBER_COLUMNS = (
    "metric_id",
    "record_kind",
    "record",
    "person_id",
    "provider_code",
    "age_date",
    "status_date",
    "value",
    "numerator",
)
"""The first columns of :meth:`Member.as_dict`; referral dates and ``level_<breakdown>`` follow."""


@attrs.frozen(kw_only=True)
class _Request:
    definition: MetricDefinition
    month: Month
    options: MetricOptions
    breakdown: str | None
    level: str | None

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """The breakdowns each member's levels are read in: the IMD ones need a file."""
        if self.options.deprivation:
            return self.definition.breakdowns
        return tuple(b for b in self.definition.breakdowns if not needs_deprivation(b))


def member_request(
    metric_id: str,
    period: Period,
    breakdown: str | None,
    level: str | None,
    options: MetricOptions | None,
) -> _Request:
    options = options or MetricOptions()
    # With direct_contacts_only, MRS08 is WAIT08, as the report says.
    metric_id = run_id(metric_id, options.direct_contacts_only)
    definition = definitions().get(metric_id)
    if definition is None:
        raise InvalidValueError("members", "metric", metric_id, "is not in the catalogue")
    if definition.aggregate is Aggregate.EXPECTED:
        raise InvalidValueError(
            "members",
            "metric",
            metric_id,
            "is an estimate from the population alone and has no members",
        )
    if (breakdown is None) != (level is None):
        raise InvalidValueError(
            "members", "level", level, "needs a breakdown, and a breakdown needs a level"
        )
    check_request(
        [metric_id],
        [breakdown] if breakdown else [],
        "none",
        population=True,  # membership never reads the population
        population_groups=True,
    )
    if breakdown is not None and needs_deprivation(breakdown) and not options.deprivation:
        raise InvalidValueError(
            "members",
            "breakdown",
            breakdown,
            "the IMD breakdowns need a deprivation file: pass "
            "options=MetricOptions(deprivation=cypmh.read_deprivation(...))",
        )
    if breakdown is not None and breakdown not in definition.breakdowns:
        raise InvalidValueError(
            "members",
            "breakdown",
            breakdown,
            f"is not a breakdown of {metric_id} "
            f"(it has {', '.join(definition.breakdowns) or 'none'})",
        )
    return _Request(
        definition=definition,
        month=reporting_month(period),
        options=options,
        breakdown=breakdown,
        level=level,
    )


def _chosen(found: Iterable[Member], request: _Request) -> list[Member]:
    """The members at the requested level (a code or its label), in record order."""
    kept = []
    for member in found:
        if request.breakdown is not None:
            mine = dict(member.levels)[request.breakdown]
            if request.level not in (mine, level_label(request.breakdown, mine)):
                continue
        kept.append(member)
    return sorted(kept, key=lambda m: (m.record, m.person_id or "", m.age_date))


@with_declared
def members(
    area: Area,
    metric_id: str,
    period: Period,
    *,
    breakdown: str | None = None,
    level: str | None = None,
    options: MetricOptions | None = None,
) -> list[Member]:
    """The members behind ``metric_id``'s value for ``period`` (reference engine).

    ``period`` is read as :func:`cypmh.metrics.compute` reads it. With
    ``breakdown`` and ``level`` (a level's code or label, for example
    ``breakdown="sex", level="Female"``), only the members at that level.
    ``options`` are :func:`~cypmh.metrics.compute`'s.
    NEED01, an estimate, has no members; an unknown metric or breakdown is an
    :class:`~cypmh.errors.InvalidValueError`.
    """
    request = member_request(metric_id, period, breakdown, level, options)
    definition = request.definition
    ctx = Context(
        area=as_at(area, request.month.last_day),
        month=request.month,
        options=request.options,
    )
    observations: Sequence[Observation] = ALL_FAMILIES[definition.family](ctx)[
        definition.population_for(request.breakdown)
    ]
    readers = {name: level_reader(ctx, name) for name in request.breakdowns}
    kind = definition.record_kind
    end = request.month.last_day
    found = []
    for obs in observations:
        dates: tuple[tuple[str, date | None], ...] = ()
        if kind == "referral" and obs.record is not None:
            referral = ctx.area.referral(obs.record)
            dates = tuple((name, getattr(referral, name)) for name in REFERRAL_DATES)
        found.append(
            Member(
                metric_id=metric_id,
                record_kind=kind,
                record=obs.record or "",
                person_id=obs.person_id,
                provider_code=obs.provider_code,
                age_date=obs.age_date or end,
                status_date=obs.status_date or end,
                value=None if obs.value is None else float(obs.value),
                numerator=bool(obs.numerator),
                levels=tuple((name, read(obs)) for name, read in readers.items()),
                dates=dates,
            )
        )
    return _chosen(found, request)


@with_declared
def members_frames(
    tables: Mapping[str, Any] | PreparedTables,
    metric_id: str,
    period: Period,
    *,
    breakdown: str | None = None,
    level: str | None = None,
    options: MetricOptions | None = None,
) -> list[Member]:
    """:func:`members` on the dataframe engine's tables (:func:`~cypmh.metrics.compute_frames`'s).

    The family's query is run as for the value, but its members are
    collected instead of counted: for one metric and month this is a small
    table, and it gives the same members as :func:`members`.
    """
    # Imported here: an optional extra.
    import narwhals as nw

    from cypmh.metrics.blocks.bases import OBSERVATION
    from cypmh.metrics.blocks.settle import settle
    from cypmh.metrics.levels import with_levels
    from cypmh.tables.exprs import EPOCH

    request = member_request(metric_id, period, breakdown, level, options)
    definition = request.definition
    month = request.month
    ctx = month_frames(tables, month, request.options)
    in_frames = list(request.breakdowns)
    rows: list[dict[str, Any]] = []
    for base in ALL_FRAME_FAMILIES[definition.family](ctx):
        population = base.populations.get(definition.population_for(request.breakdown))
        if population is None:
            continue
        value = nw.lit(None, dtype=nw.Float64) if population.value is None else population.value
        numerator = nw.lit(False) if population.numerator is None else population.numerator
        frame = (
            base.frame.with_columns(
                population.member.fill_null(False).alias("m_member"),
                value.cast(nw.Float64).alias("m_value"),
                numerator.fill_null(False).cast(nw.Boolean).alias("m_numerator"),
            )
            .select(*OBSERVATION, "record", "m_member", "m_value", "m_numerator")
            .filter(nw.col("m_member"))
        )
        frame = with_levels(ctx, settle(frame), in_frames)
        levels = [f"level_{name}" for name in in_frames]
        columns = [*OBSERVATION, "record", "m_value", "m_numerator", *levels]
        rows += list(frame.select(*columns).collect().iter_rows(named=True))
    kind = definition.record_kind
    dates_of = _referral_dates(ctx, {str(r["record"]) for r in rows}) if kind == "referral" else {}
    end = month.last_day

    def day_of_number(value: Any) -> date:
        number = _given(value)
        return end if number is None else EPOCH + timedelta(days=int(number))

    found = []
    for native in rows:
        row = {key: _given(cell) for key, cell in native.items()}
        levels_here = [(name, str(row[f"level_{name}"])) for name in in_frames]
        value = row["m_value"]
        found.append(
            Member(
                metric_id=metric_id,
                record_kind=kind,
                record=row["record"] or "",
                person_id=row["person_id"],
                provider_code=row["provider_code"],
                age_date=_ymd_date(row["age_ymd"]) or end,
                status_date=day_of_number(row["status_day"]),
                value=None if value is None else float(value),
                numerator=bool(row["m_numerator"]),
                levels=tuple(levels_here),
                dates=dates_of.get(row["record"], ()),
            )
        )
    return _chosen(found, request)


def month_frames(
    tables: Mapping[str, Any] | PreparedTables, month: Month, options: MetricOptions
) -> FrameContext:
    """The dataframe engine's context for ``month``: the tables prepared, as at its last day."""
    # Imported here: the dataframe engine needs the frames extra (narwhals).
    from cypmh.metrics.blocks.bases import FrameContext
    from cypmh.metrics.blocks.settle import Settled
    from cypmh.metrics.frames.engine import PreparedTables, prepare_tables
    from cypmh.model.asat import as_at_tables
    from cypmh.tables.exprs import day_number

    prepared = tables if isinstance(tables, PreparedTables) else prepare_tables(tables)
    return FrameContext(
        tables=Settled(as_at_tables(prepared, day_number(month.last_day))),
        month=month,
        options=options,
    )


def _referral_dates(ctx: Any, ids: set[str]) -> dict[str, tuple[tuple[str, date | None], ...]]:
    """Each referral's :data:`REFERRAL_DATES` as recorded by the period end, from the tables."""
    wanted = [f"{name}_ymd" for name in REFERRAL_DATES]
    table = ctx["referrals"].select("referral_id", *wanted).collect()
    out = {}
    for row in table.iter_rows(named=True):
        if row["referral_id"] not in ids:
            continue
        out[row["referral_id"]] = tuple(
            (name, _ymd_date(row[f"{name}_ymd"])) for name in REFERRAL_DATES
        )
    return out


def _given(value: Any) -> Any:
    """``value``, or ``None`` where a backend gives a missing value (``None``, NaN, ``pd.NA``)."""
    if value is None:
        return None
    try:
        return None if bool(value != value) else value
    except TypeError:  # pandas' NA has no truth value
        return None


def _ymd_date(value: Any) -> date | None:
    ymd = _given(value)
    if ymd is None:
        return None
    number = int(ymd)
    return date(number // 10000, number // 100 % 100, number % 100)
