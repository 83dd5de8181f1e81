"""Time and peak memory of a report on an extract with a large contacts file, both readers.

    python benchmarks/memory.py [GB ...]        (default: 1)

For each size: a synthetic area of 2,000 children is written as an extract
folder, and its MHSDS files are copied, each copy under new person, referral,
contact and care-plan ids, until ``MHS201CareContact.csv`` is about that many
GB (about 20 million contacts a GB, with the other files in proportion). Then,
each in a fresh process:

- ``cypmh report FOLDER --engine polars`` (the dataframe path);
- ``cypmh report FOLDER --engine reference`` (the reference reader, which
  refuses an extract above :data:`cypmh.io.readers.REFERENCE_LIMIT` and names
  the engine to use);
- ``cypmh report FOLDER`` (``--engine auto``: the fastest engine installed);
- ``cypmh validate FOLDER``.

Prints each command's exit status, wall time, peak resident memory (the
child's ``ru_maxrss``) and its last line of standard error. Targets (issue 32):
at most 4 GB on the Polars path and 8 GB on the reference reader for a 1 GB
contacts file, or a refusal that names the engine; never an abort.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTACTS = "MHS201CareContact.csv"


IDS = {"Person_ID", "UniqServReqID", "UniqCareContID", "UniqCarePlanID"}
"""The MHSDS identifier columns: each copy of the area gets its own."""


def grow(folder: Path, gigabytes: float) -> int:
    """Copy the area's MHSDS files, each copy under new ids, until contacts are ``gigabytes`` GB.

    Every copy is a whole set of children with their referrals, contacts,
    care plans and scores, so the grown extract is a large area's, not one
    child with millions of contacts. Returns the contacts file's rows.
    """
    originals = {}
    for path in sorted(folder.glob("MHS*.csv")):
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        columns = header.split(",")
        marked = [i for i, name in enumerate(columns) if name in IDS]
        originals[path] = (header, [row.split(",") for row in rows], marked)
    contacts = folder / CONTACTS
    per_copy = sum(len(",".join(r)) + 1 for r in originals[contacts][1])
    copies = max(1, int(gigabytes * 1e9 / per_copy))
    for path, (header, rows, marked) in originals.items():
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(header + "\n")
            for copy in range(copies):
                suffix = f"-{copy}"
                lines = []
                for row in rows:
                    cells = list(row)
                    for i in marked:
                        if cells[i]:
                            cells[i] += suffix
                    lines.append(",".join(cells))
                out.write("\n".join(lines) + "\n")
    return copies * len(originals[contacts][1])


def run(args: list[str]) -> str:
    """One command in a fresh process: status, time, peak memory, last error line."""
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    last = (done.stderr.strip().splitlines() or [""])[-1][:160]
    return f"exit {done.returncode:>3}  {seconds:7.1f} s  peak {peak_gb:5.2f} GB  {last}"


def main(sizes: list[float]) -> None:
    """Print one line per size and command."""
    cypmh = [sys.executable, "-m", "cypmh"]
    for gigabytes in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "big"
            subprocess.run([*cypmh, "synth", str(folder), "--people", "2000"], check=True)
            rows = grow(folder, gigabytes)
            size = (folder / CONTACTS).stat().st_size / 1e9
            print(f"contacts file {size:.2f} GB, {rows:,} rows", flush=True)
            # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run each command from
            # a fresh parent so that each figure is its own.
            for label, args in (
                ("report --engine polars", ["report", str(folder), "--engine", "polars"]),
                ("report --engine reference", ["report", str(folder), "--engine", "reference"]),
                ("report (auto: DuckDB)", ["report", str(folder)]),
                ("validate", ["validate", str(folder)]),
            ):
                one = [sys.executable, __file__, "--one", *cypmh, *args]
                line = subprocess.run(one, capture_output=True, text=True, check=False).stdout
                print(f"  {label:<24} {line.strip()}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(run(sys.argv[2:]))
    else:
        main([float(a) for a in sys.argv[1:]] or [1.0])
