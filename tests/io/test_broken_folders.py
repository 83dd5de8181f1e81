"""The reader on broken folders: every planted fault is reported where it is, nothing is lost.

The folders are the example area written by write_extract, then edited by hand.
"""

import csv
import io
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.__main__ import main
from cypmh.io.extract import write_extract
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import ExtractError, read_extract
from cypmh.metrics import compute
from cypmh.synth.examples import example_area
from cypmh.testing import strategies as cst
from tests.budget import examples


@pytest.fixture
def folder(tmp_path):
    return write_extract(example_area(), tmp_path / "extract")


def rows_of(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path, rows, *, newline="\n", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))


def edit(path, line, column, value):
    """Set ``column`` on file line ``line`` (the header is line 1)."""
    rows = rows_of(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def append(path, **cells):
    rows = rows_of(path)
    rows.append([cells.get(c, "") for c in rows[0]])
    write_rows(path, rows)
    return len(rows)


def problems(folder):
    result = read_extract(folder)
    for name, counts in result.quality.files.items():
        assert counts.read == counts.used + counts.rejected, name
    return {
        (p.file, p.line, p.column): (p.value, p.reason) for p in result.quality.problems
    }, result


def test_every_planted_fault_is_found(folder):
    referrals, contacts = folder / "MHS101Referral.csv", folder / "MHS201CareContact.csv"
    edit(referrals, 2, "ReferralRequestReceivedDate", "2024-02-30")  # R001: impossible date
    edit(referrals, 3, "ServTeamType", "Z99")  # R002: unknown code
    edit(contacts, 9, "AttendStatus", "9")  # C008: unknown attendance code
    dangling = append(
        contacts,
        UniqCareContID="C900",
        UniqServReqID="R999",
        Person_ID="P001",
        CareContDate="2025-01-01",
        AttendStatus="5",
    )
    duplicate = append(
        contacts,
        UniqCareContID="C006",
        UniqServReqID="R004",
        Person_ID="P003",
        CareContDate="2025-02-01",
        AttendStatus="5",
    )
    early = append(
        contacts,
        UniqCareContID="C901",
        UniqServReqID="R004",
        Person_ID="P003",
        CareContDate="2025-01-01",
        AttendStatus="5",
    )
    unborn = append(
        referrals,
        UniqServReqID="R900",
        Person_ID="P003",
        OrgIDProv="RXT",
        ReferralRequestReceivedDate="2013-01-01",
    )
    found, result = problems(folder)
    assert found[("MHS101Referral.csv", 2, "ReferralRequestReceivedDate")] == (
        "2024-02-30",
        "not a date",
    )
    assert (
        found[("MHS101Referral.csv", 3, "ServTeamType")][1]
        == "not a code in the service_team_types list"
    )
    assert found[("MHS201CareContact.csv", 9, "AttendStatus")] == ("9", "not a AttendStatus code")
    assert found[("MHS201CareContact.csv", dangling, "UniqServReqID")][0] == "R999"
    assert found[("MHS201CareContact.csv", duplicate, "UniqCareContID")] == (
        "C006",
        "duplicates line 7",
    )
    assert (
        found[("MHS201CareContact.csv", early, "CareContDate")][1]
        == "before the referral was received (2025-01-20)"
    )
    assert found[("MHS101Referral.csv", unborn, "ReferralRequestReceivedDate")][1].startswith(
        "before the child's birth date"
    )
    # The contacts of the two rejected referrals, R001 (lines 2-4) and R002 (lines 5-7), are
    # reported too, as is the contact of a referral that never existed; every other row is used.
    cascaded = {
        line
        for (file, line, column) in found
        if file == "MHS201CareContact.csv" and column == "UniqServReqID"
    }
    assert cascaded == {2, 3, 4, 5, 6, 7, dangling}
    assert {r.referral_id for r in result.area.referrals} == {"R003", "R004", "R005"}
    assert result.quality.files["MHS201CareContact.csv"].rejected == 10


def test_birth_dates_run_from_1900_to_the_extract_end(folder):
    """A birth date is possible from 1900-01-01 up to the extract's end, both ends included.

    The end is the latest event date in the folder. Worked by hand: the latest date among
    the example's referrals, contacts, indirect activities, assessments, care plans, care
    episodes, social-work involvements and mental health assessments is found here by
    reading those columns straight from the CSV files; the day after it is impossible.
    """
    columns = {
        "MHS101Referral.csv": "ReferralRequestReceivedDate",
        "MHS201CareContact.csv": "CareContDate",
        "MHS204IndirectActivity.csv": "IndirectActDate",
        "MHS606CodedScoreAssessmentRefer.csv": "AssToolCompDate",
        "MHS008CarePlanType.csv": "CarePlanCreatDate",
        "ssda903/episodes.csv": "DECOM",
        "ssda903/social_work.csv": "START",
        "ssda903/mh_assessments.csv": "ASSESSMENT_DATE",
    }
    days = []
    for name, column in columns.items():
        rows = rows_of(folder / name)
        days += [row[rows[0].index(column)] for row in rows[1:]]
    end = max(
        date.fromisoformat(d) if "-" in d else date(*map(int, reversed(d.split("/"))))
        for d in days
        if d
    )
    mpi = folder / "MHS001MPI.csv"
    people = [row[0] for row in rows_of(mpi)[1:]]
    assert len(people) >= 4
    for line, born in enumerate(
        ["1899-12-31", "1900-01-01", end.isoformat(), (end + timedelta(days=1)).isoformat()],
        start=2,
    ):
        edit(mpi, line, "PersonBirthDate", born)
    found, result = problems(folder)
    births = {key[1]: value for key, value in found.items() if key[0] == "MHS001MPI.csv"}
    assert births == {
        2: ("1899-12-31", "is before 1900-01-01"),
        5: ((end + timedelta(days=1)).isoformat(), f"is after the extract's last event ({end})"),
    }
    kept = {c.person_id: c.birth_date for c in result.area.children}
    assert people[0] not in kept
    assert people[3] not in kept
    assert kept[people[1]] == date(1900, 1, 1)
    assert kept[people[2]] == end
    pytest.importorskip("polars")
    framed = read_extract_frames(folder).quality
    assert {
        p.line: (p.value, p.reason) for p in framed.problems if p.file == "MHS001MPI.csv"
    } == births


def test_bom_crlf_quoted_commas_and_uk_dates(folder):
    schools = folder / "schools" / "schools.csv"
    rows = rows_of(schools)
    rows[1][rows[0].index("NAME")] = 'Hill, "Primary" School'
    write_rows(schools, rows, newline="\r\n", bom=True)
    episodes = folder / "ssda903" / "episodes.csv"
    edit(episodes, 2, "DECOM", "04/12/2023")  # SSDA903 files accept DD/MM/YYYY
    found, result = problems(folder)
    assert found == {}
    assert result.area.school("100001").name == 'Hill, "Primary" School'
    assert result.area == attrs.evolve(
        example_area(), name=result.area.name, services=(), schools=result.area.schools
    )


def test_non_utf8_bytes_reject_only_their_row(folder):
    path = folder / "MHS001MPI.csv"
    data = path.read_bytes().splitlines(keepends=True)
    data[4] = data[4].replace(b"P004", b"P\xff04")
    path.write_bytes(b"".join(data))
    found, result = problems(folder)
    assert found[("MHS001MPI.csv", 5, "Person_ID")] == ("P\ufffd04", "is not UTF-8 text")
    assert "P004" not in {c.person_id for c in result.area.children}
    # P004's referral is reported as being for no such person.
    assert found[("MHS101Referral.csv", 6, "Person_ID")] == (
        "P004",
        "no such person in MHS001MPI.csv",
    )


def test_a_row_with_the_wrong_number_of_cells(folder):
    path = folder / "MHS201CareContact.csv"
    path.write_text(path.read_text() + "C950,R001\n")
    found, _ = problems(folder)
    assert found[("MHS201CareContact.csv", 10, "(row)")][1] == "has 2 cells where the header has 6"


def test_stacked_monthly_submissions_keep_the_latest(folder):
    path = folder / "MHS101Referral.csv"
    rows = rows_of(path)
    rows[0].append("UniqMonthID")
    for row in rows[1:]:
        row.append("1500")
    later = list(rows[1])
    later[rows[0].index("ServDischDate")] = "2025-03-20"
    later[-1] = "1501"
    rows.append(later)
    write_rows(path, rows)
    found, result = problems(folder)
    assert found == {}
    counts = result.quality.files["MHS101Referral.csv"]
    assert (counts.read, counts.used, counts.rejected, counts.superseded) == (6, 6, 0, 1)
    assert result.area.referral("R001").discharge_date.isoformat() == "2025-03-20"


def test_missing_files_and_columns_are_errors(folder):
    (folder / "MHS101Referral.csv").write_text("UniqServReqID,Person_ID\n")
    with pytest.raises(
        ExtractError,
        match=r"MHS101Referral\.csv: required column.* OrgIDProv, ReferralRequestReceivedDate",
    ):
        read_extract(folder)
    (folder / "MHS101Referral.csv").unlink()
    with pytest.raises(ExtractError, match=r"required file missing: MHS101Referral\.csv"):
        read_extract(folder)
    (folder / "schools" / "schools.csv").unlink()
    (folder / "MHS001MPI.csv").write_text("")
    with pytest.raises(ExtractError, match=r"MHS001MPI\.csv: the file is empty"):
        read_extract(folder)


def test_optional_files_and_folders_may_be_absent(folder):
    shutil.rmtree(folder / "ssda903")
    shutil.rmtree(folder / "schools")
    (folder / "MHS202CareActivity.csv").unlink()
    found, result = problems(folder)
    assert found == {}
    assert result.area.care_episodes == ()


def test_a_required_file_of_a_present_sub_folder(folder):
    (folder / "ssda903" / "episodes.csv").unlink()
    with pytest.raises(ExtractError, match=r"required file missing: ssda903/episodes\.csv"):
        read_extract(folder)


def test_procedure_suffixes_are_ignored(folder):
    path = folder / "MHS202CareActivity.csv"
    edit(path, 2, "Procedure", "51484002:qualifier")
    found, result = problems(folder)
    assert found == {}
    assert result.area.contacts_of("R005")[0].procedures == ("51484002",)


# Property: whatever is broken, reading gives what reading the folder without the rejected
# lines gives, and every file's counts add up.

CORRUPTIONS = ["2024-13-45", "??", "", "9999999999999999999999", "Z", "\xff"]


@settings(max_examples=examples(30), deadline=None)
@given(
    area=cst.areas(max_children=4, max_referrals=3, max_contacts=3),
    seed=st.integers(),
    breaks=st.integers(1, 8),
)
def test_nothing_is_lost(area, seed, breaks):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        broken = write_extract(area, Path(tmp) / "broken")
        files = [
            p for p in broken.rglob("*.csv") if len(p.read_text(encoding="utf-8").splitlines()) > 1
        ]
        for _ in range(breaks if files else 0):
            path = rng.choice(files)
            lines = path.read_bytes().splitlines(keepends=True)
            index = rng.randrange(1, len(lines))
            cells = lines[index].rstrip(b"\r\n").split(b",")
            corruption = rng.choice(CORRUPTIONS)
            cells[rng.randrange(len(cells))] = (
                b"\xff" if corruption == "\xff" else corruption.encode()
            )
            lines[index] = b",".join(cells) + b"\n"
            path.write_bytes(b"".join(lines))
        first = read_extract(broken, name="x")
        for counts in first.quality.files.values():
            assert counts.read == counts.used + counts.rejected
        clean = Path(tmp) / "clean"
        shutil.copytree(broken, clean)
        for file in {p.file for p in first.quality.problems}:
            drop = {p.line for p in first.quality.problems if p.file == file}
            path = clean / file
            lines = path.read_bytes().splitlines(keepends=True)
            path.write_bytes(
                b"".join(line for number, line in enumerate(lines, start=1) if number not in drop)
            )
        second = read_extract(clean, name="x")
    assert second.quality.problems == ()
    assert second.area == first.area
    # The same area gives the same metrics: the broken rows changed nothing else.
    assert compute(first.area, "2025-03", disclosure="none") == compute(
        second.area, "2025-03", disclosure="none"
    )


# capsys is shared by the examples, which is safe: each readouterr() empties it before the next.
@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(area=cst.areas(max_children=3, max_referrals=2, max_contacts=2), seed=st.integers())
def test_the_command_never_shows_a_traceback(area, seed, capsys):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_extract(area, Path(tmp) / "x")
        victim = rng.choice(sorted(folder.rglob("*.csv")))
        action = rng.choice(["empty", "garbage", "no-header-column", "delete"])
        if action == "empty":
            victim.write_bytes(b"")
        elif action == "garbage":
            victim.write_bytes(b"\xff\xfe,,\n\x00\x01\n" + victim.read_bytes())
        elif action == "no-header-column":
            lines = victim.read_text(encoding="utf-8").splitlines()
            victim.write_text(",".join(lines[0].split(",")[1:]) + "\n")
        else:
            victim.unlink()
        for args in (
            ["validate", str(folder)],
            ["report", str(folder), "--period", "2025-03", "--format", "json"],
        ):
            status = main(args)
            out, err = capsys.readouterr()
            assert "Traceback" not in out + err
            assert status in (0, 1)
            assert status == 0 or err.strip()


def test_a_short_row_in_a_file_with_an_undecodable_ignored_column(tmp_path):
    """A ragged row that ends before an ignored column is reported, not an IndexError.

    Found by ``test_the_frame_reader_agrees_on_broken_folders``: the reference reader
    looked for bytes that are not UTF-8 in every ignored column of every row, past the
    end of a short one. The short row (line 3: 6 cells where the header has 7) is the
    one problem both readers report; the byte ``\\xff`` in the ignored column of line 4
    is shown as U+FFFD and said in a warning.
    """
    folder = write_extract(example_area(), tmp_path / "x")
    (folder / "schools").mkdir(exist_ok=True)
    (folder / "schools" / "schools.csv").write_bytes(
        b"URN,NAME,PHASE,LA,OPEN_DATE,CLOSE_DATE,Extra\n"
        b"100001,A,,,,,1\n"
        b"100002,B,,,,\n"
        b"100003,C,,,,,x\xff\n"
    )
    for quality in (read_extract(folder).quality, read_extract_frames(folder).quality):
        problems = [p for p in quality.problems if p.file == "schools/schools.csv"]
        assert [(p.line, p.column) for p in problems] == [(3, "(row)")]
        assert quality.files["schools/schools.csv"].used == 2
