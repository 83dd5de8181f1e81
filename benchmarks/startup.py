"""Start-up time: ``import cypmh`` and ``cypmh --help``, each in fresh processes.

    python benchmarks/startup.py [RUNS]

Runs each command RUNS times (default 21) in a new process and prints the
median and the fastest wall time, beside Python's own start-up (``python -c
pass``) for scale. Targets (issue 16): ``import cypmh`` in at most 120 ms and
``cypmh --help`` in at most 250 ms, both including the interpreter's start.
``import cypmh`` loads its names on first use, so the benchmark also times
``from cypmh import Area`` (the whole model, as a notebook's first line
loads it) against the same 120 ms.
It compiles cypmh's bytecode first, as an install does. Exits 1 when a
median misses its target. Compare figures only on an idle machine: a busy
core slows every run.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

CYPMH = Path(sys.executable).with_name("cypmh")

COMMANDS: dict[str, tuple[list[str], float | None]] = {
    "python -c pass": ([sys.executable, "-c", "pass"], None),
    "import cypmh": ([sys.executable, "-c", "import cypmh"], 0.120),
    "cypmh.Area": ([sys.executable, "-c", "from cypmh import Area"], 0.120),
    "cypmh --help": ([str(CYPMH), "--help"], 0.250),
}
"""Each command, and its target median in seconds (``None``: shown for scale)."""


def timings(command: list[str], runs: int) -> list[float]:
    """Wall times of ``runs`` fresh runs of ``command`` (after one unmeasured warm-up)."""
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def main(runs: int) -> int:
    """Print the table; return 1 if a target is missed."""
    # As an installed package has it: the bytecode compiled (an editable install, or
    # PYTHONDONTWRITEBYTECODE, would otherwise compile every module at every start).
    import cypmh

    compileall.compile_dir(Path(cypmh.__file__).parent, quiet=1)
    missed = 0
    print(f"{'command':<16} {'median':>9} {'fastest':>9} {'target':>9}")
    for name, (command, target) in COMMANDS.items():
        times = timings(command, runs)
        median = statistics.median(times)
        shown = f"{target * 1000:.0f} ms" if target is not None else "-"
        verdict = "" if target is None or median <= target else "  MISSED"
        missed += bool(verdict)
        print(
            f"{name:<16} {median * 1000:>6.0f} ms {min(times) * 1000:>6.0f} ms {shown:>9}{verdict}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 21))
