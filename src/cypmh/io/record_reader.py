"""The reference reader's bookkeeping: building records from rows, and what it rejected."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from cypmh.errors import InvalidValueError
from cypmh.io import reasons
from cypmh.io.contract import EVENT_DATES, FILES
from cypmh.io.quality import FileCounts, Problem
from cypmh.io.rows import Row, RowError, latest_submissions, read_rows
from cypmh.model import Child, Referral

if TYPE_CHECKING:
    from cypmh.io.gias import ExtractSettings

__all__ = ["RecordReader"]


T = TypeVar("T")


_OTHER_FIELD = re.compile(r"^(must not be before |may be given only with )(\w+)")
"""The model's rules that name another field: named again by the file's own column."""


class RecordReader:
    """Collects problems and counts while building records from one folder.

    It also carries what the rule modules (:mod:`cypmh.io.rules`) hand on to
    one another: the extract's ``end``, the ``children`` and ``linkage`` (people),
    the kept referrals ``by_referral``, and ``records``, the area's record
    tuples by :class:`~cypmh.model.Area` field.
    """

    def __init__(self, folder: Path, settings: ExtractSettings | None = None) -> None:
        self.folder = folder
        self.settings = settings
        self.counts: dict[str, FileCounts] = {}
        self.headers: dict[str, tuple[str, ...]] = {}
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.cache: dict[str, list[Row]] = {}
        self.end: date | None = None
        self.children: dict[str, Child] = {}
        self.linkage: dict[str, str] = {}
        self.by_referral: dict[str, Referral] = {}
        self.records: dict[str, tuple[Any, ...]] = {}

    def preload(self) -> date | None:
        """Read every file's rows (in the contract's order); return the extract's end.

        The end is the latest event date (:data:`~cypmh.io.contract.EVENT_DATES`)
        that reads as a date, or ``None`` if there is none.
        """
        self.cache = {f.path: self._rows(f.path) for f in FILES}
        end: date | None = None
        for path, column in EVENT_DATES.items():
            for row in self.cache[path]:
                try:
                    day = row.optional_date(column)
                except RowError:
                    continue
                if day is not None and (end is None or day > end):
                    end = day
        self.end = end
        return end

    def rows(self, path: str) -> list[Row]:
        """The file's rows (read once by :meth:`preload`)."""
        return self.cache.pop(path)

    def _rows(self, path: str) -> list[Row]:
        file = next(f for f in FILES if f.path == path)
        raw = read_rows(self.folder, file, self.warnings, self.settings, self.headers)
        if raw is None:
            return []
        rows, problems = raw
        rows, superseded, more = latest_submissions(rows, file, self.warnings)
        problems += more
        self.counts[path] = FileCounts(
            read=len(rows) + superseded + len(problems), superseded=superseded
        )
        self.problems += problems
        return rows

    def reject(self, path: str, line: int, column: str, value: object, reason: str) -> None:
        """Report the row at ``line`` of ``path``: its ``column``, ``value`` and the ``reason``."""
        self.problems.append(
            Problem(file=path, line=line, column=column, value=str(value), reason=reason)
        )

    def build(
        self,
        path: str,
        rows: Iterable[Row],
        make: Callable[[Row], T],
        columns: Mapping[str, str],
    ) -> list[tuple[int, T]]:
        """Build one record per row (with its line); report the rows whose values break a rule."""
        built = []
        for row in rows:
            try:
                built.append((row.line, make(row)))
            except RowError as exc:
                self.reject(path, row.line, exc.column, exc.value, exc.reason)
            except InvalidValueError as exc:
                column = columns.get(exc.field.split("[")[0], exc.field)
                rule = _OTHER_FIELD.sub(lambda m: m[1] + columns.get(m[2], m[2]), exc.rule)
                self.reject(path, row.line, column, row.get(column) or exc.value, rule)
        return built

    def unique(
        self,
        path: str,
        built: list[tuple[int, T]],
        key: Callable[[T], object],
        column: str,
        shown: Callable[[T], object] | None = None,
    ) -> list[tuple[int, T]]:
        """Keep the first record of each ``key``; report later ones as duplicates of it.

        A duplicate's value is its key, or ``shown`` of it where a key has parts.
        """
        seen: dict[object, int] = {}
        kept = []
        for line, record in built:
            k = key(record)
            if k in seen:
                value = k if shown is None else shown(record)
                self.reject(path, line, column, value, reasons.DUPLICATES.format(seen[k]))
            else:
                seen[k] = line
                kept.append((line, record))
        return kept

    def keep_if(
        self,
        path: str,
        built: list[tuple[int, T]],
        check: Callable[[T], tuple[str, object, str] | None],
    ) -> list[tuple[int, T]]:
        """Keep the records ``check`` passes; it returns (column, value, reason) to reject."""
        kept = []
        for line, record in built:
            failure = check(record)
            if failure is None:
                kept.append((line, record))
            else:
                self.reject(path, line, *failure)
        return kept

    def finish(self, path: str, used: int) -> None:
        """Close ``path``'s counts: ``used`` rows kept, the rest of what was read rejected."""
        counts = self.counts.get(path)
        if counts is not None:
            rejected = sum(1 for p in self.problems if p.file == path)
            self.counts[path] = attrs.evolve(
                counts, used=used + counts.superseded, rejected=rejected
            )
