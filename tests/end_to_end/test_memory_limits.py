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


# The guard: from the command line the run is a child process, and a child that dies for want
# of memory (Polars aborts; the kernel sends SIGKILL) is one Error line from the parent, never
# an abort of the command itself. The child's deaths are played by a stand-in for the run.


def _guarded_with(monkeypatch, capsys, behaviour):
    import cypmh.__main__ as entry

    monkeypatch.setattr(entry, "_run", behaviour)
    status = entry.guarded([])
    return status, capsys.readouterr().err


def test_an_abort_in_the_run_is_one_error_line(monkeypatch, capsys):
    import os

    status, err = _guarded_with(monkeypatch, capsys, lambda argv: os.abort())
    assert status == 1
    assert err.count("Error:") == 1
    assert "ran out of memory (the dataframe library aborted)" in err
    assert "--db" in err  # what to do


def test_a_kill_by_the_system_is_one_error_line(monkeypatch, capsys):
    import os
    import signal

    status, err = _guarded_with(
        monkeypatch, capsys, lambda argv: os.kill(os.getpid(), signal.SIGKILL)
    )
    assert status == 1
    assert err.count("Error:") == 1
    assert "most often by the system for want of memory" in err


def test_the_runs_own_status_passes_through(monkeypatch, capsys):
    for code in (0, 1, 2):
        status, err = _guarded_with(monkeypatch, capsys, lambda argv, c=code: c)
        assert (status, err) == (code, "")


def test_a_sigterm_to_the_command_reaches_the_run(monkeypatch, capsys):
    import os
    import signal
    import threading
    import time

    def wait_for_term(argv):
        signal.signal(signal.SIGTERM, lambda *_: os._exit(7))  # the run's own handler
        time.sleep(30)
        return 0

    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.start()
    started = time.monotonic()
    status, _ = _guarded_with(monkeypatch, capsys, wait_for_term)
    timer.cancel()
    assert status == 7  # the child's handler ran (it would clean up a temporary copy)
    assert time.monotonic() - started < 20


def test_the_command_line_runs_guarded(tmp_path):
    # The console script's path: python -m cypmh, no argv given to main.
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "cypmh", "metrics"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "REJ01a" in done.stdout


def test_validate_reads_a_folder_too_large_for_the_reference_reader_with_polars(
    small, capsys, monkeypatch
):
    # Both readers give the same report, problem for problem: validate's text is the same
    # whichever reads it, and a folder over the reference reader's limit is read by Polars.
    status, reference, _ = run(capsys, "validate", str(small), "--engine", "reference")
    status_polars, polars, _ = run(capsys, "validate", str(small), "--engine", "polars")
    assert (status, reference) == (status_polars, polars)
    assert "MHS201CareContact.csv" in reference
    monkeypatch.setattr(readers, "REFERENCE_LIMIT", 1000)
    status, refused, err = run(capsys, "validate", str(small), "--engine", "reference")
    assert (status, refused) == (1, "")
    assert "give --engine polars" in err
    status, auto, _ = run(capsys, "validate", str(small))
    assert (status, auto) == (status_polars, polars)


def test_a_bug_in_the_run_is_one_error_line_that_says_where(monkeypatch, capfd):
    # The child writes this line itself, so it is read at the file descriptor (capfd).
    def broken(argv):
        secret = "P000123"  # a value the run held: never printed
        raise RuntimeError(f"cannot read {secret}")

    status, err = _guarded_with(monkeypatch, capfd, broken)
    assert status == 1
    assert err.count("Error:") == 1
    assert "internal error (RuntimeError, at " in err
    assert "test_memory_limits.py" in err
    assert "P000123" not in err
    assert "Traceback" not in err
