"""Groupings over time.

A child's grouping episodes, counts on a date, flows between dates, and which
groupings each service offers.

Groupings are not in MHSDS, so they come as records a service keeps
(:class:`~cypmh.model.groupings.GroupingRecord`, on the area): the grouping,
the date it applies from, and whether it was agreed with the child and family
or only suggested.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.codes.groupings import Grouping
from cypmh.errors import InvalidValueError
from cypmh.model import _rules as r
from cypmh.model.groupings import (
    GroupingRecord,
    GroupingSource,
    effective_records,
    grouping_in_force,
)

if TYPE_CHECKING:
    from cypmh.model import Area

__all__ = [
    "FlowMatrix",
    "GroupingEpisode",
    "ServiceOffer",
    "children_with_open_referral",
    "distribution",
    "flow_matrix",
    "grouping_episodes",
    "grouping_in_force",
    "grouping_level",
    "grouping_levels",
    "grouping_on",
    "level_of",
    "services_offering",
]


@attrs.frozen(kw_only=True)
class GroupingEpisode:
    """A stretch of time in one grouping: from ``start`` to ``end`` (``None``: still current)."""

    person_id: str
    grouping: Grouping
    start: date
    end: date | None
    source: GroupingSource


def grouping_episodes(
    records: Iterable[GroupingRecord], person_id: str
) -> tuple[GroupingEpisode, ...]:
    """The child's grouping episodes in date order.

    Each record starts an episode that ends the day before the next record. An
    agreed grouping always wins over a suggested one: once a child has an agreed
    grouping, later suggestions do not take effect. Two different groupings from
    the same source on one day are an error. Consecutive
    records of the same grouping and source make one episode.
    """
    effective = effective_records(records, person_id)
    episodes: list[GroupingEpisode] = []
    for index, record in enumerate(effective):
        following = effective[index + 1] if index + 1 < len(effective) else None
        end = following.from_date - timedelta(days=1) if following else None
        last = episodes[-1] if episodes else None
        if last is not None and (last.grouping, last.source) == (record.grouping, record.source):
            episodes[-1] = attrs.evolve(last, end=end)
        else:
            episodes.append(
                GroupingEpisode(
                    person_id=person_id,
                    grouping=record.grouping,
                    start=record.from_date,
                    end=end,
                    source=record.source,
                )
            )
    return tuple(episodes)


def grouping_on(records: Iterable[GroupingRecord], person_id: str, on: date) -> Grouping | None:
    """The child's grouping on ``on`` (:func:`grouping_in_force`), agreed or suggested."""
    record = grouping_in_force(records, person_id, on)
    return record.grouping if record is not None else None


SUGGESTED_LEVEL = "{label} (suggested)"
"""The level of a suggested grouping in the ``thrive`` breakdown, apart from agreed ones."""

NO_GROUPING = "Not recorded"
"""The level of a child with no grouping in force."""


def grouping_level(record: GroupingRecord | None) -> str:
    """The ``thrive`` breakdown's level for a grouping in force: suggestions are counted apart.

    >>> from datetime import date
    >>> suggested = GroupingRecord(person_id="P1", grouping=Grouping.GETTING_HELP,
    ...     from_date=date(2025, 1, 6), source=GroupingSource.SUGGESTED)
    >>> grouping_level(suggested), grouping_level(None)
    ('Getting Help (suggested)', 'Not recorded')
    """
    return NO_GROUPING if record is None else level_of(record.grouping, record.source)


def level_of(grouping: Grouping, source: GroupingSource) -> str:
    """The ``thrive`` breakdown's level of ``grouping`` from ``source``."""
    if source is GroupingSource.SUGGESTED:
        return SUGGESTED_LEVEL.format(label=grouping.label)
    return grouping.label


def grouping_levels() -> tuple[str, ...]:
    """Every level of the ``thrive`` breakdown in order: agreed, suggested, none."""
    return (
        *(level_of(g, source) for source in GroupingSource for g in Grouping),
        NO_GROUPING,
    )


def children_with_open_referral(area: Area, on: date) -> frozenset[str]:
    """Children with a referral received by ``on`` and not ended by then.

    A referral rejected, closed or discharged on or before ``on`` has ended, whichever of
    its end dates comes first: the same rule as a journey's states
    (:meth:`cypmh.pathways.Journey.state_on`) and as THR01's clause
    (``cypmh.metrics.families.thrive.NOT_ENDED``, over the records as at ``on``);
    ``tests/property/test_twins.py`` holds the three equal.
    """
    return frozenset(
        ref.person_id
        for ref in area.referrals
        if ref.received_date <= on
        and all(
            end is None or on < end
            for end in (ref.discharge_date, ref.rejection_date, ref.closure_date)
        )
    )


def distribution(
    area: Area,
    records: Iterable[GroupingRecord],
    on: date,
    *,
    children: Iterable[str] | None = None,
) -> dict[Grouping | None, int]:
    """How many children with an open referral on ``on`` are in each grouping.

    ``None`` counts children with no grouping recorded by then. ``children``
    restricts the count to those ids (they must have an open referral too).
    """
    records = tuple(records)
    present = children_with_open_referral(area, on)
    if children is not None:
        present &= frozenset(children)
    return dict(Counter(grouping_on(records, pid, on) for pid in sorted(present)))


@attrs.frozen(kw_only=True)
class FlowMatrix:
    """How children with an open referral on both dates moved between groupings.

    ``counts[(a, b)]`` is the number in ``a`` on the first date and ``b`` on the
    second (``None``: no grouping recorded). ``children`` are the children
    counted.
    """

    first: date
    second: date
    children: frozenset[str]
    counts: Mapping[tuple[Grouping | None, Grouping | None], int]

    def row_total(self, grouping: Grouping | None) -> int:
        """Children in ``grouping`` on the first date."""
        return sum(n for (a, _), n in self.counts.items() if a == grouping)

    def column_total(self, grouping: Grouping | None) -> int:
        """Children in ``grouping`` on the second date."""
        return sum(n for (_, b), n in self.counts.items() if b == grouping)


def flow_matrix(
    area: Area, records: Iterable[GroupingRecord], first: date, second: date
) -> FlowMatrix:
    """Movements between groupings from ``first`` to ``second`` (``first`` must not be later)."""
    if second < first:
        raise InvalidValueError(
            "flow_matrix", "second", second, f"must not be before first ({first})"
        )
    records = tuple(records)
    both = children_with_open_referral(area, first) & children_with_open_referral(area, second)
    counts: defaultdict[tuple[Grouping | None, Grouping | None], int] = defaultdict(int)
    for pid in both:
        counts[(grouping_on(records, pid, first), grouping_on(records, pid, second))] += 1
    return FlowMatrix(first=first, second=second, children=both, counts=dict(counts))


def _groupings(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, frozenset)
        or not value
        or not all(isinstance(g, Grouping) for g in value)
    ):
        raise InvalidValueError(
            "ServiceOffer", attribute.name, value, "must be a non-empty frozenset of Groupings"
        )


@attrs.frozen(kw_only=True)
class ServiceOffer:
    """The groupings a service (a provider's team) offers help for."""

    provider_code: str = attrs.field(validator=r.ODS_CODE)
    team_id: str = attrs.field(validator=r.IDENTIFIER)
    groupings: frozenset[Grouping] = attrs.field(validator=_groupings)


def services_offering(
    offers: Iterable[ServiceOffer], grouping: Grouping
) -> tuple[tuple[str, str], ...]:
    """The (provider, team) of every service that offers ``grouping``, sorted."""
    return tuple(sorted((o.provider_code, o.team_id) for o in offers if grouping in o.groupings))
