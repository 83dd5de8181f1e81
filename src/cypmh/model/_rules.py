"""Field validators shared by the model classes.

Each validator raises :class:`~cypmh.errors.InvalidValueError` (or its
subclass :class:`~cypmh.errors.UnknownCodeError`) naming the class, the field,
the value and the rule. None of them changes a value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NoReturn

import attrs

from cypmh.codes import CodedEnum, CodeSet, check_snomed_code
from cypmh.errors import InvalidValueError, UnknownCodeError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(instance: object, attribute: attrs.Attribute[Any], value: object, rule: str) -> NoReturn:
    raise InvalidValueError(type(instance).__name__, attribute.name, value, rule)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def text(pattern: str | None = None, rule: str | None = None) -> Validator:
    """A non-empty string without surrounding spaces, matching ``pattern`` if given."""
    compiled = re.compile(pattern) if pattern else None

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            _fail(instance, attribute, value, "must be a string")
        elif not value or value != value.strip():
            _fail(instance, attribute, value, "must be non-empty, without surrounding spaces")
        elif compiled is not None and not compiled.fullmatch(value):
            _fail(instance, attribute, value, rule or f"must match {pattern}")

    return validate


def optional(validator: Validator) -> Validator:
    """Accept ``None`` or whatever ``validator`` accepts."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return validate


def a_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A :class:`datetime.date` that is not a ``datetime``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        _fail(instance, attribute, value, "must be a datetime.date (not a datetime or a string)")


def boolean(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``True`` or ``False``."""
    if not isinstance(value, bool):
        _fail(instance, attribute, value, "must be True or False")


def member_of(enum_type: type[CodedEnum]) -> Validator:
    """A member of ``enum_type``; a bare code string is refused, not converted."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_type):
            if isinstance(value, str) and value in {m.value for m in enum_type}:
                _fail(
                    instance,
                    attribute,
                    value,
                    f"must be {_article(enum_type.__name__)} {enum_type.__name__} member; "
                    f"use {enum_type.__name__}.from_code({value!r})",
                )
            raise UnknownCodeError(
                type(instance).__name__, attribute.name, value, enum_type.__name__
            )

    return validate


def code_in(code_set: Callable[[], CodeSet]) -> Validator:
    """A code string that is in the code set returned by ``code_set``."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            _fail(instance, attribute, value, "a code must be a string")
        code_set().check(value, owner=type(instance).__name__, field=attribute.name)

    return validate


def snomed(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string that is a well-formed SNOMED CT identifier."""
    if not isinstance(value, str):
        _fail(instance, attribute, value, "a SNOMED CT id must be a string")
    check_snomed_code(value, owner=type(instance).__name__, field=attribute.name)


def snomed_codes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of SNOMED CT identifiers."""
    if not isinstance(value, tuple):
        _fail(instance, attribute, value, "must be a tuple of SNOMED CT ids")
    for code in value:
        snomed(instance, attribute, code)


def finite_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An ``int`` or ``float`` (not a bool), finite."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(instance, attribute, value, "must be a finite number")


def whole_number(low: int, high: int) -> Validator:
    """An ``int`` (not a bool) from ``low`` to ``high``."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            _fail(instance, attribute, value, f"must be a whole number from {low} to {high}")

    return validate


def tuple_of(item_type: type) -> Validator:
    """A tuple whose items are all ``item_type`` instances."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            _fail(instance, attribute, type(value).__name__, "must be a tuple")
        for index, item in enumerate(value):
            if not isinstance(item, item_type):
                raise InvalidValueError(
                    type(instance).__name__,
                    f"{attribute.name}[{index}]",
                    item,
                    f"must be a {item_type.__name__}",
                )

    return validate


def not_before(other: str) -> Validator:
    """A date (or ``None``) not earlier than the date in field ``other`` (if set)."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        earlier = getattr(instance, other)
        if value is not None and earlier is not None and value < earlier:
            _fail(instance, attribute, value, f"must not be before {other} ({earlier})")

    return validate


def requires(other: str) -> Validator:
    """A value that may be set only when field ``other`` is set."""

    def validate(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and getattr(instance, other) is None:
            _fail(instance, attribute, value, f"may be given only with {other}")

    return validate


# Identifier and code formats, each stated once.
IDENTIFIER = text()
ODS_CODE = text(r"[A-Z0-9]{3,9}", "an ODS code is 3 to 9 capital letters or digits")
SCHOOL_URN = text(r"[0-9]{6}", "a school URN is 6 digits")
SHORT_CODE = text(r"[A-Za-z0-9]{1,10}", "a code is 1 to 10 letters or digits")
TIME_OF_DAY = text(
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]", "a time of day is HH:MM:SS, 00:00:00 to 23:59:59"
)
