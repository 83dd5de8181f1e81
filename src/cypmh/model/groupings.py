"""THRIVE grouping records: a child's grouping from a date on, agreed or suggested.

Groupings are not in MHSDS. A service records them beside it (the extract's
``thrive.csv``), or a local policy suggests them from Current View assessments
(:func:`cypmh.thrive.suggest_groupings`). The rule for the grouping in force on
a date is :func:`cypmh.thrive.grouping_in_force`.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs

from cypmh.errors import InvalidValueError
from cypmh.model import _rules as r
from cypmh.thrive.groupings import Grouping

__all__ = ["GroupingRecord", "GroupingSource"]


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
