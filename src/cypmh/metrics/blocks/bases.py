"""The dataframe engine's shared parts: base frames, populations, and the families' helpers.

Every family's :func:`frames` returns :class:`Base` objects: a frame of candidate
members with the columns of :data:`OBSERVATION`, and the populations drawn from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import narwhals as nw

from cypmh.codes import AttendanceClass, AttendStatus
from cypmh.metrics.blocks.settle import store
from cypmh.metrics.options import MetricOptions
from cypmh.periods import Month, RollingMonths
from cypmh.tables.exprs import day_number, month_id, ymd_number

__all__ = ["OBSERVATION", "AsAt", "Base", "Frame", "FrameContext", "FrameFamily", "Population"]


Frame = nw.LazyFrame[Any]
FrameFamily = list["Base"]


OBSERVATION = ("person_id", "provider_code", "age_ymd", "status_day", "school_link", "by_level")
"""The columns every base frame has (as in :class:`~cypmh.metrics.families.Observation`).

``age_ymd`` is the day the age band is taken on (``YYYYMMDD``),
``status_day`` the day of the social-care status (a day number); either
may be missing, meaning the period end. ``school_link`` fixes the member's
level of that breakdown where the family does; ``by_level`` is the member's
level of a declared KPI's own ``by`` column (:mod:`cypmh.metrics.kpis`).
"""


@attrs.frozen(kw_only=True)
class Population:
    """One population over a base frame: which rows are members, their value and numerator.

    The expressions are over the base frame's columns.
    """

    member: nw.Expr = attrs.field(factory=lambda: nw.lit(True))
    value: nw.Expr | None = None
    numerator: nw.Expr | None = None


@attrs.frozen(kw_only=True)
class Base:
    """A frame of candidate members (one row each) and the populations drawn from it.

    A family's populations are declared over as few bases as possible, so
    that each query runs once however many populations it feeds.
    """

    frame: Frame
    populations: Mapping[str, Population]


@attrs.frozen(kw_only=True)
class AsAt:
    """How a part made once for every month of a series is read as at one month's end.

    A series makes a part that does not depend on the month over the tables before the
    as-at view (:meth:`FrameContext.lasting`). Each month then reads it as the month's
    own tables would have made it: a row exists only once its ``exists`` date has
    happened, and each of ``dates`` is unknown (missing) until it happens, as
    :func:`cypmh.model.asat.as_at` reads the records. Declared with the part, it is
    applied here, once, not by each family that reads the part.
    """

    exists: str | None = None
    """The date a row exists from (a referral's receipt, a contact's day)."""
    dates: tuple[str, ...] = ()
    """The dates that are unknown until they happen (a discharge, a first contact)."""

    def view(self, part: Frame, end: int) -> Frame:
        """``part`` as at the day number ``end``."""
        if self.exists is not None:
            part = part.filter(col(self.exists) <= end)
        if self.dates:
            part = part.with_columns(
                *(nw.when(col(d) <= end).then(col(d)).alias(d) for d in self.dates)
            )
        return part


@attrs.frozen(kw_only=True)
class FrameContext:
    """The prepared tables, the reporting month and the options.

    In a series, ``whole`` holds the prepared tables before the as-at view and
    ``lasting_parts`` the parts every month shares (:meth:`lasting`);
    ``as_whole`` marks the context those parts are made in, over every month.
    """

    tables: Mapping[str, Frame]
    month: Month
    options: MetricOptions
    whole: Mapping[str, Frame] | None = None
    lasting_parts: dict[str, Frame] | None = attrs.field(default=None, eq=False, repr=False)
    as_whole: bool = False
    _kept: dict[str, Frame] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    _own: set[str] = attrs.field(factory=set, init=False, eq=False, repr=False)

    def kept(self, name: str, make: Callable[[], Frame], *, shared: bool = True) -> Frame:
        """The part ``name``, made and stored the first time it is read.

        A part that is not ``shared`` (one family's own) is let go by
        :meth:`release_own` once that family's cubes are collected.
        """
        if name not in self._kept:
            self._kept[name] = store(make())
            if not shared:
                self._own.add(name)
        return self._kept[name]

    def release_own(self) -> None:
        """Let go of the stored parts that one family made for itself (not ``shared``).

        The engine calls it after each family's cubes are collected, so that a
        month's report holds one family's own parts at a time, not every
        family's. A later family that asks for such a part again makes it again.
        """
        for name in self._own:
            self._kept.pop(name, None)
        self._own.clear()

    def lasting(
        self,
        name: str,
        make: Callable[[FrameContext], Frame],
        *,
        shared: bool = False,
        as_at: AsAt | None = None,
    ) -> Frame:
        """A part that does not depend on the month: in a series, made once for every month.

        ``make`` is given a context to build the part in. In a series
        (``whole`` and ``lasting_parts`` set) that is the prepared tables before
        the as-at view, and the part is stored in ``lasting_parts`` for the
        months after; alone, it is this month's context. So ``make`` must not
        read the month (``end``, ``window``), and the part's rows for the
        month's members must be the same either way: a family joins the part
        to its members, and reads only rows dated within their spans, which
        end by the period end.

        Alone, a part is one family's own unless ``shared`` (several families
        read it): the engine lets it go once the family's cubes are collected
        (:meth:`release_own`). A series keeps every part for its months.

        In a series, ``as_at`` (:class:`AsAt`) reads the part as at this month's end;
        alone, the part was made from the month's own tables, which are as at it already.
        """
        if self.lasting_parts is None or self.whole is None:
            return self.kept(f"lasting:{name}", lambda: make(self), shared=shared)
        part = self._lasting(name, make)
        return as_at.view(part, self.end) if as_at is not None and self.in_series else part

    def _lasting(self, name: str, make: Callable[[FrameContext], Frame]) -> Frame:
        assert self.lasting_parts is not None  # lasting() checked both
        assert self.whole is not None
        if name not in self.lasting_parts:
            whole = FrameContext(
                tables=self.whole,
                month=self.month,
                options=self.options,
                whole=self.whole,
                lasting_parts=self.lasting_parts,
                as_whole=True,
            )
            self.lasting_parts[name] = store(make(whole))
        return self.lasting_parts[name]

    @property
    def in_series(self) -> bool:
        """Whether this is one month of a series, whose lasting parts span every month."""
        return self.lasting_parts is not None and self.whole is not None and not self.as_whole

    @property
    def end(self) -> int:
        """The period end's day number."""
        return day_number(self.month.last_day)

    @property
    def end_ymd(self) -> int:
        """The period end as ``YYYYMMDD``."""
        return ymd_number(self.month.last_day)

    def window(self, months: int) -> tuple[int, int]:
        """First and last day numbers of the ``months`` months ending with the month."""
        window = RollingMonths(last=self.month, months=months)
        return day_number(window.start), day_number(window.end)

    def __getitem__(self, name: str) -> Frame:
        """A prepared table by name."""
        return self.tables[name]


def col(name: str) -> nw.Expr:
    """A column (short for :func:`narwhals.col`)."""
    return nw.col(name)


def base(
    frame: Frame,
    populations: Mapping[str, Population],
    *,
    person: nw.Expr | None,
    provider: nw.Expr | None,
    age_ymd: nw.Expr | None,
    status_day: nw.Expr | None,
    school_link: nw.Expr | None = None,
    record: nw.Expr | None = None,
    by_level: nw.Expr | None = None,
) -> Base:
    """A base over ``frame``: its rows with the :data:`OBSERVATION` columns added.

    ``record`` identifies each row's record for drill-down (``record``,
    :mod:`cypmh.metrics.drilldown`); the cubes never read it.
    """
    pandas = frame.implementation.is_pandas()

    def typed(expr: nw.Expr | None, dtype: Any) -> nw.Expr:
        if expr is None and pandas and dtype == nw.Int64:
            # pandas makes a missing whole-number literal a numpy integer and fails:
            # a missing float compares and joins the same.
            return nw.lit(None, dtype=nw.Float64)
        return (nw.lit(None, dtype=dtype) if expr is None else expr).cast(dtype)

    def key(expr: nw.Expr | None) -> nw.Expr:
        # An id keeps its type: text, or a whole number where the ids are coded
        # (cypmh.tables.coded); the levels join it to the tables' own ids.
        return nw.lit(None, dtype=nw.String) if expr is None else expr

    standard = frame.with_columns(
        key(person).alias("person_id"),
        typed(provider, nw.String).alias("provider_code"),
        typed(age_ymd, nw.Int64).alias("age_ymd"),
        typed(status_day, nw.Int64).alias("status_day"),
        typed(school_link, nw.String).alias("school_link"),
        typed(by_level, nw.String).alias("by_level"),
        key(record).alias("record"),
    )
    return Base(frame=standard, populations=populations)


def of_referral(frame: Frame, populations: Mapping[str, Population], **fields: nw.Expr) -> Base:
    """A base of referrals: age and status on the day received, unless given."""
    fields.setdefault("age_ymd", col("received_date_ymd"))
    fields.setdefault("status_day", col("received_date"))
    fields.setdefault("record", col("referral_id"))
    return base(
        frame, populations, person=col("person_id"), provider=col("provider_code"), **fields
    )


def attend_codes(*classes: AttendanceClass) -> list[str]:
    return list(AttendStatus.codes_of(*classes))


def counted_contacts(ctx: FrameContext) -> Frame:
    """Every contact, with ``counted`` (:meth:`~cypmh.pathways.ContactRule.counts_frame`), stored.

    Access, first-contact waits, four-week waits and outcomes all read it,
    so the rule is worked out once per computation, over every contact (in a
    series, once for every month, each month keeping the contacts up to its
    end). Each reader joins it to the month's referrals, so a contact whose
    referral does not exist yet is never read.
    """

    def make(whole: FrameContext) -> Frame:
        providers = whole["referrals"].select("referral_id", "provider_code")
        # The month first, as a column: the rule reads it once for each code's dates.
        return (
            contacts(whole)
            .join(providers, on="referral_id", how="left")
            .with_columns(month_id(col("date_ymd")).alias("month"))
            .select(
                "contact_id",
                "referral_id",
                "date",
                "date_ymd",
                whole.options.contact_rule.counts_frame(col("month")).alias("counted"),
            )
        )

    return ctx.lasting("counted_contacts", make, shared=True, as_at=AsAt(exists="date"))


def contacts(ctx: FrameContext) -> Frame:
    return ctx["contacts"].select(
        "contact_id", "referral_id", "date", "date_ymd", "attend_status", "consultation_mechanism"
    )


def referral_end() -> nw.Expr:
    """As :attr:`cypmh.model.Referral.end_date`: discharge, else rejection, else closure."""
    return nw.coalesce(col("discharge_date"), col("rejection_date"), col("closure_date"))
