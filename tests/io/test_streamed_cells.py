"""A plain file is read by Polars from its path, a part at a time (issue 32, section 6).

The frame reader used to hold a file's whole text in Python, then all its lines, then
all their cells as lists. A plain file (no quote, carriage return, NUL or unit
separator, at most one byte-order mark) is now scanned in place and handed to
Polars' streaming engine. These tests hold the two ways equal, cell for cell and
problem for problem, over generated files, and check which files take the new way.
"""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.io.cells import _fast_lines, _split, _streamed
from cypmh.io.contract import spec
from cypmh.io.lines import BOM, MAX_CELL
from cypmh.io.opening import plain_path
from tests.budget import examples

CONTACTS = spec("MHS201CareContact.csv")
HEADER = list(CONTACTS.columns)

# Cells of every kind a plain file can hold: empty, padded, non-ASCII (letters and the
# whitespace str.strip() removes), and codes in lower case (upper-cased as code columns).
cell = st.text(
    alphabet=st.sampled_from(
        [
            "a",
            "B",
            "7",
            "-",
            " ",
            "\t",
            "é",
            "\u00a0",
            "\u3000",
            "ß",
            "x",
            "\x0b",
            "\x1c",
            "\x85",
            "\u2028",
            "\u200b",
        ]
    ),
    max_size=6,
)
line = st.one_of(
    st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)).map(",".join),  # a row
    st.lists(cell, min_size=1, max_size=len(HEADER) + 2).map(",".join),  # maybe ragged
    st.just(""),  # a blank line
    st.just("   "),  # a line of spaces: one cell, so ragged
)


def as_in_memory(text):
    """What the frame reader made of the text before: all lines, then cells as lists."""
    lines = _fast_lines(text)
    assert lines is not None  # a plain text takes the fast path
    return _split(CONTACTS, lines, set(CONTACTS.columns))


def same(frame, problems, other_frame, other_problems):
    assert frame.to_dicts() == other_frame.to_dicts()
    found = [row for p in problems for row in p.iter_rows()]
    expected = [row for p in other_problems for row in p.iter_rows()]
    assert sorted(found) == sorted(expected)


@settings(
    max_examples=examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.lists(line, max_size=12),
    bom=st.booleans(),
    final_newline=st.booleans(),
    header_spaces=st.booleans(),
)
def test_a_plain_file_streamed_is_the_file_read_whole(
    tmp_path_factory, body, bom, final_newline, header_spaces
):
    header = ", ".join(HEADER) if header_spaces else ",".join(HEADER)
    text = "\n".join([header, *body]) + ("\n" if final_newline else "")
    folder = tmp_path_factory.mktemp("plain")
    (folder / CONTACTS.path).write_bytes(((BOM if bom else "") + text).encode("utf-8"))
    found = plain_path(folder, CONTACTS)
    assert found is not None
    path, read_header = found
    assert read_header == [h.strip() for h in header.split(",")]
    streamed = _streamed(path, CONTACTS, read_header)
    assert streamed is not None
    same(*streamed, *as_in_memory(text))


def write(folder: Path, data: bytes) -> Path:
    path = folder / CONTACTS.path
    path.write_bytes(data)
    return path


GOOD = ",".join(HEADER).encode() + b"\nC1,R1,P1,2024-01-02,5,01\n"


def test_which_files_are_plain(tmp_path):
    """Each thing only the csv module reads as the readers mean sends a file the text way."""
    assert plain_path(tmp_path, CONTACTS) is None  # absent
    write(tmp_path, GOOD)
    assert plain_path(tmp_path, CONTACTS) is not None
    write(tmp_path, BOM.encode() + GOOD)
    assert plain_path(tmp_path, CONTACTS) is not None  # one byte-order mark is dropped
    for bad in (
        b"",  # empty: opened() says what an empty file is
        BOM.encode(),  # a byte-order mark alone
        BOM.encode() * 2 + GOOD,  # a second mark is a character of the header
        GOOD.replace(b"C1", b'"C1"'),
        GOOD.replace(b"\n", b"\r\n"),
        GOOD.replace(b"C1", b"C\x001"),
        GOOD.replace(b"C1", b"C\x1f1"),
        GOOD.replace(b"Person_ID", b"Person_\xffID"),  # a header that is not UTF-8
    ):
        write(tmp_path, bad)
        assert plain_path(tmp_path, CONTACTS) is None, bad
    (tmp_path / "schools").mkdir()
    (tmp_path / "schools" / "schools.csv").write_bytes(b"URN\n1\n")
    assert plain_path(tmp_path, spec("schools/schools.csv")) is None  # maybe GIAS's layout


def test_bytes_that_are_not_utf8_or_an_overlong_line_go_the_text_way(tmp_path):
    """Polars finds a row that is not UTF-8; a cell longer than a spreadsheet's is reported."""
    path = write(tmp_path, GOOD + b"C2,R\xff1,P1,2024-01-02,5,01\n")
    assert _streamed(path, CONTACTS, HEADER) is None
    long = "C3," + "R" * (MAX_CELL + 1) + ",P1,2024-01-02,5,01\n"
    path = write(tmp_path, GOOD + long.encode())
    assert _streamed(path, CONTACTS, HEADER) is None


def test_a_file_no_rule_reads_is_still_counted(tmp_path):
    """The reader reads each file when its rules come to it; one that no rule read is read last.

    Every rule module reads its files today, so this holds the safety net itself: with the
    THRIVE step left out, ``read_the_rest`` still counts ``thrive.csv``'s rows, as the
    first reading of every file once did. With ``KEEP_BYTES`` 0, every file is read twice.
    """
    from unittest import mock

    from cypmh.io import frame_reader
    from cypmh.io.gias import ExtractSettings
    from cypmh.io.rules import STEPS
    from cypmh.synth.folder import write_synthetic

    folder = write_synthetic(tmp_path / "x", seed=1, people=20)
    rows = len((folder / "thrive.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert rows > 0
    with mock.patch.object(frame_reader, "KEEP_BYTES", 0):
        r = frame_reader.FrameReader(folder, ExtractSettings.of_folder(folder, None))
        r.preload()
        assert r.counts == {}  # the first reading records nothing
        for step in STEPS:
            if step.__name__ != "cypmh.io.rules.thrive":
                step.frames(r)
        assert "thrive.csv" not in r.counts
        r.read_the_rest()
    assert r.counts["thrive.csv"].read == rows
