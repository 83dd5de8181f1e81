"""Reporting months and MHSDS month indexes.

MHSDS numbers its monthly submissions with ``UniqMonthID``, the months since
April 1900 counting April 1900 as 1::

    UniqMonthID = (year - 1900) * 12 + month - 3

(``get_month_ids`` in NHSDigital/mental-health-monthly-statistics,
``menh_bbrb/notebooks/mhsds_functions.py``). Effective-dated code lists use it
for their validity, so it lives here, below the code lists.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import attrs

from cypmh.errors import InvalidValueError

__all__ = ["Month", "uniq_month_id"]

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def uniq_month_id(day: date) -> int:
    """Return the MHSDS ``UniqMonthID`` of the month that contains ``day``.

    >>> uniq_month_id(date(2021, 10, 15))  # MHSDS v5.0 starts
    1459
    >>> uniq_month_id(date(2016, 1, 1))
    1390
    """
    return (day.year - 1900) * 12 + day.month - 3


def _check_month(instance: Month, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1 <= value <= 12:
        raise InvalidValueError("Month", attribute.name, value, "must be from 1 to 12")


def _check_year(instance: Month, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1901 <= value <= 9999:
        raise InvalidValueError("Month", attribute.name, value, "must be from 1901 to 9999")


@attrs.frozen(kw_only=True, order=True)
class Month:
    """A calendar month: the unit in which MHSDS reports.

    >>> m = Month.parse("2024-02")
    >>> m.first_day, m.last_day, m.uniq_month_id
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), 1487)
    >>> Month.from_uniq_month_id(1459)
    Month(year=2021, month=10)
    """

    year: int = attrs.field(validator=_check_year)
    month: int = attrs.field(validator=_check_month)

    @classmethod
    def of(cls, day: date) -> Month:
        """Return the month that contains ``day``."""
        return cls(year=day.year, month=day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``; anything else raises :class:`~cypmh.errors.InvalidValueError`."""
        match = _MONTH_PATTERN.match(text)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise InvalidValueError("Month", "text", text, "must be a month written YYYY-MM")
        return cls(year=int(match.group(1)), month=int(match.group(2)))

    @classmethod
    def from_uniq_month_id(cls, month_id: int) -> Month:
        """Return the month that has MHSDS ``UniqMonthID`` ``month_id``."""
        months_since_1900 = month_id + 2  # 0 = January 1900
        return cls(year=1900 + months_since_1900 // 12, month=months_since_1900 % 12 + 1)

    @property
    def uniq_month_id(self) -> int:
        """The MHSDS ``UniqMonthID`` of this month."""
        return (self.year - 1900) * 12 + self.month - 3

    @property
    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        """Return the month as ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"
