"""What a reader did with every row: the data-quality report (both readers make it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cypmh.io.contract import FILES, FileSpec
from cypmh.io.lines import (
    ExtractError,
    unknown_columns,
)
from cypmh.model import (
    Area,
)

__all__ = [
    "ExtractError",
    "FileCounts",
    "Problem",
    "QualityReport",
    "ReadResult",
    "ordered_warnings",
    "tie_warning",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One rejected row: where it is, what was wrong and why.

    ``line`` is the row's line in its contract file (the header is line 1).
    A row read from a table (:mod:`cypmh.io.sources`) also has its ``table``
    and ``key``, the row's key column and value; it is row ``line - 1``.
    """

    file: str
    line: int
    column: str
    value: str
    reason: str
    table: str | None = None
    key: str | None = None

    @property
    def where(self) -> str:
        """Where the row is, for people: a file's line, or a table's row and key.

        >>> Problem(file="MHS101Referral.csv", line=3, column="c", value="", reason="r").where
        'MHS101Referral.csv, line 3'
        """
        if self.table is None:
            return f"{self.file}, line {self.line}"
        key = f" ({self.key})" if self.key else ""
        return f"table {self.table}, row {self.line - 1}{key}"


@attrs.frozen(kw_only=True)
class FileCounts:
    """Rows of one file: ``read = used + rejected``.

    ``superseded`` counts the used rows that a later monthly submission
    (``UniqMonthID``) replaced.
    """

    read: int = 0
    used: int = 0
    rejected: int = 0
    superseded: int = 0


@attrs.frozen(kw_only=True)
class QualityReport:
    """What the reader did with every row of every file it read."""

    files: Mapping[str, FileCounts]
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...] = ()
    headers: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Each read file's column names, as its header has them (what the extract covers)."""
    rejected_people: Mapping[str, frozenset[str]] = attrs.field(factory=dict, repr=False, eq=False)
    """The people of each file's rejected rows (:func:`cypmh.io.rejected.rejected_people`):
    identifiers, used only to count, never published."""

    @property
    def rejected(self) -> int:
        """Rows rejected in all files."""
        return sum(c.rejected for c in self.files.values())

    def to_data(self) -> dict[str, Any]:
        """The report in the JSON shape of ``cypmh validate --format json``."""
        return {
            "files": {name: attrs.asdict(counts) for name, counts in self.files.items()},
            "problems": [attrs.asdict(p) for p in self.problems],
            "warnings": list(self.warnings),
            "hints": self.hints(),
        }

    def hints(self) -> list[str]:
        """What the rejected rows suggest went wrong (:func:`cypmh.io.hints.hints`), with counts."""
        from cypmh.io.hints import hints

        return hints(self)

    def summary(self) -> list[tuple[str, str, str, int]]:
        """The problems as (file, column, reason, rows) counts: no value from any row.

        This is what a report may carry; the values themselves (which can be
        identifiers) stay in ``cypmh validate``. Reasons that quote another
        row's value are reduced to their rule, so that no identifier leaks
        through them either.
        """
        counts: dict[tuple[str, str, str], int] = {}
        for p in self.problems:
            key = (p.file, p.column, _general_reason(p.reason))
            counts[key] = counts.get(key, 0) + 1
        return [(f, c, r, n) for (f, c, r), n in counts.items()]

    def summary_text(
        self,
        count: Callable[[int], str] = str,
        text: Callable[[str], str] = str,
    ) -> str:
        """The report's data-quality section as text: counts by file, column and reason.

        ``count`` writes each count and ``text`` each hint and warning (a report
        passes its disclosure policy's: :func:`cypmh.io.quality_section.quality_text`).
        """
        lines = [f"{'file':<38} {'read':>8} {'used':>8} {'rejected':>9}"]
        for name, c in self.files.items():
            lines.append(f"{name:<38} {count(c.read):>8} {count(c.used):>8} {count(c.rejected):>9}")
        summary = self.summary()
        if summary:
            lines += ["", f"{count(self.rejected)} rows rejected, by file, column and reason:"]
            lines += [f"  {count(n):>6}  {f}, {c}: {r}" for f, c, r, n in summary]
            lines.append("  (the rows themselves: cypmh validate, which is record-level)")
        else:
            lines += ["", "No rows rejected."]
        lines += [f"Hint: {text(h)}" for h in self.hints()]
        lines += [f"Warning: {text(w)}" for w in self.warnings]
        return "\n".join(lines)

    def to_text(self, *, limit: int = 50) -> str:
        """A report for people: counts per file, then the first ``limit`` problems."""
        lines = [f"{'file':<38} {'read':>8} {'used':>8} {'rejected':>9}"]
        for name, c in self.files.items():
            lines.append(f"{name:<38} {c.read:>8} {c.used:>8} {c.rejected:>9}")
        if self.problems:
            lines.append("")
            lines.append(f"{len(self.problems)} rows rejected:")
            for p in self.problems[:limit]:
                lines.append(f"  {p.where}, {p.column} = {p.value!r}: {p.reason}")
            if len(self.problems) > limit:
                lines.append(f"  ... and {len(self.problems) - limit} more")
        else:
            lines += ["", "No rows rejected."]
        lines += [f"Hint: {h}" for h in self.hints()]
        lines += [f"Warning: {w}" for w in self.warnings]
        named = [
            f"  {path} column {position}: {name!r}"
            for path, header in self.headers.items()
            for position, name in unknown_columns(_spec(path), header)
        ]
        if named:
            lines += ["", "Columns not in the contract, by name (input text: keep it inside):"]
            lines += named
        return "\n".join(lines)


def _spec(path: str) -> FileSpec:
    return next(f for f in FILES if f.path == path)


def _general_reason(reason: str) -> str:
    """A reason without the values it quotes (dates, ids, line numbers), for counting."""
    reason = re.sub(r"\bline \d+", "line N", reason)
    reason = re.sub(r"\(([^()]*)\)", "(...)", reason)
    return re.sub(r"\bthe referral is for .*$", "the referral is for another person", reason)


@attrs.frozen(kw_only=True)
class ReadResult:
    """The area built from the rows that were used, and the data-quality report."""

    area: Area
    quality: QualityReport


def ordered_warnings(warnings: list[str]) -> tuple[str, ...]:
    """Warnings in the contract's file order (both readers read the files in their own order)."""
    order = {f.path: i for i, f in enumerate(FILES)}
    return tuple(sorted(warnings, key=lambda w: order.get(w.split(":")[0], len(order))))


def tie_warning(file: FileSpec, ties: int, first_line: int) -> str:
    """The warning for keys whose latest ``UniqMonthID`` has more than one row (both readers)."""
    return (
        f"{file.path}: {ties} {file.key} value(s) have more than one row in their latest "
        f"UniqMonthID; the last of each was kept (the first such row is at line {first_line})"
    )
