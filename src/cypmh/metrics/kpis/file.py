"""KPIs an area declares for itself, in a TOML file: read and checked, with no code run.

A KPI file holds one ``[[kpi]]`` table per KPI::

    [[kpi]]
    id = "JNT01"
    name = "Referrals of children with a social worker accepted within 4 weeks"
    base = "referrals"                     # referrals | contacts | children
    window = "month"                       # month | 3 months | 12 months
    date = "ReferralRequestReceivedDate"   # the base's date that must fall in the window
    where = ["social_care_status in ('looked_after', 'child_protection_plan', 'child_in_need')"]
    value = "percentage"                   # count | percentage | median | p90
    numerator = ["ReferRejectionDate is null",
                 "days_between(ReferralRequestReceivedDate, first_contact_date) <= 28"]
    improvement = "increase"               # increase | decrease | neutral

Conditions are the SQL-like text of :mod:`cypmh.clauses.text`, over the base's
columns (:data:`~cypmh.metrics.kpis.bases.BASES`: the contract's MHSDS and SSDA903
names, and derived columns that cypmh works out). ``where`` and ``numerator`` take one
condition or a list, all of which must hold; ``median`` and ``p90`` take ``of``, a
whole-number value such as ``days_between(ReferralRequestReceivedDate, ReferRejectionDate)``.

:func:`read_kpis` reads a file into :class:`DeclaredKpi` objects. Every fault is a
:class:`KpiFileError` naming the file, the line, the KPI and the part at fault, with
the nearest names for an unknown one. The file is data: TOML is parsed by the standard
library and each condition by cypmh's own grammar; nothing in it is executed.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Literal

from cypmh import clauses as cl
from cypmh.clauses.checking import ClauseError, kind_of
from cypmh.clauses.text import ClauseSyntaxError, parse, parse_value
from cypmh.errors import CypmhError
from cypmh.metrics.definition import DeclaredKpi
from cypmh.metrics.kpis.bases import BASES, BaseColumn, KpiBase
from cypmh.tables.schema import Kind

__all__ = [
    "EXAMPLE",
    "IMPROVEMENTS",
    "VALUES",
    "WINDOWS",
    "DeclaredKpi",
    "KpiFileError",
    "describe",
    "read_kpis",
]

EXAMPLE = Path(__file__).parent / "data" / "joint-kpis.toml"
"""The example KPI file that ships with cypmh: joint CAMHS and children's social care KPIs."""

Value = Literal["count", "percentage", "median", "p90"]
VALUES: tuple[Value, ...] = ("count", "percentage", "median", "p90")
"""What a KPI gives: a count of rows, a percentage, or the median or 90th percentile of ``of``."""

WINDOWS: Mapping[str, int] = {"month": 1, "3 months": 3, "12 months": 12}
"""The windows a KPI may have, each the months ending with the reporting month."""

IMPROVEMENTS = ("increase", "decrease", "neutral")
"""Which way is better on a trend (as the catalogue's ``improvement``)."""

_KEYS = frozenset(
    {"id", "name", "base", "window", "date", "where", "value", "numerator", "of", "by"}
    | {"improvement"}
)
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,15}")


class KpiFileError(CypmhError, ValueError):
    """A fault in a KPI file: the file, the line, the KPI and the part at fault, and the rule."""

    def __init__(self, file: str, line: int, kpi: str | None, part: str, rule: str) -> None:
        self.file, self.line, self.kpi, self.part, self.rule = file, line, kpi, part, rule
        where = f"{file}, line {line}" if line else file
        about = f"KPI {kpi}, {part}" if kpi else part
        super().__init__(f"{where}: {about}: {rule}")


def _near(name: str, known: Iterable[str]) -> str:
    found = difflib.get_close_matches(name, list(known), n=3)
    return f"; did you mean {' or '.join(found)}?" if found else ""


class _Lines:
    """Where each KPI and each of its keys and strings begin in the file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.starts = [
            i + 1 for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*kpi\s*\]\]", line)
        ]

    def block(self, index: int) -> tuple[int, int]:
        """The first and last line (from 1) of KPI ``index``'s table."""
        if index >= len(self.starts):
            return (0, 0)
        first = self.starts[index]
        last = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.lines)
        return first, last

    def of(self, index: int, key: str, text: str | None = None) -> int:
        """The line of ``key`` in KPI ``index`` (of ``text`` in it, if given); else the KPI's."""
        first, last = self.block(index)
        if not first:
            return 0
        found = 0
        for number in range(first, last + 1):
            line = self.lines[number - 1]
            if not found and re.match(rf"\s*{re.escape(key)}\s*=", line):
                found = number
                if text is None:
                    return number
            if found and text is not None and text in line:
                return number
        return found or first


def read_kpis(path: str | PathLike[str], *, taken: Iterable[str] = ()) -> tuple[DeclaredKpi, ...]:
    """The KPIs declared in the TOML file at ``path``, each checked.

    ``taken`` are ids already in use: the catalogue's are always taken. Raises
    :class:`KpiFileError` at the first fault, naming the file, line, KPI and part.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = pathlib.Path(tmp) / "kpis.toml"
    ...     _ = file.write_text('''
    ... [[kpi]]
    ... id = "JNT03"
    ... name = "Rejected referrals of children in care"
    ... base = "referrals"
    ... window = "12 months"
    ... date = "ReferRejectionDate"
    ... where = "social_care_status = 'looked_after'"
    ... value = "count"
    ... ''')
    ...     (kpi,) = read_kpis(file)
    >>> kpi.id, kpi.months, cl.words(kpi.where)
    ('JNT03', 12, 'social care status is looked_after')
    """
    # Imported here: the catalogue imports every family, which this module's callers
    # (the command line's --help) need not load.
    from cypmh.metrics.catalogue import CATALOGUE

    file = Path(path)
    name = str(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise KpiFileError(name, 0, None, "the file", f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise KpiFileError(name, 0, None, "the file", "is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        raise KpiFileError(name, line, None, "TOML", str(exc)) from None
    lines = _Lines(text)
    unknown = sorted(set(data) - {"kpi"})
    if unknown:
        raise KpiFileError(
            name, 1, None, f"table {unknown[0]}", "is not known: the file holds [[kpi]] tables"
        )
    kpis = data.get("kpi", [])
    if not isinstance(kpis, list) or not kpis:
        raise KpiFileError(name, 1, None, "the file", "declares no KPI: give [[kpi]] tables")
    used = {i.upper() for i in CATALOGUE} | {i.upper() for i in taken}
    found: list[DeclaredKpi] = []
    for index, table in enumerate(kpis):
        kpi = _kpi(name, lines, index, table, used)
        used.add(kpi.id.upper())
        found.append(kpi)
    return tuple(found)


def _kpi(
    file: str, lines: _Lines, index: int, table: Mapping[str, object], used: set[str]
) -> DeclaredKpi:
    start = lines.block(index)[0]

    def fail(key: str, rule: str, text: str | None = None, kpi: str | None = None) -> KpiFileError:
        return KpiFileError(file, lines.of(index, key, text), kpi, key, rule)

    kpi_id = table.get("id")
    if not isinstance(kpi_id, str):
        raise KpiFileError(file, start, f"number {index + 1}", "id", 'is missing (give id = "...")')
    if not _ID.fullmatch(kpi_id):
        raise fail("id", f"{kpi_id!r} is not an id: a letter, then 1 to 15 letters, digits or _")
    if kpi_id.upper() in used:
        raise fail("id", f"{kpi_id!r} is taken (by the catalogue or an earlier KPI)", kpi=kpi_id)
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise fail(extra[0], f"is not a key of a KPI{_near(extra[0], _KEYS)}", kpi=kpi_id)

    def text(key: str, default: str | None = None) -> str:
        got = table.get(key)
        if got is None and default is not None:
            return default
        if not isinstance(got, str) or not got.strip():
            raise fail(key, "is missing" if got is None else "must be text", kpi=kpi_id)
        return got

    def choice(key: str, options: Sequence[str], default: str | None = None) -> str:
        got = text(key, default)
        if got not in options:
            listed = ", ".join(repr(o) for o in options)
            raise fail(key, f"{got!r} is not one of {listed}{_near(got, options)}", kpi=kpi_id)
        return got

    name = text("name")
    base_name = text("base")
    base = BASES.get(base_name)
    if base is None:
        bases = ", ".join(BASES)
        hint = _near(base_name, BASES)
        raise fail("base", f"{base_name!r} is not a base (the bases are {bases}){hint}", kpi=kpi_id)
    window = table.get("window")
    if window is None:
        raise fail("window", f"is missing: give one of {', '.join(WINDOWS)}", kpi=kpi_id)
    months = WINDOWS.get(str(window))
    if months is None:
        hint = _near(str(window), WINDOWS)
        raise fail(
            "window", f"{window!r} is not a window (month, 3 months or 12 months){hint}", kpi=kpi_id
        )
    date = text("date")
    column = base.column(date)
    if column is None:
        hint = _near(date, base.kinds())
        raise fail("date", f"{date!r} is not a column of {base.name}{hint}", kpi=kpi_id)
    if column.kind is not Kind.DATE:
        raise fail("date", f"{date!r} is not a date column of {base.name}", kpi=kpi_id)
    value = choice("value", VALUES)
    improvement = choice("improvement", IMPROVEMENTS, default="neutral")

    def conditions(key: str) -> cl.Clause | None:
        got = table.get(key)
        if got is None:
            return None
        parts = [got] if isinstance(got, str) else got
        if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
            raise fail(key, "must be a condition, or a list of them", kpi=kpi_id)
        clauses = [_clause(p, base, lambda rule, p=p: fail(key, rule, p, kpi_id)) for p in parts]
        return clauses[0] if len(clauses) == 1 else cl.All(clauses)

    where = conditions("where") or cl.Not(cl.IsNull(cl.Column(date)))
    numerator = conditions("numerator")
    if value == "percentage" and numerator is None:
        raise fail("numerator", "is missing: a percentage needs a numerator", kpi=kpi_id)
    if value != "percentage" and numerator is not None:
        raise fail("numerator", f"is given, but a {value} has none", kpi=kpi_id)
    of: cl.Value | None = None
    given = table.get("of")
    if value in ("median", "p90"):
        if not isinstance(given, str):
            raise fail("of", f'is missing: a {value} needs a value (of = "...")', kpi=kpi_id)
        of = _value(given, base, lambda rule: fail("of", rule, given, kpi_id))
    elif given is not None:
        raise fail("of", f"is given, but a {value} is not of a value", kpi=kpi_id)
    by = table.get("by")
    breakdowns = base.breakdowns
    if by is not None:
        breakdowns = (*breakdowns, "by")
        by_column = base.column(str(by))
        if by_column is None:
            hint = _near(str(by), base.kinds())
            raise fail("by", f"{by!r} is not a column of {base.name}{hint}", kpi=kpi_id)
        if by_column.kind not in (Kind.TEXT, Kind.INTEGER):
            raise fail("by", f"{by!r} is not a coded column (text or a whole number)", kpi=kpi_id)
    read = [cl.Column(date), where, numerator, of, cl.Column(str(by or date))]
    return DeclaredKpi(
        id=kpi_id,
        name=name,
        base=base.name,
        months=months,
        date=date,
        where=where,
        value=value,  # type: ignore[arg-type]  # one of VALUES: choice checked it
        numerator=numerator,
        of=of,
        improvement=improvement,
        by=None if by is None else str(by),
        records=base.records,
        breakdowns=breakdowns,
        inputs=_inputs(base, read),
        derived=tuple(
            (c.name, c.about) for c in base.columns if c.name in _read(read) and not c.contract
        ),
        file=file,
        line=start,
    )


def _read(parts: Iterable[cl.Node | None]) -> set[str]:
    """The columns ``parts`` read."""
    return {
        node.name
        for part in parts
        if part is not None
        for node in cl.walk(part)
        if isinstance(node, cl.Column)
    }


def _inputs(base: KpiBase, parts: Iterable[cl.Node | None]) -> tuple[str, ...]:
    """The files and columns a KPI rests on: its base's, and those of each column it reads."""
    read = _read(parts)
    found = [*base.reads]
    for column in base.columns:
        if column.name in read:
            found += column.reads
    return tuple(dict.fromkeys(found))


def _clause(text: str, base: KpiBase, fail: object) -> cl.Clause:
    """``text`` as a clause over ``base``, its coded values checked; ``fail`` makes the error."""
    assert callable(fail)
    try:
        clause = parse(text, base.kinds(), birth=base.birth)
    except ClauseSyntaxError as exc:
        raise fail(f"{text!r}, at character {exc.position}: {exc.rule}") from None
    except ClauseError as exc:
        raise fail(f"{text!r}: {cl.words(exc.clause)}: {exc.rule}") from None
    for node in cl.walk(clause):
        listed: tuple[object, ...]
        match node:
            case cl.In(cl.Column(name), values, _):
                listed = tuple(values)
            case cl.Compare(_, cl.Column(name), cl.Lit(value)) | cl.Compare(
                _, cl.Lit(value), cl.Column(name)
            ):
                listed = (value,)
            case _:
                continue
        allowed = (base.column(name) or BaseColumn(name, Kind.TEXT, "")).values
        for item in listed:
            if allowed and item not in allowed:
                raise fail(
                    f"{text!r}: {item!r} is not a value of {name} (they are "
                    f"{', '.join(allowed)}){_near(str(item), allowed)}"
                )
    return clause


def _value(text: str, base: KpiBase, fail: object) -> cl.Value:
    """``text`` as a whole-number value over ``base`` (``of`` of a median or 90th percentile)."""
    assert callable(fail)
    try:
        value = parse_value(text, base.kinds())
    except ClauseSyntaxError as exc:
        raise fail(f"{text!r}, at character {exc.position}: {exc.rule}") from None
    except ClauseError as exc:
        raise fail(f"{text!r}: {cl.words(exc.clause)}: {exc.rule}") from None
    if kind_of(value, base.kinds()) not in (Kind.INTEGER, Kind.NUMBER):
        raise fail(f"{text!r} is not a number (days_between(a, b) gives days)")
    return value


_BETTER = {"increase": "higher", "decrease": "lower", "neutral": "neither"}


def describe(kpi: DeclaredKpi) -> str:
    """``kpi`` in words: its base, the rows it counts and its value, as ``cypmh kpis`` prints it.

    >>> (jnt03,) = [k for k in read_kpis(EXAMPLE) if k.id == "JNT03"]
    >>> print(describe(jnt03))
    JNT03    Rejected referrals of children in care, by reason
             base: referrals, as at the period end
             rows: ReferRejectionDate is in the 12 months ending at the period's end and
             social care status is looked_after
             value: the number of rows, by ReferRejectReason
             better: lower
    """
    lines = [f"{kpi.id:<8} {kpi.name}", f"base: {kpi.base}, as at the period end"]
    lines.append(f"rows: {cl.words(kpi.member)}")
    if kpi.value == "count":
        value = "the number of rows"
    elif kpi.value == "percentage":
        assert kpi.numerator is not None  # read_kpis requires it
        value = f"the percentage of rows where {cl.words(kpi.numerator)}"
    else:
        assert kpi.of is not None  # read_kpis requires it
        which = "median" if kpi.value == "median" else "90th percentile"
        value = f"the {which} of {cl.words(kpi.of)}"
    lines.append(f"value: {value}" + (f", by {kpi.by}" if kpi.by else ""))
    lines.append(f"better: {_BETTER[kpi.improvement]}")
    return "\n".join([lines[0], *(f"         {line}" for line in lines[1:])])
