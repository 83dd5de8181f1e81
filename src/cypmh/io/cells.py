"""The frame reader's cells: every data row of a file as stripped strings, with its line number."""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cypmh.io.contract import FileSpec
from cypmh.io.lines import (
    MAX_CELL,
    check_header,
)
from cypmh.io.opening import opened, plain_path, read_header, unread_semicolons
from cypmh.io.quality import ExtractError
from cypmh.io.rows import rows_of_text

if TYPE_CHECKING:
    from cypmh.io.gias import ExtractSettings

__all__ = ["cells", "polars_module", "problem_frame", "whitespace"]


@functools.cache
def whitespace() -> str:
    """Every character Python's ``str.strip()`` removes, so that cells are trimmed alike."""
    return "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def polars_module() -> Any:
    """Polars, or an :class:`ExtractError` saying how to install it."""
    try:
        # Imported here: an optional extra.
        import polars
    except ImportError:  # pragma: no cover - the extra is installed in every test run
        raise ExtractError(
            "reading an extract into frames needs Polars: pip install 'cypmh[polars]'"
        ) from None
    return polars


AS_LINES: dict[str, Any] = {
    "has_header": False,
    "separator": "\x1f",  # a byte no plain file holds: each line is one cell
    "quote_char": None,
    "infer_schema": False,
    "new_columns": ["_text"],
}
"""How Polars reads a plain file's lines whole, each one row of one text column."""


def _fast_lines(text: str) -> Any | None:
    """The file's lines as a one-column frame, or ``None`` if the csv module must read it.

    Without quotes, carriage returns, NULs, undecodable bytes or a line longer
    than a cell may be, every line is one row and its cells are the text
    between commas, as :mod:`cypmh.io.lines` reads them.
    """
    if not text or any(mark in text for mark in ('"', "\r", "\x00", "\x1f")):
        return None
    if text.startswith("\ufeff"):  # a second byte-order mark: Polars would strip it too
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # surrogates: bytes that were not UTF-8
        return None
    pl = polars_module()
    lines = pl.read_csv(data, **AS_LINES).with_columns(pl.col("_text").fill_null(""))
    del data
    if len(text) > MAX_CELL and (lines["_text"].str.len_chars().max() or 0) > MAX_CELL:
        return None
    return lines


def _streamed(
    path: Path,
    file: FileSpec,
    header: list[str],
    only: Collection[str] | None = None,
    parts: int | None = None,
) -> tuple[Any, list[Any]] | None:
    """A plain file's cells (:func:`~cypmh.io.opening.plain_path`), read by Polars a part at a time.

    The same rows and ragged-row problems as :func:`_split` gives for the file's
    lines, but the lines are never all held, nor their cells as lists: Polars'
    streaming engine reads the file in parts, once for the longest line and the
    ragged rows, once for the cells. ``None`` if a byte sequence is not UTF-8 or
    a line is longer than a cell may be: the text path then reads and reports it.
    Polars drops one byte-order mark, as :func:`~cypmh.io.opening.open_text` does.
    With ``only``, the rows have those columns alone (the same rows). With
    ``parts``, the rows come as an iterator of frames of about that many rows,
    in line order, read as they are asked for.
    """
    pl = polars_module()
    check_header(file, header)
    index = {column: position for position, column in enumerate(header)}
    lines = pl.scan_csv(path, **AS_LINES, row_index_name="_line", row_index_offset=1).with_columns(
        pl.col("_line").cast(pl.Int64), pl.col("_text").fill_null("")
    )
    body = lines.filter(pl.col("_line") > 1, pl.col("_text") != "")
    count = pl.col("_text").str.count_matches(",", literal=True) + 1
    ragged = body.filter(count != len(header)).select(
        file=pl.lit(file.path),
        line=pl.col("_line"),
        column=pl.lit("(row)"),
        value=pl.col("_text").str.slice(0, 80),
        reason=pl.format("has {} cells where the header has " + str(len(header)), count),
    )
    longest = lines.select(pl.col("_text").str.len_chars().max().alias("longest"))
    space = whitespace()
    upper = set(file.code_columns)
    cut = pl.col("_text").str.split(",")

    def cell(name: str) -> Any:
        if name not in index:
            return pl.lit("").alias(name)
        value = cut.list.get(index[name]).str.strip_chars(space)
        return (value.str.to_uppercase() if name in upper else value).alias(name)

    names = sorted((set(file.columns) | set(index)) & set(only or index.keys() | file.columns))
    rows = body.filter(count == len(header)).select(pl.col("_line"), *(cell(n) for n in names))
    try:
        found, most = pl.collect_all([ragged, longest], engine="streaming")
        if path.stat().st_size > MAX_CELL and (most["longest"][0] or 0) > MAX_CELL:
            return None
        if parts is not None:
            # Found not UTF-8 by the first pass, which read every line: the parts can't fail.
            return rows.collect_batches(chunk_size=parts, engine="streaming"), [found]
        frame = rows.collect(engine="streaming")
    except pl.exceptions.ComputeError:  # not UTF-8: the text path reads and reports it
        return None
    return frame, [found]


def cells(
    folder: Path,
    file: FileSpec,
    warnings: list[str],
    settings: ExtractSettings | None = None,
    headers: dict[str, tuple[str, ...]] | None = None,
    only: Collection[str] | None = None,
    parts: int | None = None,
) -> tuple[Any, list[Any]] | None:
    """The file's rows (``None`` if it is absent) and its malformed rows, as the reader has them.

    ``headers``, if given, gets the file's column names (by path) when it is read.
    ``only`` asks for those columns alone, where the file is read a part at a
    time (a plain file); other files come with every column. With ``parts``,
    a plain file's rows are an iterator of frames of about that many rows
    (:func:`_streamed`); any other file's are one frame, as without it.
    """
    pl = polars_module()
    plain = plain_path(folder, file)
    if plain is not None:
        # Read by Polars from the file, a part at a time: no Python text of a large file,
        # and no list of its lines (issue 32's memory).
        path, header = plain
        if unread_semicolons(file, header, warnings):
            return None
        streamed = _streamed(path, file, header, only, parts)
        if streamed is not None:
            read_header(file, header, warnings, headers)
            return streamed
    text = opened(folder, file, warnings, settings, headers)
    if text is None:
        return None
    lines = _fast_lines(text)
    columns = set(file.columns)
    if lines is not None:
        del text  # the frame holds the lines now: a large file's text is not kept twice
        return _split(file, lines, columns)
    rows, found = rows_of_text(file, text, warnings)
    header = list(rows[0].index) if rows else list(file.columns)
    columns |= set(header)
    frame = pl.DataFrame(
        {
            "_line": [row.line for row in rows],
            **{name: [row.get(name) for row in rows] for name in sorted(columns)},
        },
        schema={"_line": pl.Int64, **dict.fromkeys(sorted(columns), pl.String)},
    )
    problems = (
        [problem_frame([(p.file, p.line, p.column, p.value, p.reason) for p in found])]
        if found
        else []
    )
    return frame, problems  # rows_of_text has upper-cased the code columns


_CHUNK = 2_000_000
"""Lines split into cells at a time: a large file's cells are never all lists at once."""


def _split(file: FileSpec, lines: Any, columns: set[str]) -> tuple[Any, list[Any]]:
    """The fast path: the lines (a one-column frame) cut into cells, a chunk of lines at a time."""
    pl = polars_module()
    lines = lines.with_row_index("_line", offset=1).with_columns(pl.col("_line").cast(pl.Int64))
    header = [h.strip() for h in lines["_text"][0].split(",")]
    check_header(file, header)
    index = {column: position for position, column in enumerate(header)}
    space = whitespace()
    names = sorted(columns | set(index))
    problems, frames = [], []
    for start in range(1, max(lines.height, 1), _CHUNK):
        body = (
            lines.slice(start, _CHUNK)
            .filter(pl.col("_text") != "")
            .with_columns(pl.col("_text").str.split(",").alias("_cells"))
        )
        ragged = pl.col("_cells").list.len() != len(header)
        problems.append(
            body.filter(ragged).select(
                file=pl.lit(file.path),
                line=pl.col("_line"),
                column=pl.lit("(row)"),
                value=pl.col("_text").str.slice(0, 80),
                reason=pl.format(
                    "has {} cells where the header has " + str(len(header)),
                    pl.col("_cells").list.len(),
                ),
            )
        )
        frames.append(
            body.filter(~ragged).select(
                pl.col("_line"),
                *(
                    pl.col("_cells").list.get(index[name]).str.strip_chars(space).alias(name)
                    if name in index
                    else pl.lit("").alias(name)
                    for name in names
                ),
            )
        )
        del body
    del lines
    schema = {"_line": pl.Int64, **dict.fromkeys(names, pl.String)}
    frame = pl.concat(frames, rechunk=False) if frames else pl.DataFrame(schema=schema)
    if not problems:
        problems = [problem_frame([])]
    upper = [name for name in file.code_columns if name in index]
    if upper:
        frame = frame.with_columns(pl.col(name).str.to_uppercase() for name in upper)
    return frame, problems


def problem_frame(rows: Sequence[tuple[object, ...]]) -> Any:
    """Problems (file, line, column, value, reason tuples) as a frame."""
    pl = polars_module()
    return pl.DataFrame(
        [tuple(row) for row in rows],
        schema={
            "file": pl.String,
            "line": pl.Int64,
            "column": pl.String,
            "value": pl.String,
            "reason": pl.String,
        },
        orient="row",
    )
