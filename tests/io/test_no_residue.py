"""A database or frame source leaves no copy of the extract behind (issue 32, section 6).

The readers write a source's tables to a private temporary folder while they read them. A
process stopped with SIGTERM (or SIGHUP) while that folder exists must remove it: it is a
record-level copy of the extract. A subprocess reads a source whose rows come slowly; once
its folder appears under a TMPDIR of the test's own, the test sends the signal and checks
that the process ends with the signal's status and that nothing is left in TMPDIR.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

SCRIPT = textwrap.dedent(
    """
    import time
    from cypmh.io.contract import spec
    from cypmh.io.readers import read_extract
    from cypmh.io.sources import Source

    class Slow(Source):
        kind = "slow"

        def tables(self):
            def rows():
                for n in range(10_000):
                    time.sleep(0.01)
                    yield [f"P{n:06d}", "2010-01-01"]
            yield spec("MHS001MPI.csv"), ["Person_ID", "PersonBirthDate"], rows()

    read_extract(Slow())
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_read_leaves_no_copy(tmp_path, signum):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith("cypmh-source-") for p in tmp_path.iterdir()):
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)  # rows are being written
    process.send_signal(signum)
    status = process.wait(timeout=60)
    assert status == 128 + signum
    assert b"Traceback" not in process.stderr.read()
    assert list(tmp_path.iterdir()) == []
