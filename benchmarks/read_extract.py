"""Time and memory of reading an extract folder.

    python benchmarks/read_extract.py 10000 100000

For each size: write the benchmark's synthetic area (about six contacts per
referral) as an extract folder, then, in a fresh process, read it back with
cypmh.io.readers.read_extract. Prints the read time and that process's peak
memory. Target (issue 6): 100k referrals and about 600k contacts in at most 10 s.
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


def write(referrals: int, folder: Path) -> None:
    """Write the synthetic extract of ``referrals`` referrals into ``folder``."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.io.extract import write_extract

    write_extract(build(referrals), folder)


def read(folder: Path) -> dict[str, float]:
    """Read ``folder`` once, in this process."""
    from cypmh.io.readers import read_extract

    started = time.perf_counter()
    result = read_extract(folder)
    seconds = time.perf_counter() - started
    return {
        "referrals": len(result.area.referrals),
        "contacts": len(result.area.contacts),
        "rejected": result.quality.rejected,
        "read_s": round(seconds, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: list[int]) -> None:
    """Write and read each size; print a table."""
    columns = ("referrals", "contacts", "rejected", "read_s", "peak_mib")
    print(" ".join(f"{c:>10}" for c in columns))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "extract"
            subprocess.run(
                [sys.executable, __file__, "--write", str(size), str(folder)], check=True
            )
            out = subprocess.run(
                [sys.executable, __file__, "--read", str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
        result = json.loads(out.stdout)
        print(" ".join(f"{result[c]:>10}" for c in columns))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--read"]:
        print(json.dumps(read(Path(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
