"""Time and memory of a monthly series against one month (issue 17).

    python benchmarks/series.py 100000 1000000

For each size: write the benchmark's synthetic area (about six contacts per
referral) as an extract folder once, then, each in a fresh process, do what
``cypmh trend`` does on the Polars engine: read and validate the extract into
tables (:func:`cypmh.io.frames.read_extract_frames`), then compute the whole
catalogue with the age-band and provider breakdowns under the default
disclosure policy, for March 2025 alone and for the 24 months April 2023 to
March 2025 (:func:`cypmh.metrics.compute_series`). Prints the read time, the
compute time, the total and the peak memory of each, and the ratios of the
24-month run to the one-month run.

Target: 24 months at 100k referrals in at most 5 times the time of one month.
On the 2-core development machine (December 2026), with nothing else running:
4.5 to 4.9 times at 100k (one month about 2.2 s, 24 months about 10.5 s) and
3.6 times at 1M (19.6 s and 70.4 s). The first month of a series makes the
parts every month shares; the others cost about 0.3 to 0.5 s each at 100k,
most of it fixed (planning a dozen queries).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RANGES = {"1": ("2025-03", "2025-03"), "24": ("2023-04", "2025-03")}


def write(referrals: int, folder: Path) -> None:
    """Write the synthetic extract of ``referrals`` referrals into ``folder``."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.io.extract import write_extract

    write_extract(build(referrals), folder)


def run(folder: Path, months: str) -> dict[str, object]:
    """Read ``folder`` and compute the series of ``months`` (``1`` or ``24``) in this process."""
    from cypmh.io.frames import read_extract_frames
    from cypmh.metrics import compute_series

    started = time.perf_counter()
    read = read_extract_frames(folder, "polars")
    done_reading = time.perf_counter()
    start, end = RANGES[months]
    series = compute_series(read.tables, start, end, breakdowns=("age_band", "provider"))
    done = time.perf_counter()
    return {
        "months": int(months),
        "rows": len(series),
        "read_s": round(done_reading - started, 2),
        "compute_s": round(done - done_reading, 2),
        "total_s": round(done - started, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: list[int]) -> None:
    """Write each size once, run one month and 24 months; print a table and the ratios."""
    columns = ("referrals", "months", "rows", "read_s", "compute_s", "total_s", "peak_mib")
    print(" ".join(f"{c:>10}" for c in columns))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "extract"
            subprocess.run(
                [sys.executable, __file__, "--write", str(size), str(folder)], check=True
            )
            results = {}
            for months in RANGES:
                out = subprocess.run(
                    [sys.executable, __file__, "--run", months, str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results[months] = {"referrals": size, **json.loads(out.stdout)}
                print(" ".join(f"{results[months][c]:>10}" for c in columns), flush=True)
        one, many = results["1"], results["24"]
        total = float(many["total_s"]) / float(one["total_s"])  # type: ignore[arg-type]
        compute = float(many["compute_s"]) / float(one["compute_s"])  # type: ignore[arg-type]
        print(
            f"{size} referrals: 24 months take {total:.1f} times one month end to end "
            f"(target at most 5), {compute:.1f} times its compute alone",
            flush=True,
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--run"]:
        print(json.dumps(run(Path(sys.argv[3]), sys.argv[2])))
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000])
