"""The exceptions cypmh raises.

Every error derives from :class:`CypmhError`, so a caller can catch one class.
A message always names what was wrong (class and field, or file and line), the
value, and the rule the value broke. Nothing is silently corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

__all__ = [
    "AreaError",
    "CypmhError",
    "InvalidValueError",
    "NotInAreaError",
    "StructureError",
    "UnknownCodeError",
]


class CypmhError(Exception):
    """Base class of every error raised by cypmh."""


def show(value: object) -> str:
    """Write a value for a message: dates as ``YYYY-MM-DD``, everything else as its repr.

    >>> show(date(2024, 2, 1)), show("05"), show(None)
    ('2024-02-01', "'05'", 'None')
    """
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


class InvalidValueError(CypmhError, ValueError):
    """A value breaks a rule of the class or field it was given to.

    >>> err = InvalidValueError("Referral", "closure_date", "2020-01-01", "must not be before X")
    >>> str(err)
    "Referral.closure_date = '2020-01-01': must not be before X"
    """

    def __init__(self, owner: str, field: str, value: object, rule: str) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{owner}.{field} = {show(value)}: {rule}")

    @property
    def detail(self) -> str:
        """The value and the rule, without the class and field: ``'x': rule``."""
        return f"{show(self.value)}: {self.rule}"

    def __reduce__(self) -> tuple[type[InvalidValueError], tuple[str, str, object, str]]:
        return (type(self), (self.owner, self.field, self.value, self.rule))


class UnknownCodeError(InvalidValueError):
    """A code is not in the code list it must come from.

    ``code_list`` names the list (for example ``"service_team_types"``).
    """

    def __init__(self, owner: str, field: str, value: object, code_list: str) -> None:
        self.code_list = code_list
        super().__init__(owner, field, value, f"not a code in the {code_list} list")

    def __reduce__(self) -> tuple[type[InvalidValueError], tuple[str, str, object, str]]:
        return (type(self), (self.owner, self.field, self.value, self.code_list))


class AreaError(CypmhError, ValueError):
    """The records of an :class:`~cypmh.model.Area` do not fit together.

    ``problems`` holds one :class:`InvalidValueError` per broken rule; its
    ``field`` is the path of the record, such as ``contacts[3].referral_id``.
    The message lists the first few.
    """

    shown = 10

    def __init__(self, problems: Sequence[InvalidValueError]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems[: self.shown]]
        more = len(self.problems) - self.shown
        if more > 0:
            lines.append(f"... and {more} more")
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the area:\n  " + "\n  ".join(lines)
        )

    def __reduce__(self) -> tuple[type[AreaError], tuple[tuple[InvalidValueError, ...]]]:
        return (type(self), (self.problems,))


class StructureError(CypmhError, ValueError):
    """Data could not be turned into cypmh objects.

    ``problems`` holds one line per bad field, each starting with the path
    of the field in the input (``$.contacts[2].date: ...``).
    """

    def __init__(self, target: str, problems: Sequence[str]) -> None:
        self.target = target
        self.problems = tuple(problems)
        super().__init__(
            f"cannot build {target} from the data given:\n  " + "\n  ".join(self.problems)
        )

    def __reduce__(self) -> tuple[type[StructureError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.target, self.problems))


class NotInAreaError(CypmhError, LookupError):
    """A lookup asked an :class:`~cypmh.model.Area` for a record it does not hold."""

    def __init__(self, collection: str, field: str, value: object) -> None:
        self.collection = collection
        self.field = field
        self.value = value
        super().__init__(f"no record in {collection} has {field} = {value!r}")

    def __reduce__(self) -> tuple[type[NotInAreaError], tuple[str, str, object]]:
        return (type(self), (self.collection, self.field, self.value))
