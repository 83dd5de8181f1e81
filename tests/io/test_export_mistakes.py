"""Common export mistakes are read as the sector would read them (issue 31, section 6).

- A date with a zero time, as SQL, pandas and Excel write one (``2025-06-07 00:00:00``, with or
  without fractional seconds, or with a ``T``), is the date; any other time of day is a
  problem of its own, with a hint.
- A byte that is not UTF-8 in a column cypmh ignores is a warning; the row is read.
- An optional file separated by semicolons is a warning and read as absent; the rest of the
  extract is read.

Both readers must say the same, row for row.
"""

import csv

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import read_extract
from cypmh.io.reasons import TIME_OF_DAY
from cypmh.synth.folder import write_synthetic
from tests.budget import examples

ZERO_TIMES = [" 00:00:00", "T00:00:00", " 00:00:00.000", "T00:00:00.0000000", " 00:00", "T00:00"]
OTHER_TIMES = [" 13:45:00", "T00:00:01", " 23:59", " 00:00:00.5", "T09:00:00.000"]


def both(folder):
    reference = read_extract(folder)
    frames = read_extract_frames(folder, "polars")
    assert reference.quality == frames.quality
    return reference


def rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    times=st.lists(st.sampled_from(ZERO_TIMES + OTHER_TIMES), min_size=3, max_size=3),
    shift=st.integers(0, 20),
)
def test_zero_times_are_dates_and_other_times_are_problems(tmp_path_factory, times, shift):
    folder = write_synthetic(tmp_path_factory.mktemp("times") / "area", seed=1, people=20)
    clean = read_extract(folder).area
    path = folder / "MHS201CareContact.csv"
    planted = {}

    def plant(rows):
        column = rows[0].index("CareContDate")
        for offset, suffix in enumerate(times):
            row = rows[1 + shift + offset]
            planted[2 + shift + offset] = (row[column], suffix)
            row[column] += suffix

    rewrite(path, plant)
    read = both(folder)
    timed = {p.line: p for p in read.quality.problems if p.reason == TIME_OF_DAY}
    for line, (day, suffix) in planted.items():
        if suffix in ZERO_TIMES:
            assert line not in timed
        else:
            assert timed[line].value == day + suffix
            assert timed[line].column == "CareContDate"
    wrong = [s for s in times if s in OTHER_TIMES]
    assert len(timed) == len(wrong)
    # The zero-time rows are the clean extract's own contacts, on the same days.
    kept = {c.contact_id: c.date for c in read.area.contacts}
    assert all(kept[c.contact_id] == c.date for c in clean.contacts if c.contact_id in kept)
    assert len(kept) == len(clean.contacts) - len(wrong)
    if wrong:
        assert any("dates with a time of day" in h for h in read.quality.hints())


def test_a_bad_byte_in_an_ignored_column_is_a_warning(tmp_path):
    folder = write_synthetic(tmp_path / "area", seed=1, people=20)
    path = folder / "MHS001MPI.csv"
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    notes_at = len(lines[0].split(b",")) + 1  # the column after the contract's ones
    lines = [lines[0] + b",Notes"] + [line + b",caf\xe9" for line in lines[1:]]
    path.write_bytes(b"\n".join(lines) + b"\n")
    read = both(folder)
    counts = read.quality.files["MHS001MPI.csv"]
    assert (counts.read, counts.used, counts.rejected) == (20, 20, 0)
    assert (
        "MHS001MPI.csv: 20 row(s) have text that is not UTF-8 in a column cypmh ignores "
        f"(first at line 2, column {notes_at} of the header); the rows are read, and the file was "
        "probably saved as Latin-1 or Windows-1252"
    ) in read.quality.warnings
    # The same byte in a column cypmh reads still rejects its row.
    text = path.read_bytes().replace(b",caf\xe9", b",x", 19)
    first = text.split(b"\n")[1].split(b",")
    first[0] = first[0] + b"\xe9"
    rows = text.split(b"\n")
    rows[1] = b",".join(first)
    path.write_bytes(b"\n".join(rows))
    read = both(folder)
    (problem,) = [p for p in read.quality.problems if p.file == "MHS001MPI.csv"]
    assert (problem.line, problem.column, problem.reason) == (2, "Person_ID", "is not UTF-8 text")


def test_an_optional_file_separated_by_semicolons_is_a_warning(tmp_path):
    folder = write_synthetic(tmp_path / "area", seed=1, people=20)
    path = folder / "MHS606CodedScoreAssessmentRefer.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    read = both(folder)
    assert "MHS606CodedScoreAssessmentRefer.csv" not in read.quality.files
    assert read.area.assessments == ()
    assert (
        "MHS606CodedScoreAssessmentRefer.csv: the header is separated by semicolons, so the "
        "file is not read (it is optional, and read as absent): save it as CSV with commas"
    ) in read.quality.warnings
    assert read.quality.files["MHS101Referral.csv"].rejected == 0
