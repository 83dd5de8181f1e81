"""Words taken from the input, made safe to print: a report's text is cypmh's own.

A folder's name, a population file's name and its area codes reach the
reports' labels. Each is checked against a strict pattern and, where it does
not match, replaced by a neutral word: so no formula (``=HYPERLINK(...)``),
markup, escape code or record can reach a report through them.
"""

from __future__ import annotations

import re

__all__ = ["LABEL_RULE", "ONS_CODE", "area_code_label", "input_label", "is_label", "printable"]

_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,'()&/-]{0,79}")
ONS_CODE = re.compile(r"[EWSNK]\d{8}")
"""A GSS (ONS) area code: a country letter and eight digits, ``E06000001``."""

LABEL_RULE = "letters, digits, spaces and _.,'()&/-, a letter or digit first, at most 80 in all"
"""What a label (an area's name) may be made of, in words."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def input_label(text: str, fallback: str) -> str:
    r"""``text`` if it is a plain label, else ``fallback``.

    A plain label has a letter or digit first, then letters, digits, spaces and
    ``_.,'()&/-``, at most 80 characters in all.

    >>> input_label("Testshire CAMHS", "area"), input_label("=HYPERLINK(1)", "area")
    ('Testshire CAMHS', 'area')
    >>> input_label("a\x1b[31mb", "area"), input_label("<b>x</b>", "area")
    ('area', 'area')
    """
    text = text.strip()
    return text if _LABEL.fullmatch(text) else fallback


def is_label(text: str) -> bool:
    """Whether ``text`` is a plain label (:data:`LABEL_RULE`).

    >>> is_label("Testshire CAMHS"), is_label("-1+1"), is_label("@SUM(A1)")
    (True, False, False)
    """
    return _LABEL.fullmatch(text) is not None


def area_code_label(code: str) -> str:
    """An area code as a report may print it: a GSS code as it is, anything else neutral.

    >>> area_code_label("E06000001"), area_code_label("=cmd|' /C calc'!A0")
    ('E06000001', 'a local area code')
    """
    code = code.strip()
    return code if ONS_CODE.fullmatch(code) else "a local area code"


def printable(text: str) -> str:
    r"""``text`` without control characters (escape codes, NUL, CR), keeping tabs and newlines.

    >>> printable("red\x1b[31m text\r\n")
    'red[31m text\n'
    """
    return _CONTROL.sub("", text)
