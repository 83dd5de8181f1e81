"""Time and memory of the whole catalogue on the reference engine.

    python benchmarks/catalogue.py 10000 100000

For each size, in a fresh process: build a synthetic area (about six contacts per
referral), then compute every metric for March 2025 with the age-band and provider
breakdowns. Prints the build time, the compute time and the process's peak memory.
Target (issue 5): 100k referrals in at most 20 s and 2 GiB, time growing no faster
than n log n.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(referrals: int) -> dict[str, float]:
    """Build and compute once for ``referrals``, in this process."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.metrics import CATALOGUE, compute

    started = time.perf_counter()
    area = build(referrals)
    built = time.perf_counter()
    rows = compute(area, "2025-03", breakdowns=("age_band", "provider"), disclosure="mhsds")
    done = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "referrals": referrals,
        "contacts": len(area.contacts),
        "metrics": len(CATALOGUE),
        "rows": len(rows),
        "build_s": round(built - started, 2),
        "compute_s": round(done - built, 2),
        "peak_mib": round(peak_kib / 1024, 1),
    }


def main(sizes: list[int]) -> None:
    """Measure each size in its own process and print a table."""
    results = []
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout))
    columns = ("referrals", "contacts", "rows", "build_s", "compute_s", "peak_mib")
    print(" ".join(f"{c:>10}" for c in columns))
    for r in results:
        print(" ".join(f"{r[c]:>10}" for c in columns))
    if len(results) > 1:
        a, b = results[0], results[-1]
        n_ratio = b["referrals"] / a["referrals"]
        nlogn = n_ratio * math.log(b["referrals"]) / math.log(a["referrals"])
        grew = b["compute_s"] / a["compute_s"]
        print(f"compute time grew {grew:.1f}x for {n_ratio:.0f}x referrals (n log n: {nlogn:.1f}x)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
