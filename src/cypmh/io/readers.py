"""Read an extract folder into an :class:`~cypmh.model.Area` and a data-quality report.

The contract is :mod:`cypmh.io.contract`.
Every row read is either used or reported, with its file, line (the header is
line 1), column, value and the reason, so that for every file
``read = used + rejected``. A missing required file or column is an
:class:`ExtractError`, not a row problem. Rows are checked alone (dates,
codes, the model's rules) and then against each other, in the order the
records depend on one another: a contact whose referral was rejected is
itself reported, with the reason.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs

from cypmh.codes.labels import input_label
from cypmh.errors import InvalidValueError
from cypmh.io.contract import FILES
from cypmh.io.feeds import as_in_the_feeds
from cypmh.io.gias import ExtractSettings, as_in_the_file
from cypmh.io.quality import (
    ExtractError,
    FileCounts,
    Linkage,
    Problem,
    QualityReport,
    ReadResult,
    ordered_warnings,
)
from cypmh.io.record_reader import RecordReader
from cypmh.io.rejected import rejected_people
from cypmh.io.relocated import relocated
from cypmh.io.rows import rows_of_text
from cypmh.io.rules import STEPS
from cypmh.io.rules.people import birth_problem
from cypmh.io.sources import Source, as_folder
from cypmh.model import Area
from cypmh.tables.backends import BACKENDS, fastest_available

if TYPE_CHECKING:
    from cypmh.io.frames import FrameReadResult

__all__ = [
    "ExtractError",
    "FileCounts",
    "Problem",
    "QualityReport",
    "ReadResult",
    "birth_problem",
    "extract_size",
    "read_extract",
    "rows_of_text",
]


@overload
def read_extract(
    folder: str | PathLike[str] | Source,
    *,
    name: str | None = None,
    la: str | Sequence[str] | None = None,
    engine: Literal["reference"] | None = None,
) -> ReadResult: ...


@overload
def read_extract(
    folder: str | PathLike[str] | Source,
    *,
    name: str | None = None,
    la: str | Sequence[str] | None = None,
    engine: str,
    **backend_options: Any,
) -> ReadResult | FrameReadResult: ...


def read_extract(
    folder: str | PathLike[str] | Source,
    *,
    name: str | None = None,
    la: str | Sequence[str] | None = None,
    engine: str | None = None,
    **backend_options: Any,
) -> ReadResult | FrameReadResult:
    """Read the extract in ``folder``; see the module docstring for what happens to each row.

    ``engine`` chooses what it is read into. ``None`` or ``"reference"``: an
    :class:`~cypmh.model.Area` of records (a :class:`ReadResult`). A backend of
    :data:`~cypmh.tables.backends.BACKENDS` (``"polars"``, ``"duckdb"``, ...): that
    backend's frames, read straight from the files by the frame reader (a
    :class:`~cypmh.io.frames.FrameReadResult`; ``backend_options`` go to
    :func:`~cypmh.tables.backends.to_native`). ``"auto"``: the fastest installed
    backend, else the records. Both readers apply the same rules and give the same
    data-quality report.

    ``folder`` may instead be a :class:`~cypmh.io.sources.Source`: data
    frames (:class:`~cypmh.io.sources.Frames`) or a database
    (:class:`~cypmh.io.sources.Database`), read by the same rules, with each
    problem named by its table, row and key.
    ``name`` labels the area (default: the folder's name). ``la`` is the
    DfE LA number (or numbers) whose schools a GIAS ``schools/schools.csv``
    keeps (:mod:`cypmh.io.gias`; default: the folder's ``cypmh.toml``).
    Raises :class:`ExtractError` for a missing folder, required file or
    column.
    """
    backend = _backend(engine)
    if backend is not None:
        # Imported here: the frame reader needs the polars extra.
        from cypmh.io.frames import read_extract_frames

        return read_extract_frames(folder, backend, name=name, la=la, **backend_options)
    # Reading makes a great many objects that all live to the end; the cyclic garbage
    # collector would scan them again and again for nothing, so it waits until we are done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        if isinstance(folder, Source):
            return _read_source(folder, name, la)
        return _read(folder, name, la)
    finally:
        if enabled:
            gc.enable()


def _backend(engine: str | None) -> str | None:
    """The backend ``engine`` reads into (``None``: the records, for the reference engine)."""
    if engine is None or engine == "reference":
        return None
    if engine == "auto":
        return fastest_available()
    if engine not in BACKENDS:
        raise InvalidValueError(
            "read_extract",
            "engine",
            engine,
            f"must be reference, auto or one of {', '.join(BACKENDS)}",
        )
    return engine


REFERENCE_LIMIT = 600_000_000
"""The largest extract, in bytes of its files, the reference reader takes (0.6 GB).

It builds a Python object for every record, about 12 times the files' size in memory
(measured: 2.8 GB for a 0.22 GB extract, ``benchmarks/memory.py``), so an extract at
this limit needs some 7.5 GB, within the 8 GB that issue 32 allows it; the dataframe
engines read a larger one."""


def extract_size(root: Path) -> int:
    """The bytes of the extract's files in the folder ``root``."""
    return sum((root / f.path).stat().st_size for f in FILES if (root / f.path).is_file())


def _check_size(root: Path) -> None:
    """Refuse an extract too large for the reference reader, naming the engines to use."""
    total = extract_size(root)
    if total > REFERENCE_LIMIT:
        raise ExtractError(
            f"the extract's files come to {total / 1e9:.1f} GB, more than the reference "
            f"reader takes ({REFERENCE_LIMIT / 1e9:.1f} GB; it needs about 12 times the "
            "files' size in memory): give --engine polars (or duckdb)"
        )


def _read_source(source: Source, name: str | None, la: str | Sequence[str] | None) -> ReadResult:
    with as_folder(source) as root:
        result = _read(root, name or source.kind, la)
        return attrs.evolve(result, quality=relocated(result.quality, source, root))


def _read(
    folder: str | PathLike[str], name: str | None, la: str | Sequence[str] | None
) -> ReadResult:
    root = Path(folder)
    if not root.is_dir():
        raise ExtractError(f"not a folder: {root}")
    _check_size(root)
    r = RecordReader(root, ExtractSettings.of_folder(root, la))
    r.preload()
    for step in STEPS:  # each file's rules: cypmh.io.rules
        step.records(r)
    area = Area(name=name or input_label(root.resolve().name, "area"), **r.records)
    order = [f.path for f in FILES]
    problems = as_in_the_feeds(
        root,
        as_in_the_file(root, sorted(r.problems, key=lambda p: (order.index(p.file), p.line))),
    )
    ordered = {f.path: r.counts[f.path] for f in FILES if f.path in r.counts}
    social = (
        area.care_episodes,
        area.social_work,
        area.sdq_returns,
        area.wellbeing_assessments,
        area.assessment_factors,
    )
    linkage = (
        Linkage.of(
            (referral.person_id for referral in area.referrals),
            (record.person_id for records in social for record in records),
        )
        if Linkage.applies(ordered)
        else None
    )
    return ReadResult(
        area=area,
        quality=QualityReport(
            files=ordered,
            problems=problems,
            warnings=ordered_warnings(r.warnings),
            headers={path: r.headers[path] for path in ordered if path in r.headers},
            linkage=linkage,
            rejected_people=rejected_people(root, problems, r.settings),
        ),
    )
