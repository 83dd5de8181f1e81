"""Generative tests: reading an extract into frames agrees with the reference reader.

Hypothesis builds whole areas, writes them as extract folders and breaks
them in the ways real extracts break: bad dates, unknown codes, numbers out
of range, padded cells, duplicated, deleted and swapped rows, ragged rows,
quoted cells, undecodable bytes, blank lines, CRLF, a byte-order mark and
stacked monthly submissions. :func:`read_extract_frames` must then give the
same data-quality report as :func:`read_extract` (every problem, in the same
order, and every file's counts) and the same tables as the reference reader's
area (:func:`columns_from_area`), row for row.
"""

import csv
import io
import random
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    SdqReason,
    SocialWorkType,
    assessment_tools,
    consultation_mechanisms,
    referral_reasons,
    referral_sources,
    team_types,
)
from cypmh.io import frame_reader
from cypmh.io.extract import write_extract
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import ExtractError, read_extract
from cypmh.metrics.frames import TABLES, columns_from_area, to_native
from cypmh.synth.examples import example_area
from cypmh.tables.coded import as_categories, code_ids
from cypmh.testing import strategies as cst
from tests.budget import examples

# Values that break, or nearly break, one rule or another in some column.
CELLS = [
    "",
    "??",
    " padded ",
    "2024-13-45",
    "2020-02-30",
    "2020-02-29",
    "0000-01-01",
    "2024-1-01",
    "31/12/2020",
    "01/01/0000",
    "2030-12-31",
    "1990-01-01",
    "9999999999999999999999",
    "-1",
    "0",
    "40",
    "41",
    "3",
    "1_0",
    "1__0",
    "inf",
    "nan",
    "1e1",
    ".5",
    "Z",
    "A1",
    "ABCDEFGHIJK",
    "001234",
    "51484002",
    "051484002",
    "51484002: a qualifier",
    "987191000000101",
    "01",
    "10",
    "5",
    "\u00e9t\u00e9",
]


# Values that keep a column's form but may break a rule across columns or files.
_DATES = ["1990-01-01", "2010-06-15", "2019-01-01", "2024-02-29", "2030-12-31", "31/12/2020"]
TYPED = {
    "date": [*_DATES, "2020-02-30", "01/01/0000", "2020-13-01", ""],
    "PersScore": ["-1", "0", "3", "27", "1000", "inf", "-nan", "1_0", "1e1", "x", ""],
    "CodedAssToolType": [*sorted(assessment_tools())[::7], "123456", "012345", "x"],
    "SDQ_SCORE": ["", "0", "40", "41", "-1", "7", "x"],
    "SDQ_REASON": ["", "", *(m.value for m in SdqReason), "SDQ9"],
    "ClinRespPriorityType": ["", *(m.value for m in ClinicalPriority), "9"],
    "ReferRejectReason": ["", *(m.value for m in RejectionReason), "99"],
    "ReferClosReason": ["", *(m.value for m in ClosureReason), "99"],
    "AttendStatus": ["", *(m.value for m in AttendStatus), "1"],
    "STATUS": ["", *(m.value for m in SocialWorkType), "LAC"],
    "SourceOfReferralMH": ["", *list(referral_sources())[:4], "Z9"],
    "PrimReasonReferralMH": ["", *list(referral_reasons())[:4], "17"],
    "ServTeamType": ["", *list(team_types())[:4], "Z99"],
    "ConsMechanismMH": ["", *list(consultation_mechanisms())[:4], "00"],
    "IndirectActTime": ["", "09:30", "09:30:00", "23:59:59", "24:00:00", "9:30", "09:30:60", "x"],
    "GROUPING": [
        "",
        "Getting Help",
        "getting_more_help",
        " Risk-Support ",
        "Advice & Signposting",
        "Tier 3",
    ],
}


# Each fault's weight is how often it appears here.
FAULTS = [
    *("cell", "typed", "typed", "typed", "copy", "copy", "duplicate", "delete", "ragged"),
    *("quote", "stack", "crlf", "blank", "bytes", "link"),
]


def _family(column: str) -> str:
    dated = ("Date", "DOB", "DECOM", "START", "END", "ASSESSMENT_DATE")
    return "date" if column == "DEC" or any(part in column for part in dated) else column


def _link(folder: Path, rng: random.Random) -> None:
    """Add rows to linkage.csv: social care codes tied to health ids, some twice or half-empty."""
    people = [row[0] for row in _rows(folder / "MHS001MPI.csv")[1:] if row] or ["P9"]
    header = folder / "ssda903" / "header.csv"
    codes = [row[0] for row in _rows(header)[1:] if row] if header.is_file() else []
    path = folder / "linkage.csv"
    rows = _rows(path) if path.is_file() else [["Person_ID", "CHILD"]]
    for _ in range(rng.randrange(1, 4)):
        rows.append([rng.choice([*people, ""]), rng.choice([*codes, "C900", ""])])
    _write(path, rows)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]], *, newline: str = "\n", bom: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    data = buffer.getvalue().encode("utf-8", errors="surrogateescape")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def break_folder(folder: Path, rng: random.Random, breaks: int) -> None:
    """Apply ``breaks`` faults, chosen with ``rng``, to the folder's files."""
    files = sorted(p for p in folder.rglob("*.csv") if len(_rows(p)) > 1)
    for _ in range(breaks if files else 0):
        path = rng.choice(files)
        rows = _rows(path)
        header, body = rows[0], rows[1:]
        i, j = rng.randrange(len(body)), rng.randrange(len(body))
        column = rng.randrange(max(1, min(len(header), len(body[i]), len(body[j]))))
        fault = rng.choice(FAULTS)
        if fault == "link":
            _link(folder, rng)
            continue
        if fault == "cell" and column < len(body[i]):
            body[i][column] = rng.choice(CELLS)
        elif fault == "typed" and column < len(body[i]):
            donor = body[j][column] if column < len(body[j]) else ""
            body[i][column] = rng.choice(TYPED.get(_family(header[column]), [donor]))
        elif fault == "copy" and column < min(len(body[i]), len(body[j])):
            body[i][column] = body[j][column]  # dangling, mismatched or duplicate keys
        elif fault == "duplicate":
            body.insert(rng.randrange(len(body) + 1), list(body[i]))
        elif fault == "delete" and len(body) > 1:
            del body[i]
        elif fault == "ragged":
            body[i] = body[i][: rng.randrange(len(header))] or ["x", "y", *body[i]]
        elif fault == "quote" and column < len(body[i]):
            body[i][column] = body[i][column] + ', "quoted"'
        elif fault == "stack":
            if "UniqMonthID" not in header:
                header.append("UniqMonthID")
                for row in body:
                    row.append(str(rng.choice([1500, 1501])))
            body.append(list(body[i]))
            body[-1][-1] = rng.choice(["1502", "1500", "x", ""])
        if fault == "crlf":
            _write(path, [header, *body], newline="\r\n", bom=rng.random() < 0.5)
        elif fault == "blank":
            _write(path, [header, *body])
            lines = path.read_bytes().splitlines(keepends=True)
            lines.insert(rng.randrange(1, len(lines) + 1), b"\n")
            path.write_bytes(b"".join(lines))
        elif fault == "bytes":
            _write(path, [header, *body])
            lines = path.read_bytes().splitlines(keepends=True)
            k = rng.randrange(1, len(lines))
            lines[k] = lines[k].replace(b",", b"\xff,", 1)
            path.write_bytes(b"".join(lines))
        else:
            _write(path, [header, *body])


def assert_same_reading(folder: Path, *, keep: int | None = None, parts: int | None = None) -> None:
    """Both readers give the same problems, counts, warnings and tables.

    ``keep`` sets the frame reader's :data:`~cypmh.io.frame_reader.KEEP_BYTES`: 0 reads every
    file twice, once for the extract's end and again for its rules, as a large extract is read.
    With ``parts``, every file a step can read a part at a time is read so, in parts of that
    many rows (:data:`~cypmh.io.frame_reader.PART_ROWS`), as a large contacts file is.
    """
    if keep is not None:
        with mock.patch.object(frame_reader, "KEEP_BYTES", keep):
            assert_same_reading(folder, parts=parts)
        return
    if parts is not None:
        with (
            mock.patch.object(frame_reader, "PART_BYTES", 0),
            mock.patch.object(frame_reader, "PART_ROWS", parts),
        ):
            assert_same_reading(folder)
        return
    try:
        reference = read_extract(folder, name="x")
    except ExtractError as exc:
        with pytest.raises(ExtractError, match=f"^{re.escape(str(exc))}$"):
            read_extract_frames(folder, "polars", name="x")
        return
    frames = read_extract_frames(folder, "polars", name="x")
    assert frames.quality.problems == reference.quality.problems
    assert frames.quality.files == reference.quality.files
    assert frames.quality.warnings == reference.quality.warnings
    columns = columns_from_area(reference.area)
    for name, kinds in TABLES.items():
        want = sorted(zip(*(columns[name][c] for c in kinds), strict=True), key=repr)
        got = sorted(frames.tables[name].select(list(kinds)).iter_rows(), key=repr)
        assert got == want, name
    # Read with every id a number and every code a category (as `cypmh report` reads on
    # Polars): the same report, and the numbers code_ids gives the text tables, though
    # worked out as each file is read.
    coded = read_extract_frames(folder, "polars", name="x", coded=True)
    assert coded.quality == frames.quality
    numbered = {n: as_categories(t, n) for n, t in code_ids(frames.tables).items()}
    for name in TABLES:
        assert coded.tables[name].schema == numbered[name].schema, name
        got = sorted(coded.tables[name].iter_rows(), key=repr)
        assert got == sorted(numbered[name].iter_rows(), key=repr), name


@settings(max_examples=examples(150), deadline=None)
@given(
    area=cst.areas(max_children=4, max_referrals=3, max_contacts=3),
    seed=st.integers(0, 2**32),
    breaks=st.integers(0, 10),
    keep=st.sampled_from([None, 0]),
    parts=st.sampled_from([None, 1, 2]),
)
def test_the_frame_reader_agrees_on_broken_folders(area, seed, breaks, keep, parts):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_extract(area, Path(tmp) / "x")
        break_folder(folder, random.Random(seed), breaks)
        assert_same_reading(folder, keep=keep, parts=parts)


def test_the_frame_reader_agrees_on_the_example_area(tmp_path):
    # Clean, so the tables must also be the example area's, record for record.
    folder = write_extract(example_area(), tmp_path / "x")
    assert_same_reading(folder)
    assert read_extract_frames(folder).quality.rejected == 0


def test_missing_files_are_the_same_errors(tmp_path):
    folder = write_extract(example_area(), tmp_path / "x")
    (folder / "MHS101Referral.csv").write_text("UniqServReqID,Person_ID\n")
    with pytest.raises(ExtractError, match=r"required column.* OrgIDProv"):
        read_extract_frames(folder)
    (folder / "MHS101Referral.csv").unlink()
    with pytest.raises(ExtractError, match=r"required file missing: MHS101Referral\.csv"):
        read_extract_frames(folder)
    with pytest.raises(ExtractError, match="not a folder"):
        read_extract_frames(tmp_path / "nowhere")


@pytest.mark.parametrize("backend", ["duckdb", "pandas", "pyarrow", "sqlframe"])
def test_every_backend_gets_the_same_tables(tmp_path, backend):
    folder = write_extract(example_area(), tmp_path / "x")
    got = read_extract_frames(folder, backend).tables
    want = to_native(columns_from_area(read_extract(folder).area), backend)
    for name in TABLES:
        assert _rows_of(got[name], backend) == _rows_of(want[name], backend), name


def _rows_of(frame, backend):
    import narwhals as nw

    native = nw.from_native(frame)
    if backend in ("duckdb", "sqlframe"):
        native = native.collect()
    # pandas holds a missing number as NaN, which is not equal to itself: compare it as None.
    rows = [tuple(None if v != v else v for v in row) for row in native.rows()]
    return sorted(rows, key=repr)


# Every rule at least once, whatever the draws: one cell of the example area set to a value
# that breaks (or only nearly breaks) it.
EDITS = (
    [
        ("MHS606CodedScoreAssessmentRefer.csv", "PersScore", v)
        for v in [
            "inf",
            "-inf",
            "nan",
            "1_0",
            "1__0",
            "_1",
            "1e1",
            ".5",
            "5.",
            "x",
            "",
            "-0",
            "1e400",
        ]
    ]
    + [
        ("MHS606CodedScoreAssessmentRefer.csv", "CodedAssToolType", v)
        for v in ["123456", "0123456", "", "x", *sorted(assessment_tools())[::40]]
    ]
    + [("ssda903/oc2.csv", "SDQ_SCORE", v) for v in ["", "41", "-1", "-0", "007", "x", "1.0"]]
    + [("ssda903/oc2.csv", "SDQ_REASON", v) for v in ["", "SDQ1", "SDQ9"]]
    + [
        ("MHS101Referral.csv", column, v)
        for column in ["ReferRejectionDate", "ReferClosureDate", "ServDischDate"]
        for v in ["1990-01-01", "2030-01-01", "", "20240101", "2024-02-29", "2023-02-29"]
    ]
    + [
        ("MHS101Referral.csv", column, v)
        for column in ["ReferRejectReason", "ReferClosReason", "OrgIDProv", "ServTeamType"]
        for v in ["01", "9", "rxt", "RXT", ""]
    ]
    + [
        ("ssda903/episodes.csv", column, v)
        for column in ["DECOM", "DEC", "REC", "CHILD"]
        for v in ["01/02/2020", "1/2/2020", "29/02/2021", "2020-02-01", "", "X1", "P001"]
    ]
    + [
        ("MHS009CarePlanAgreement.csv", column, v)
        for column in ["UniqCarePlanID", "CarePlanAgreedDate"]
        for v in ["", "1990-01-01", "2030-01-01", "CP1", "CP2"]
    ]
    + [
        ("MHS001MPI.csv", column, v)
        for column in ["Person_ID", "PersonBirthDate", "Gender", "OrgIDEduEstab"]
        for v in ["", "P002", "2030-01-01", "12345", "1234567", "X Y", "\u00e9"]
    ]
    + [
        ("MHS202CareActivity.csv", "Procedure", v)
        for v in ["", "51484002 : x", "0123456", "1" * 19, "C999"]
    ]
    + [
        ("MHS204IndirectActivity.csv", "IndirectActTime", v)
        for v in ["", "09:30", "09:30:15", "23:59:59", "24:00:00", "9:30", "09:61", "0930"]
    ]
    + [
        ("schools/link_contacts.csv", column, v)
        for column in ["URN", "START", "END", "OrgIDProv"]
        for v in ["", "100001", "999999", "2000-01-01", "2099-01-01", "ab"]
    ]
)


@pytest.mark.parametrize(("path", "column", "value"), EDITS)
def test_the_frame_reader_agrees_on_each_rule(tmp_path, path, column, value):
    folder = write_extract(example_area(), tmp_path / "x")
    rows = _rows(folder / path)
    rows[1][rows[0].index(column)] = value
    _write(folder / path, rows)
    assert_same_reading(folder)


def _with_groupings():
    """The example area with THRIVE groupings: P001 agreed, P003 suggested on its referral."""
    from datetime import date

    import attrs

    from cypmh.model import GroupingRecord, GroupingSource
    from cypmh.thrive import Grouping

    area = example_area()
    referral = area.referrals_of("P003")[0]
    return attrs.evolve(
        area,
        groupings=(
            GroupingRecord(
                person_id="P001",
                grouping=Grouping.GETTING_HELP,
                from_date=date(2025, 1, 10),
                source=GroupingSource.AGREED,
            ),
            GroupingRecord(
                person_id="P003",
                grouping=Grouping.GETTING_ADVICE,
                from_date=referral.received_date,
                source=GroupingSource.SUGGESTED,
                referral_id=referral.referral_id,
            ),
        ),
    )


THRIVE_EDITS = [
    (line, column, value)
    for line in (1, 2)
    for column, values in {
        "GROUPING": ["", "getting-help", "GETTING ADDITIONAL HELP", "Tier 2", "risk & support"],
        "DATE": ["", "1990-01-01", "2000-01-01", "2030-01-01", "10/01/2025"],
        "STATUS": ["", "Agreed", " suggested ", "proposed"],
        "Person_ID": ["", "P002", "P999", "P003"],
        "UniqServReqID": ["", "R001", "R999"],
    }.items()
    for value in values
]


@pytest.mark.parametrize(("line", "column", "value"), THRIVE_EDITS)
def test_the_frame_reader_agrees_on_each_thrive_rule(tmp_path, line, column, value):
    folder = write_extract(_with_groupings(), tmp_path / "x")
    rows = _rows(folder / "thrive.csv")
    rows[line][rows[0].index(column)] = value
    _write(folder / "thrive.csv", rows)
    assert_same_reading(folder)
