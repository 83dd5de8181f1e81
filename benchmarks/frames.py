"""Time and memory of the dataframe engine against the reference engine.

    python benchmarks/frames.py 10000 100000

For each size and engine, in a fresh process: build a synthetic area (about six
contacts per referral), turn it into tables of the backend, then compute every
metric the dataframe engine supports for March 2025 with the age-band and provider
breakdowns. Prints the time to make the tables, the compute time and the process's
peak memory, and checks that the rows equal the reference engine's.

The comparison with hand-written DuckDB SQL, at 100k and 1M referrals read
from Parquet, is ``benchmarks/hand_sql.py``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("reference", "polars", "duckdb")


def measure(referrals: int, engine: str) -> dict[str, object]:
    """Build and compute once for ``referrals`` on ``engine``, in this process."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.metrics import CATALOGUE, compute
    from cypmh.metrics.families.four_week_metrics import OWN_IDS
    from cypmh.metrics.frames import SUPPORTED, compute_frames, tables_from_area
    from cypmh.metrics.need import needs_population
    from cypmh.metrics.request import lacks_groups

    # The catalogue as one run without a population reports it: MRS08-MRS09f, not also their
    # twins WAIT08-WAIT09f, and not the metrics that read a population or a population by group.
    metrics = sorted(
        m
        for m in SUPPORTED - set(OWN_IDS.values())
        if m in CATALOGUE
        and not needs_population(CATALOGUE[m])
        and not lacks_groups(CATALOGUE[m], groups=False, deprivation=False)
    )
    breakdowns = ("age_band", "provider")
    area = build(referrals)
    started = time.perf_counter()
    if engine == "reference":
        tabled = started
        rows = compute(area, "2025-03", metrics=metrics, breakdowns=breakdowns)
    else:
        tables = tables_from_area(area, engine)
        tabled = time.perf_counter()
        rows = compute_frames(tables, "2025-03", metrics=metrics, breakdowns=breakdowns)
    done = time.perf_counter()
    reference = compute(area, "2025-03", metrics=metrics, breakdowns=breakdowns)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "referrals": referrals,
        "engine": engine,
        "metrics": len(metrics),
        "rows": len(rows),
        "tables_s": round(tabled - started, 2),
        "compute_s": round(done - tabled, 2),
        "peak_mib": round(peak_kib / 1024, 1),
        "same": rows == reference,
    }


def main(sizes: list[int]) -> None:
    """Measure each size and engine in its own process and print a table."""
    columns = ("referrals", "engine", "rows", "tables_s", "compute_s", "peak_mib", "same")
    print(" ".join(f"{c:>10}" for c in columns))
    for size in sizes:
        for engine in ENGINES:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), engine],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            print(" ".join(f"{result[c]!s:>10}" for c in columns), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3])))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
