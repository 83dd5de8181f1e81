"""THRIVE grouping records: a child's grouping from a date on, agreed or suggested.

Groupings are not in MHSDS. A service records them beside it (the extract's
``thrive.csv``), or a local policy suggests them from Current View assessments
(:func:`cypmh.thrive.suggest_groupings`). The rule for the grouping in force on
a date is :func:`grouping_in_force`, here beside the records it reads.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from cypmh.codes.groupings import Grouping
from cypmh.errors import InvalidValueError
from cypmh.model import _rules as r

__all__ = ["GroupingRecord", "GroupingSource", "effective_records", "grouping_in_force"]


class GroupingSource(enum.Enum):
    """Whether a grouping was agreed with the child and family or suggested by a policy."""

    AGREED = "agreed"
    SUGGESTED = "suggested"

    @classmethod
    def parse(cls, text: str) -> GroupingSource:
        """``agreed`` or ``suggested``, in any case and with spaces around it.

        >>> GroupingSource.parse(" Agreed ")
        <GroupingSource.AGREED: 'agreed'>
        """
        key = text.strip().lower() if isinstance(text, str) else text
        for source in cls:
            if source.value == key:
                return source
        raise InvalidValueError(
            "GroupingSource", "status", text, "must be 'agreed' (with the family) or 'suggested'"
        )


def _grouping(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Grouping):
        raise InvalidValueError(
            type(instance).__name__,
            attribute.name,
            value,
            "must be a Grouping (Grouping.parse reads labels)",
        )


def _source(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, GroupingSource):
        raise InvalidValueError(
            type(instance).__name__, attribute.name, value, "must be a GroupingSource"
        )


@attrs.frozen(kw_only=True)
class GroupingRecord:
    """A child's THRIVE grouping from ``from_date`` on (until the next record).

    ``referral_id`` names the referral it was recorded on, where the service
    keeps one; a grouping describes the child, so it is optional.

    >>> GroupingRecord(person_id="P1", grouping=Grouping.parse("getting help"),
    ...                from_date=date(2025, 1, 6), source=GroupingSource.AGREED).grouping.label
    'Getting Help'
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    grouping: Grouping = attrs.field(validator=_grouping)
    from_date: date = attrs.field(validator=r.a_date)
    source: GroupingSource = attrs.field(validator=_source)
    referral_id: str | None = attrs.field(default=None, validator=r.optional(r.IDENTIFIER))


def effective_records(records: Iterable[GroupingRecord], person_id: str) -> list[GroupingRecord]:
    """The child's records that take effect, by date.

    An agreed grouping always wins: a suggestion dated on or after the child's
    first agreed grouping never takes effect. Two different groupings from the
    same source on one day are an error.
    """
    mine = [record for record in records if record.person_id == person_id]
    first_agreed = min(
        (rec.from_date for rec in mine if rec.source is GroupingSource.AGREED), default=None
    )
    by_day: dict[date, GroupingRecord] = {}
    for record in mine:
        if (
            record.source is GroupingSource.SUGGESTED
            and first_agreed is not None
            and record.from_date >= first_agreed
        ):
            continue
        current = by_day.get(record.from_date)
        if current is None:
            by_day[record.from_date] = record
        elif current.grouping is not record.grouping:
            raise InvalidValueError(
                "GroupingRecord",
                "from_date",
                record.from_date,
                f"child {person_id} has two different {record.source.value} groupings on this date",
            )
    return [by_day[day] for day in sorted(by_day)]


def grouping_in_force(
    records: Iterable[GroupingRecord], person_id: str, on: date
) -> GroupingRecord | None:
    """The record of the child's grouping in force on ``on`` (``None``: none recorded by then).

    It is the latest record dated on or before ``on``, where an agreed grouping
    always wins: a suggestion counts only while the child has no agreed grouping.
    """
    applying = [rec for rec in effective_records(records, person_id) if rec.from_date <= on]
    return applying[-1] if applying else None
