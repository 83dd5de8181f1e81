"""Time and memory of reading an extract folder.

    python benchmarks/read_extract.py 10000 100000
    python benchmarks/read_extract.py --db 1000000

For each size: write the benchmark's synthetic area (about six contacts per
referral) as an extract folder, then read it back, each reader in a fresh
process: cypmh.io.readers.read_extract (records, the reference) and
cypmh.io.frames.read_extract_frames (Polars tables, no record objects).
With ``--db`` the folder's tables are also loaded into a SQLite database
(not timed), and read_extract_frames reads them from there
(:class:`cypmh.io.sources.Database`, in chunks): the ``frames-db`` row, the
database path against the CSV path (``--db`` alone skips the record reader,
which needs far more memory at 1M referrals). Prints each read's time and
that process's peak memory, and checks that the readers kept and rejected
the same numbers of rows. Target (issue 6): 100k referrals and about 600k
contacts in at most 10 s; (issue 20) the database path within the frame
reader's memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def write(referrals: int, folder: Path) -> None:
    """Write the synthetic extract of ``referrals`` referrals into ``folder``."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.io.extract import write_extract

    write_extract(build(referrals), folder)


def load(folder: Path, database: Path) -> None:
    """Load every CSV file of ``folder`` into a SQLite table named as cypmh names it."""
    import csv
    import sqlite3

    from cypmh.io.contract import FILES
    from cypmh.io.sources import table_name

    with sqlite3.connect(database) as db:
        for file in FILES:
            path = folder / file.path
            if not path.is_file():
                continue
            with path.open(encoding="utf-8", newline="") as handle:
                rows = csv.reader(handle)
                header = next(rows)
                columns = ", ".join(f'"{c}" TEXT' for c in header)
                db.execute(f'CREATE TABLE "{table_name(file.path)}" ({columns})')
                marks = ", ".join("?" for _ in header)
                db.executemany(f'INSERT INTO "{table_name(file.path)}" VALUES ({marks})', rows)


def read(folder: Path, reader: str) -> dict[str, float | str]:
    """Read ``folder`` once, in this process, with ``reader`` (``reference`` or ``frames``)."""
    started = time.perf_counter()
    if reader == "reference":
        from cypmh.io.readers import read_extract

        result = read_extract(folder)
        referrals, contacts = len(result.area.referrals), len(result.area.contacts)
        quality = result.quality
    else:
        from cypmh.io.frames import read_extract_frames
        from cypmh.io.sources import Database

        where: Any = folder
        if reader == "frames-db":
            where = Database(f"sqlite:///{folder.parent / 'extract.db'}")
        frames = read_extract_frames(where, "polars")
        referrals = frames.tables["referrals"].height
        contacts = frames.tables["contacts"].height
        quality = frames.quality
    seconds = time.perf_counter() - started
    return {
        "reader": reader,
        "referrals": referrals,
        "contacts": contacts,
        "rejected": quality.rejected,
        "read_s": round(seconds, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: list[int], db: bool = False) -> None:
    """Write and read each size; print a table."""
    columns = ("reader", "referrals", "contacts", "rejected", "read_s", "peak_mib")
    print(" ".join(f"{c:>10}" for c in columns))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "extract"
            subprocess.run(
                [sys.executable, __file__, "--write", str(size), str(folder)], check=True
            )
            results = []
            readers = ["reference", "frames"]
            if db:
                subprocess.run([sys.executable, __file__, "--load", str(folder)], check=True)
                readers = ["frames", "frames-db"]
            for reader in readers:
                out = subprocess.run(
                    [sys.executable, __file__, "--read", reader, str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results.append(json.loads(out.stdout))
                print(" ".join(f"{results[-1][c]:>10}" for c in columns))
        counts = [(r["referrals"], r["contacts"], r["rejected"]) for r in results]
        if len(set(counts)) != 1:
            raise SystemExit(f"the readers disagree: {counts}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--load"]:
        load(Path(sys.argv[2]), Path(sys.argv[2]).parent / "extract.db")
    elif sys.argv[1:2] == ["--read"]:
        print(json.dumps(read(Path(sys.argv[3]), sys.argv[2])))
    else:
        sizes = [a for a in sys.argv[1:] if a != "--db"]
        main([int(a) for a in sizes] or [10_000, 100_000], db="--db" in sys.argv[1:])
