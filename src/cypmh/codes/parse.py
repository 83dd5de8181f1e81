"""The small files a user gives cypmh, read one way: TOML and JSON, checked.

A settings file, a THRIVE policy, a cohort, a table map or a scheme is read
through :func:`read_text_file` and parsed by :func:`parse_toml` or
:func:`parse_json`. Each refuses, with one clear message naming the file:

- a path that is not a regular file (a FIFO would hang the reader);
- a file over :data:`MAX_BYTES`;
- text that is not UTF-8 (with the line of the first bad byte);
- nesting deeper than :data:`MAX_DEPTH` (which would exhaust Python's recursion);
- in JSON, ``NaN`` and ``Infinity``, which are not numbers a count or rate can be.

The message is a :class:`SettingsFileError`; each caller turns it into its own error.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from cypmh.errors import CypmhError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "SettingsFileError",
    "parse_json",
    "parse_toml",
    "read_text_file",
]

MAX_BYTES = 8 * 1024 * 1024
"""The largest settings file read (8 MiB)."""

MAX_DEPTH = 32
"""The deepest nesting of tables and lists a settings file may have."""


class SettingsFileError(CypmhError):
    """A settings file that cannot be read as one: the message names the file."""


def read_text_file(
    path: str | os.PathLike[str], what: str = "file", *, max_bytes: int | None = MAX_BYTES
) -> str:
    """The text of a regular UTF-8 file of at most ``max_bytes`` (a BOM is dropped).

    ``max_bytes`` ``None`` reads a file of any size (a SNOMED CT release's refset file).
    """
    file = Path(path)
    try:
        info = os.stat(file)
    except OSError as exc:
        raise SettingsFileError(f"{file}: the {what} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SettingsFileError(f"{file}: the {what} is not a regular file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise SettingsFileError(f"{file}: the {what} is larger than {max_bytes // 2**20} MiB")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SettingsFileError(f"{file}: the {what} cannot be read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsFileError(f"{file}, line {line}: the {what} is not UTF-8 text") from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML ``text`` as data; a :class:`SettingsFileError` naming ``source`` if it is not.

    >>> parse_toml("a = 1", "x.toml")
    {'a': 1}
    >>> parse_toml("a = " + "[" * 100 + "]" * 100, "x.toml")
    Traceback (most recent call last):
    cypmh.codes.parse.SettingsFileError: x.toml: nested more than 32 deep
    """
    _shallow(text, source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsFileError(f"{source}: is not valid TOML ({exc})") from None
    except RecursionError:
        raise SettingsFileError(f"{source}: nested more than {MAX_DEPTH} deep") from None
    return data


def parse_json(text: str, source: str) -> Any:
    """JSON ``text`` as data, without ``NaN`` or ``Infinity``; a :class:`SettingsFileError` if not.

    >>> parse_json('{"a": [1, 2]}', "x.json")
    {'a': [1, 2]}
    >>> parse_json('{"a": NaN}', "x.json")
    Traceback (most recent call last):
    cypmh.codes.parse.SettingsFileError: x.json: NaN is not a number cypmh reads
    """
    _shallow(text, source)

    def refuse(name: str) -> Any:
        raise SettingsFileError(f"{source}: {name} is not a number cypmh reads")

    try:
        return json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        raise SettingsFileError(f"{source}: is not valid JSON ({exc})") from None
    except RecursionError:
        raise SettingsFileError(f"{source}: nested more than {MAX_DEPTH} deep") from None


def _shallow(text: str, source: str) -> None:
    """Refuse text whose brackets open more than :data:`MAX_DEPTH` deep (a quick upper bound).

    Brackets inside strings count too, so this may refuse a file with a string
    of many ``[`` or ``{``; no settings file has one.
    """
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    if deepest > MAX_DEPTH:
        raise SettingsFileError(f"{source}: nested more than {MAX_DEPTH} deep")
