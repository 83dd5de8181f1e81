"""Opening an extract's file: present or absent, required or not, decoded, its header read.

The first step of both readers (:mod:`cypmh.io.readers` and :mod:`cypmh.io.frames`):
:func:`open_text` finds the file (or GIAS's download in place of
``schools/schools.csv``, :mod:`cypmh.io.gias`) and decodes it; :func:`opened`
then reads its header, with the warnings a header can give. The rows are then
split by :func:`cypmh.io.lines.records`.
"""

from __future__ import annotations

import mmap
import os
import stat
from pathlib import Path

from cypmh.io.contract import FILES, FileSpec, Need
from cypmh.io.feeds import DERIVED, feed_text, has_feeds
from cypmh.io.gias import ExtractSettings, contract_text, gias_download
from cypmh.io.lines import (
    BOM,
    ExtractError,
    folder_present,
    header_of,
    header_warnings,
    looks_semicolon_separated,
    probe,
)

__all__ = [
    "open_text",
    "opened",
    "plain_path",
    "read_header",
    "social_care_only",
    "unread_semicolons",
]


def social_care_only(root: Path) -> bool:
    """Whether ``root`` is a social-care extract: social care's files and no health file.

    Social care's files: an ``ssda903/`` folder, or a feed's (``ssd/`` or ``cin/``,
    :mod:`cypmh.io.feeds`). Such a folder is valid: the health metrics are then
    not available (:mod:`cypmh.metrics.inputs`), and the social-care ones are
    computed. A folder with some of the required health files and not others is
    still an error.
    """
    required = [f.path for f in FILES if f.need is Need.REQUIRED]
    social = (root / "ssda903").is_dir() or has_feeds(root)
    return social and not any((root / p).exists() for p in required)


def open_text(
    root: Path, file: FileSpec, warnings: list[str], settings: ExtractSettings | None = None
) -> str | None:
    """The file's text with one byte-order mark stripped, or ``None`` if it is absent.

    Undecodable bytes are kept as surrogates, for the row checks to report.
    A ``schools/schools.csv`` in DfE's GIAS layout is given in the contract's
    (:func:`cypmh.io.gias.contract_text`, with ``settings``' LA numbers); without
    one, a single GIAS download (``schools/edubase*.csv``) is read in its place.
    A missing required file (or required file of a present sub-folder) and a
    path that cannot be read as a file are :class:`ExtractError`; a zero-byte
    optional file is absent, with a warning. The files a feed gives rows of
    (``ssda903/social_work.csv`` and others, :mod:`cypmh.io.feeds`) come with the
    feeds' rows after the folder's own; with a feed, such a file may be absent.
    """
    if file.path in DERIVED and has_feeds(root):
        own = _own_text(root, file, warnings, settings, feeds=True)
        return feed_text(root, file.path, own, warnings)
    return _own_text(root, file, warnings, settings, feeds=False)


def _own_text(
    root: Path,
    file: FileSpec,
    warnings: list[str],
    settings: ExtractSettings | None,
    *,
    feeds: bool,
) -> str | None:
    present = folder_present(root, file)
    required = (file.need is Need.REQUIRED and not social_care_only(root)) or (
        file.need is Need.IF_FOLDER and present and not feeds
    )
    path = root / file.path
    if not probe(path, file.path):
        download = gias_download(root, file, present)
        if download is None:
            if required:
                raise ExtractError(f"required file missing: {file.path}")
            return None
        warnings.append(f"{file.path}: read from {download.relative_to(root)}, GIAS's download")
        path = download
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{file.path}: cannot be read: {exc.strerror}") from None
    if not data:
        if required:
            raise ExtractError(f"{file.path}: the file is empty (it needs a header row)")
        warnings.append(f"{file.path}: the file is empty (0 bytes); read as a file with no rows")
        return None
    if file.path == "schools/schools.csv":
        translated = contract_text(data, settings or ExtractSettings(), warnings)
        if translated is not None:
            return translated
    text = data.decode("utf-8", errors="surrogateescape")
    return text[1:] if text.startswith(BOM) else text


def opened(
    root: Path,
    file: FileSpec,
    warnings: list[str],
    settings: ExtractSettings | None = None,
    headers: dict[str, tuple[str, ...]] | None = None,
) -> str | None:
    """The file's text, as both readers start from it (``None``: absent, or left unread).

    :func:`open_text`, then the header: an optional file separated by
    semicolons is left unread (:func:`unread_semicolons`); otherwise
    ``headers``, if given, gets its column names by path, and ``warnings`` its
    header's (:func:`header_warnings`).
    """
    text = open_text(root, file, warnings, settings)
    if text is None:
        return None
    return text if read_header(file, header_of(text), warnings, headers) else None


def read_header(
    file: FileSpec,
    header: list[str],
    warnings: list[str],
    headers: dict[str, tuple[str, ...]] | None = None,
) -> bool:
    """Whether a file with this header is read: :func:`opened`'s checks of the header.

    An optional file separated by semicolons is left unread
    (:func:`unread_semicolons`); otherwise ``headers``, if given, gets its
    column names by path, and ``warnings`` its header's (:func:`header_warnings`).
    """
    if unread_semicolons(file, header, warnings):
        return False
    if headers is not None:
        headers[file.path] = tuple(header)
    warnings += header_warnings(file, header)
    return True


_NOT_PLAIN = (b'"', b"\r", b"\x00", b"\x1f")
"""Bytes that only the csv module reads as the readers mean: quotes, carriage returns, NULs,
and the separator the frame reader reads whole lines with."""


def plain_path(root: Path, file: FileSpec) -> tuple[Path, list[str]] | None:
    """The file's path and header if its rows can be read without Python text (``None``: not so).

    Plain: a regular file of at least one byte at its contract path (not
    ``schools/schools.csv``, which may be in GIAS's layout, nor a file a feed
    gives rows of), with no quote,
    carriage return, NUL or unit separator, at most one byte-order mark, and
    a header that is UTF-8. The frame reader then hands the path to Polars,
    which checks that the rest is UTF-8; any other file is read from
    :func:`opened`'s text. The bytes are scanned in place (memory-mapped), so
    a large file is never held whole. Nothing is reported here: the caller
    checks the header (:func:`read_header`) once it reads the rows.
    """
    if file.path == "schools/schools.csv" or (file.path in DERIVED and has_feeds(root)):
        return None
    path = root / file.path
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        return None
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            if any(mm.find(mark) != -1 for mark in _NOT_PLAIN):
                return None
            bom = BOM.encode("utf-8")
            start = len(bom) if mm[: len(bom)] == bom else 0
            if start == len(mm) or mm[start : start + len(bom)] == bom:
                return None
            end = mm.find(b"\n", start)
            first = mm[start : len(mm) if end == -1 else end]
    except (OSError, ValueError):  # unreadable, or empty (mmap refuses 0 bytes): opened() says
        return None
    try:
        return path, header_of(first.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def unread_semicolons(file: FileSpec, header: list[str], warnings: list[str]) -> bool:
    """Whether an optional file is left unread, its header separated by semicolons.

    A required file with such a header is an error (:func:`check_header`); an
    optional one is read as absent, with a warning in ``warnings``, so the
    rest of the extract is still read.
    """
    if file.need is not Need.OPTIONAL or not looks_semicolon_separated(header):
        return False
    warnings.append(
        f"{file.path}: the header is separated by semicolons, so the file is not read (it is "
        "optional, and read as absent): save it as CSV with commas"
    )
    return True
