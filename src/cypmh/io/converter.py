"""Lossless serialization of the model: one preconfigured cattrs converter.

Dates are ISO ``YYYY-MM-DD`` strings, codes are their code strings, tuples are
lists, and ``None`` is ``null``. Structuring is strict: a string is never
turned into a number or a number into a code, an unknown key is an error, and
every bad field is reported with its path in a
:class:`~cypmh.errors.StructureError`.

>>> from datetime import date
>>> from cypmh.model import Child
>>> child = Child(person_id="P1", birth_date=date(2012, 5, 1), gender="2")
>>> unstructure(child)
{'person_id': 'P1', 'birth_date': '2012-05-01', 'gender': '2', 'ethnic_category': None,
 'la_district': None, 'lsoa': None, 'lsoa2021': None, 'school_urn': None}
>>> from_json(to_json(child), Child) == child
True
>>> structure({"person_id": "P1", "birth_date": "2012-13-01", "gender": 2}, Child)
Traceback (most recent call last):
cypmh.errors.StructureError: cannot build Child from the data given:
  $.birth_date: '2012-13-01' is not a date (YYYY-MM-DD): month must be in 1..12
  $.gender: 2 is not a string
"""

from __future__ import annotations

import enum
import json
import math
import re
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn
from cattrs.preconf.json import make_converter

from cypmh.codes import CodedEnum
from cypmh.errors import AreaError, CypmhError, InvalidValueError, StructureError

__all__ = ["converter", "from_json", "structure", "to_json", "unstructure"]

T = TypeVar("T")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _BadValueError(ValueError):
    """A value of the wrong kind, with a message for the user (internal)."""


def _structure_date(value: object, _: type) -> date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise _BadValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _BadValueError(f"{value!r} is not a date (YYYY-MM-DD): {exc}") from None


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise _BadValueError(f"{value!r} is not a string")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadValueError(f"{value!r} is not a whole number")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _BadValueError(f"{value!r} is not a finite number")
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise _BadValueError(f"{value!r} is not true or false")
    return value


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, type], enum.Enum]:
    def structure_member(value: object, _: type) -> enum.Enum:
        for member in cls:
            if member.value == value:
                return member
        allowed = ", ".join(repr(m.value) for m in cls)
        raise _BadValueError(f"{value!r} is not a {cls.__name__} code (one of {allowed})")

    return structure_member


def _is_homogeneous_tuple(t: object) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(
    conv: cattrs.Converter,
) -> Callable[[Any], Callable[[object, type], tuple[Any, ...]]]:
    """Structure ``tuple[X, ...]`` from a JSON list only (a string is not a list of letters)."""

    def factory(t: Any) -> Callable[[object, type], tuple[Any, ...]]:
        item_type = typing.get_args(t)[0]

        def structure_tuple(value: object, _: type) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise _BadValueError(f"expected a list, not {type(value).__name__}")
            items, errors = [], []
            for index, item in enumerate(value):
                try:
                    items.append(conv.structure(item, item_type))
                except Exception as exc:  # collected, as cattrs does, to report every item
                    note = IterableValidationNote(
                        f"Structuring {t} @ index {index}", index, item_type
                    )
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t!r}", errors, t)
            return tuple(items)

        return structure_tuple

    return factory


def _attrs_hook(conv: cattrs.Converter) -> Callable[[Any], Callable[[object, type], Any]]:
    """Structure an attrs class from a JSON object only, with cattrs' generated function."""

    def factory(cls: Any) -> Callable[[object, type], Any]:
        generated = make_dict_structure_fn(cls, conv)

        def structure_object(value: object, t: type) -> Any:
            if not isinstance(value, Mapping):
                raise _BadValueError(
                    f"expected an object of named fields, not {type(value).__name__}"
                )
            return generated(value, t)

        return structure_object

    return factory


def _make_converter() -> cattrs.Converter:
    conv = make_converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook(conv))
    conv.register_structure_hook_factory(attrs.has, _attrs_hook(conv))
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda m: m.value
    )
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    return conv


converter: cattrs.Converter = _make_converter()
"""The converter for every cypmh class; extend a copy (``converter.copy()``), not this one."""

assert issubclass(CodedEnum, enum.Enum)  # code enums go through the enum hooks above


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _BadValueError | CypmhError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    return f"{type(exc).__name__}: {exc}"


def _problems(exc: BaseException, path: str) -> Iterator[str]:
    """One line per failure in ``exc``, each starting with the path of the bad field."""
    if isinstance(exc, cattrs.BaseValidationError):
        with_notes, without_notes = exc.group_exceptions()  # type: ignore[attr-defined]
        for inner, note in with_notes:
            step = f".{note.name}" if hasattr(note, "name") else f"[{note.index!r}]"
            yield from _problems(inner, path + step)
        for inner in without_notes:
            yield from _problems(inner, path)
    elif isinstance(exc, AreaError):
        for problem in exc.problems:
            yield f"{path}.{problem.field}: {problem.detail}"
    elif isinstance(exc, InvalidValueError):
        yield f"{path}.{exc.field}: {exc.detail}"
    else:
        yield f"{path}: {_describe(exc)}"


def _target_name(target: object) -> str:
    return str(getattr(target, "__name__", target))


def structure(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from plain data (dicts, lists, strings, numbers).

    Raises :class:`~cypmh.errors.StructureError` listing every bad field with
    its path; the model's own rules (an end before its start, an unknown
    code, records of an area that do not fit together) are reported the same
    way.
    """
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, CypmhError, ValueError, TypeError) as exc:
        raise StructureError(_target_name(cls), list(_problems(exc, "$"))) from exc


def unstructure(obj: Any) -> Any:
    """Turn a cypmh object into plain data that :func:`json.dumps` accepts."""
    return converter.unstructure(obj)


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialize a cypmh object to JSON text."""
    return json.dumps(unstructure(obj), indent=indent, ensure_ascii=False)


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Build a ``cls`` from JSON text.

    Bad JSON or bad fields raise :class:`~cypmh.errors.StructureError`.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StructureError(_target_name(cls), [f"$: not valid JSON: {exc}"]) from exc
    return structure(data, cls)
