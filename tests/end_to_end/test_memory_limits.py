"""Large extracts: a clear refusal or message, never a traceback (issue 32, section 6).

The reference reader builds a Python object per record, about 12 times the files' size in
memory, so it refuses an extract over ``REFERENCE_LIMIT`` and names the engines that read
one in a fraction of that; the dataframe engine still reads it. Running out of memory is
one ``Error:`` line that says what to do. The limit is lowered here to the test extract's
size rather than writing a gigabyte.
"""

import pytest

from cypmh.__main__ import main
from cypmh.io import readers
from tests.end_to_end.test_cli import run


@pytest.fixture
def small(tmp_path, capsys):
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "1", "--people", "40"]) == 0
    capsys.readouterr()
    return folder


def test_the_reference_reader_refuses_an_extract_over_its_limit(small, capsys, monkeypatch):
    monkeypatch.setattr(readers, "REFERENCE_LIMIT", 1000)
    args = ["report", str(small), "--metric", "MHS95"]
    status, out, err = run(capsys, *args, "--engine", "reference")
    assert (status, out) == (1, "")
    assert "more than the reference reader takes" in err
    assert "give --engine polars (or duckdb)" in err
    status, out, _ = run(capsys, *args, "--engine", "polars")
    assert status == 0
    assert "MHS95" in out


def test_running_out_of_memory_is_one_error_line(small, capsys, monkeypatch):
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(readers, "read_extract", exhausted)
    status, out, err = run(capsys, "report", str(small), "--engine", "reference")
    assert (status, out) == (1, "")
    assert err.count("Error:") == 1
    assert "out of memory" in err
    assert "--engine polars" in err
