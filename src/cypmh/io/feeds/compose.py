"""The contract's files with the feeds' rows after the folder's own; problems named at the feeds."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from io import StringIO
from pathlib import Path

import attrs

from cypmh.io.contract import spec
from cypmh.io.feeds.read import read_feeds
from cypmh.io.feeds.rows import SOCIAL_WORK, FeedRow, Origin
from cypmh.io.lines import Record, header_of, records
from cypmh.io.quality import Problem

__all__ = ["as_in_the_feeds", "feed_text"]

_ORIGINS: dict[tuple[str, str], dict[int, Origin]] = {}
"""Each composed file's feed rows by line, for :func:`as_in_the_feeds` (by folder and path)."""

_ENDING = re.compile(r"\r\n|\r|\n")


def feed_text(root: Path, path: str, own: str | None, warnings: list[str]) -> str | None:
    """The contract file ``path`` of ``root`` with the feeds' rows after the folder's own.

    ``own`` is the folder's file as :func:`cypmh.io.opening.open_text` gives it
    (``None``: absent). Its rows keep their lines; the feeds' rows follow, in
    its header's columns (a contract column it lacks and a feed fills is added
    at the end, empty on its rows). Without feeds, or feed rows for ``path``,
    ``own`` is returned as it is. The feeds' warnings are added to ``warnings``
    with ``social_work.csv``, the file every feed gives rows of.
    """
    feeds = read_feeds(root)
    if feeds is None:
        return own
    if path == SOCIAL_WORK:
        warnings += feeds.warnings
    rows = feeds.rows.get(path, ())
    if not rows:
        return own
    text, origins = _compose(path, own, rows)
    _ORIGINS[(str(root.resolve()), path)] = origins
    return text


def _compose(path: str, own: str | None, rows: Sequence[FeedRow]) -> tuple[str, dict[int, Origin]]:
    columns = spec(path).columns
    filled = [c for c in columns if any(r.cells.get(c) for r in rows)]
    if own is None or not own.strip():
        header, text = list(columns), ""
    else:
        header = header_of(own)
        missing = [c for c in filled if c not in header]
        text = own if not missing else _widened(own, len(missing), ",".join(missing))
        header += missing
        if not text.endswith(("\n", "\r")):
            text += "\n"
    out = StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not text:
        writer.writerow(header)
    writer.writerows([row.cells.get(c, "") for c in header] for row in rows)
    line = len(_ENDING.findall(text)) + (1 if not text else 0)
    origins = {line + n + 1: row.origin for n, row in enumerate(rows)}
    return text + out.getvalue(), origins


def _widened(own: str, extra: int, names: str) -> str:
    """``own`` with ``extra`` empty cells at the end of each row, and ``names`` on its header.

    Every row stays on its lines; a row whose quote is never closed is passed on as it is.
    """
    parts: list[str] = []
    line = 1
    first = True
    for item in records(own):
        if isinstance(item, Record):
            start = item.line - len(_ENDING.findall(item.text.rstrip("\r\n")))
            body = item.text.rstrip("\r\n")
        else:
            start, body = item[0], item[1]
        parts.append("\n" * max(start - line, 0))
        line = max(line, start)
        if isinstance(item, Record) and body.strip():
            body += "," + names if first else "," * extra
            first = False
        parts.append(body + "\n")
        line += len(_ENDING.findall(body)) + 1
    return "".join(parts)


def as_in_the_feeds(root: Path, problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """``problems`` of the feeds' rows named where the feed has them, with its own field names.

    The file and line stay the contract's (the report's counts are by them); the
    problem's :attr:`~cypmh.io.quality.Problem.origin` is the feed's file and line.
    """
    found = list(problems)
    key = str(root.resolve())
    out = []
    for problem in found:
        origin = _ORIGINS.get((key, problem.file), {}).get(problem.line)
        if origin is None:
            out.append(problem)
        else:
            column = origin.columns.get(problem.column, problem.column)
            out.append(attrs.evolve(problem, origin=origin.where, column=column))
    return tuple(out)
