"""The area as it stood at the end of a day: the one view every metric of both engines reads.

An extract is always taken some time after the period it reports on, so it
holds events the period's numbers must not see. For period P, an event dated
after P's last day has not happened yet. :func:`as_at` applies that rule to an
:class:`~cypmh.model.Area` (the reference engine) and :func:`as_at_tables` to
the dataframe engine's prepared tables, in the same terms:

- contacts (and their care activities), indirect activity, coded assessments,
  wellbeing assessments, assessment factors and dated SDQs dated after the day
  do not exist (an SDQ return with no date, the SSDA903 OC2 one, is kept);
- a referral received after the day does not exist; a discharge, rejection or
  closure dated after it is missing (a rejection's or closure's reason goes
  with its date);
- a care plan created after the day does not exist; a last update dated after
  it is unknown, so the plan has no last update; an agreement dated after it
  is not an agreement (an agreement with no date is kept);
- a care episode, social-work involvement or school link contact that starts
  after the day does not exist, and one that ends after it is still open (an
  episode's reason for ending goes with its end).

A school is kept whatever its dates (children and link contacts refer to
it); a closing date after the day is unknown. Children and services carry
no event date and are kept as they are. No metric makes an
exception to the view; a metric page says so where its definition reads a
date in another way (MHS95 takes the age of an
indirect activity's child on the last day of the activity's month, which is
never after the period end).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cypmh.model.area import Area

if TYPE_CHECKING:
    import narwhals as nw

__all__ = ["AS_AT_RULES", "as_at", "as_at_tables"]

T = TypeVar("T")

AS_AT_RULES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "referrals": (("received_date",), ("rejection_date", "closure_date", "discharge_date")),
    "contacts": (("date",), ()),
    "indirect_activities": (("date",), ()),
    "assessments": (("date",), ()),
    "wellbeing_assessments": (("date",), ()),
    "assessment_factors": (("date",), ()),
    "sdq_returns": (("date",), ()),
    "care_plans": (("created",), ("last_updated",)),
    "care_episodes": (("start",), ("end",)),
    "social_work": (("start",), ("end",)),
    "link_contacts": (("start",), ("end",)),
    "groupings": (("from_date",), ()),
    "schools": ((), ("close_date",)),
}
"""For each table: the dates after which a record does not exist yet, and the dates that
are missing when they fall after the day. A record without the first kind of date (an
undated SDQ return) is kept. Care plan agreements and contact procedures follow their own
rules (see :func:`as_at_tables`)."""

_GOES_WITH = {"rejection_date": "rejection_reason", "closure_date": "closure_reason"}
"""A reason that is missing when its date is (the reference model's records)."""

_GOES_WITH_RECORD = {**_GOES_WITH, "end": "reason_ceased"}


def _record_as_at(record: T, day: date, starts: tuple[str, ...], ends: tuple[str, ...]) -> T | None:
    if any((value := getattr(record, name)) is not None and value > day for name in starts):
        return None
    changes: dict[str, Any] = {}
    for name in ends:
        value = getattr(record, name)
        if value is not None and value > day:
            changes[name] = None
            reason = _GOES_WITH_RECORD.get(name)
            if reason is not None and hasattr(record, reason):
                changes[reason] = None
    return attrs.evolve(record, **changes) if changes else record  # type: ignore[misc]


def _kept(records: Iterable[T], day: date, table: str) -> tuple[T, ...]:
    starts, ends = AS_AT_RULES[table]
    out = []
    for record in records:
        seen = _record_as_at(record, day, starts, ends)
        if seen is not None:
            out.append(seen)
    return tuple(out)


def as_at(area: Area, day: date) -> Area:
    """``area`` as it stood at the end of ``day`` (the module's rules).

    >>> from datetime import date
    >>> from cypmh.synth.examples import example_area
    >>> area = example_area()
    >>> len(area.contacts), len(as_at(area, date(2024, 12, 31)).contacts)
    (8, 5)
    """
    plans = []
    for plan in _kept(area.care_plans, day, "care_plans"):
        agreements = tuple(a for a in plan.agreements if a is None or a <= day)
        plans.append(
            plan if agreements == plan.agreements else attrs.evolve(plan, agreements=agreements)
        )
    tables: dict[str, Any] = {
        name: _kept(getattr(area, name), day, name) for name in AS_AT_RULES if name != "care_plans"
    }
    return attrs.evolve(area, care_plans=tuple(plans), **tables)


# The dataframe engine's tables: date columns are day numbers, with a ``<name>_ymd`` twin.


class AsAtTables(Mapping[str, "nw.LazyFrame[Any]"]):
    """Prepared tables as at a day: each table's view made the first time it is asked for."""

    def __init__(self, tables: Mapping[str, nw.LazyFrame[Any]], day: int) -> None:
        self._tables = tables
        self._day = day
        self._seen: dict[str, nw.LazyFrame[Any]] = {}

    def __getitem__(self, name: str) -> nw.LazyFrame[Any]:
        if name not in self._seen:
            self._seen[name] = _table_as_at(name, self._tables[name], self._day, self._tables)
        return self._seen[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def as_at_tables(
    tables: Mapping[str, nw.LazyFrame[Any]], day: int
) -> Mapping[str, nw.LazyFrame[Any]]:
    """The dataframe engine's prepared tables as at the end of day number ``day``.

    The same rules as :func:`as_at`, over the prepared tables of
    :func:`~cypmh.metrics.frames.engine.prepare_tables` (every date a day
    number, with its ``_ymd`` twin). Agreements dated after the day are
    dropped; contact procedures are kept only for contacts that exist.
    """
    return AsAtTables(tables, day)


def _table_as_at(
    name: str,
    frame: nw.LazyFrame[Any],
    day: int,
    tables: Mapping[str, nw.LazyFrame[Any]],
) -> nw.LazyFrame[Any]:
    # Imported here: an optional extra.
    import narwhals as nw

    if name == "care_plan_agreements":
        return frame.filter(nw.col("date").is_null() | (nw.col("date") <= day))
    if name == "contact_procedures":
        alive = _table_as_at("contacts", tables["contacts"], day, tables).select("contact_id")
        return frame.join(alive.unique(), on="contact_id", how="inner")
    if name not in AS_AT_RULES:
        return frame
    starts, ends = AS_AT_RULES[name]
    seen = frame.filter(*[(nw.col(s) <= day).fill_null(True) for s in starts]) if starts else frame
    schema = frame.collect_schema()
    missing: list[nw.Expr] = []
    for column in ends:
        known = (nw.col(column) <= day).fill_null(False)
        together = [column, f"{column}_ymd", _GOES_WITH.get(column, "")]
        missing += [nw.when(known).then(nw.col(c)).alias(c) for c in together if c in schema]
    return seen.with_columns(*missing) if missing else seen
