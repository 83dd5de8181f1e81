"""Reporting months and MHSDS month indexes.

MHSDS numbers its monthly submissions with ``UniqMonthID``, the months since
April 1900 counting April 1900 as 1::

    UniqMonthID = (year - 1900) * 12 + month - 3

(``get_month_ids`` in NHSDigital/mental-health-monthly-statistics,
``menh_bbrb/notebooks/mhsds_functions.py``). Effective-dated code lists use it
for their validity, so it lives here, below the code lists.
"""

from __future__ import annotations

import re
from datetime import date

import attrs

from cypmh.errors import InvalidValueError

__all__ = ["FinancialYear", "Month", "Quarter", "RollingMonths", "uniq_month_id"]

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
        after = (
            date(self.year + 1, 1, 1) if self.month == 12 else date(self.year, self.month + 1, 1)
        )
        return date.fromordinal(after.toordinal() - 1)

    def __str__(self) -> str:
        """Return the month as ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"


def _months_back(month: Month, count: int) -> Month:
    return Month.from_uniq_month_id(month.uniq_month_id - count)


@attrs.frozen(kw_only=True)
class RollingMonths:
    """The ``months`` calendar months ending with ``last`` (inclusive), e.g. a rolling year.

    >>> window = RollingMonths(last=Month.parse("2024-03"), months=3)
    >>> window.start, window.end, window.uniq_month_ids
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31), (1486, 1487, 1488))
    """

    last: Month
    months: int = attrs.field()

    @months.validator
    def _positive(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidValueError(
                "RollingMonths", "months", value, "must be a whole number of at least 1"
            )

    @property
    def first(self) -> Month:
        """The first month of the window."""
        return _months_back(self.last, self.months - 1)

    @property
    def start(self) -> date:
        """The first day of the window."""
        return self.first.first_day

    @property
    def end(self) -> date:
        """The last day of the window."""
        return self.last.last_day

    @property
    def uniq_month_ids(self) -> tuple[int, ...]:
        """The MHSDS month indexes of the window, in order."""
        return tuple(range(self.first.uniq_month_id, self.last.uniq_month_id + 1))

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the window (both ends count)."""
        return self.start <= day <= self.end


@attrs.frozen(kw_only=True)
class Quarter:
    """A financial quarter: Q1 is April to June of ``year`` (the financial year starting then).

    >>> Quarter.of(date(2025, 2, 10))
    Quarter(year=2024, number=4)
    >>> Quarter(year=2024, number=4).window.start
    datetime.date(2025, 1, 1)
    """

    year: int = attrs.field(validator=_check_year)
    number: int = attrs.field()

    @number.validator
    def _one_to_four(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value not in (1, 2, 3, 4):
            raise InvalidValueError("Quarter", "number", value, "must be 1, 2, 3 or 4")

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The financial quarter containing ``day``."""
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year=year, number=((day.month - 4) % 12) // 3 + 1)

    @property
    def window(self) -> RollingMonths:
        """The quarter's three months."""
        last_month = 3 + 3 * self.number  # 6, 9, 12, 15
        year = self.year + (last_month - 1) // 12
        return RollingMonths(last=Month(year=year, month=(last_month - 1) % 12 + 1), months=3)


@attrs.frozen(kw_only=True)
class FinancialYear:
    """The financial year from 1 April of ``year`` to 31 March of the next.

    >>> FinancialYear.of(date(2025, 3, 31)).window.end
    datetime.date(2025, 3, 31)
    >>> str(FinancialYear(year=2024))
    '2024-25'
    """

    year: int = attrs.field(validator=_check_year)

    @classmethod
    def of(cls, day: date) -> FinancialYear:
        """The financial year containing ``day``."""
        return cls(year=day.year if day.month >= 4 else day.year - 1)

    @property
    def window(self) -> RollingMonths:
        """The year's twelve months."""
        return RollingMonths(last=Month(year=self.year + 1, month=3), months=12)

    def __str__(self) -> str:
        """The year written ``2024-25``."""
        return f"{self.year}-{(self.year + 1) % 100:02d}"
