"""Read an extract folder straight into dataframes, with the reader's data-quality rules.

:func:`read_extract_frames` gives the same clean tables as
:func:`~cypmh.io.readers.read_extract` followed by
:func:`~cypmh.metrics.frames.tables_from_area`, and the same
:class:`~cypmh.io.readers.QualityReport` (every rejected row with its file,
line, column, value and reason), without making a Python object per record:
cells are read and checked as Polars columns, and the clean tables are handed
to the chosen backend through Arrow. The generative test
``tests/generative/test_frame_reader_agrees.py`` holds the two readers equal
on broken folders.

Each rule below names the reference reader's step it mirrors. The order of
the checks of one row is the reference reader's: first the cells in the order
the record is built, then the model's rules in the order of its fields, then
the checks against other files. Needs Polars (``pip install 'cypmh[polars]'``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from cypmh.codes.labels import input_label
from cypmh.io.frame_reader import FrameReader, report
from cypmh.io.gias import ExtractSettings
from cypmh.io.quality import ExtractError, Linkage, QualityReport
from cypmh.io.relocated import relocated
from cypmh.io.rules import STEPS
from cypmh.io.sources import Source, as_folder
from cypmh.tables.backends import from_arrow, polars_schema
from cypmh.tables.coded import CODE_COLUMNS, ID_COLUMNS
from cypmh.tables.schema import TABLES

__all__ = ["FrameReadResult", "read_extract_frames"]

ID_PLACES = frozenset(place for places in ID_COLUMNS.values() for place in places)
"""Every (table, column) that holds an id."""


@attrs.frozen(kw_only=True)
class FrameReadResult:
    """The clean tables of an extract as native frames, and the data-quality report.

    ``tables`` has every table of :data:`~cypmh.metrics.frames.TABLES`, ready
    for :func:`~cypmh.metrics.frames.compute_frames`; ``name`` labels the area.
    """

    tables: Mapping[str, Any]
    quality: QualityReport
    name: str


def read_extract_frames(
    folder: str | PathLike[str] | Source,
    backend: str = "polars",
    *,
    name: str | None = None,
    la: str | Sequence[str] | None = None,
    coded: bool = False,
    **options: Any,
) -> FrameReadResult:
    """Read the extract in ``folder`` into native frames of ``backend``.

    The rules and the report are :func:`~cypmh.io.readers.read_extract`'s
    (``la`` too, and a :class:`~cypmh.io.sources.Source` in place of the
    folder); ``options`` go to :func:`~cypmh.metrics.frames.to_native` (``session``,
    ``connection``). With ``coded`` (Polars only), every id is a whole number
    (the numbers :func:`cypmh.tables.coded.code_ids` gives, worked out as
    the files are read) and every code a ``Categorical``
    (:func:`cypmh.tables.coded.as_categories`): the same metrics in much less
    memory, but not the ids themselves. Raises :class:`~cypmh.io.readers.ExtractError` for a
    missing folder, required file or column.

    >>> from cypmh.synth.examples import example_area
    >>> from cypmh.io.extract import write_extract
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = read_extract_frames(write_extract(example_area(), tmp), "polars")
    >>> result.tables["referrals"].height, result.quality.rejected
    (5, 0)
    """
    if coded and backend != "polars":
        raise ValueError(f"coded ids are read into Polars only, not {backend}")
    if isinstance(folder, Source):
        with as_folder(folder) as root:
            tables, quality = _read(root, ExtractSettings.of_folder(root, la), coded)
            quality = relocated(quality, folder, root)
        label = name or folder.kind
    else:
        root = Path(folder)
        if not root.is_dir():
            raise ExtractError(f"not a folder: {root}")
        tables, quality = _read(root, ExtractSettings.of_folder(root, la), coded)
        label = name or input_label(root.resolve().name, "area")
    if backend == "polars":  # already Polars: no Arrow (and no PyArrow) needed
        out = {
            name: tables.pop(name).select(list(TABLES[name])).cast(_schema(name, coded))
            for name in TABLES
        }

    else:
        out = from_arrow(
            {table: frame.to_arrow() for table, frame in tables.items()}, backend, **options
        )
    return FrameReadResult(tables=out, quality=quality, name=label)


def _schema(name: str, coded: bool) -> dict[str, Any]:
    """Table ``name``'s Polars types: with ``coded``, ids are ``UInt32`` and codes categories."""
    import polars as pl  # an optional extra, installed with the frame reader

    schema = polars_schema(TABLES[name])
    if coded:
        schema |= {column: pl.UInt32 for table, column in ID_PLACES if table == name}
        schema |= dict.fromkeys(CODE_COLUMNS[name], pl.Categorical)
    return schema


def _read(
    root: Path, settings: ExtractSettings, coded: bool = False
) -> tuple[dict[str, Any], QualityReport]:
    r = FrameReader(root, settings, coded=coded)
    r.preload()
    for step in STEPS:  # each file's rules: cypmh.io.rules
        step.frames(r)
        r.code()  # with coded, each table's ids as numbers as soon as their owner is read
    r.read_the_rest()
    quality = report(r)
    if Linkage.applies(quality.files):
        health = r.tables["referrals"].get_column("person_id").unique().to_list()
        social = [
            person
            for table in (
                "care_episodes",
                "social_work",
                "sdq_returns",
                "wellbeing_assessments",
                "assessment_factors",
            )
            for person in r.tables[table].get_column("person_id").unique().to_list()
        ]
        quality = attrs.evolve(quality, linkage=Linkage.of(health, social))
    return {name: r.tables[name] for name in TABLES}, quality
