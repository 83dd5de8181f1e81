"""What reading social care from the councils' feeds costs, against the contract's own files.

    python benchmarks/feeds.py 10000 100000

For each size: the benchmark's synthetic area (benchmarks/synthetic.py) with its
social care made large (a child-in-need period for one child in five, a
protection plan for one in twenty, so 100k referrals give some 20k periods, and an
assessment with factors for each child in need), written
four ways: the contract's ``ssda903/social_work.csv`` and ``header.csv``; the
Standard Safeguarding Dataset's tables in ``ssd/``; a CIN census in ``cin/``; and
the DfE API files in ``dfe_api/`` (a full payload, then a partial one).
Each is read by the frame reader (Polars) in a fresh process, which prints the
read's time and its peak memory. The shapes must give the same numbers of
periods, assessment factors and rejected rows. No target is set for the feeds; what matters is that
reading a feed costs little more than reading the file it replaces.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import attrs

HERE = Path(__file__).resolve().parent
SHAPES = ("contract", "ssd", "cin", "api")


def write(referrals: int, folder: Path, shape: str) -> None:
    """Write the area of ``referrals`` referrals, its social care as ``shape``, into ``folder``."""
    sys.path.insert(0, str(HERE))
    from synthetic import build

    from cypmh.codes import SocialWorkType
    from cypmh.io.extract import write_extract
    from cypmh.model import AssessmentFactor, SocialWorkInvolvement
    from cypmh.testing.feeds import cin_census_xml, dfe_api_payloads

    area = build(referrals)
    periods, factors = [], []
    for n, child in enumerate(area.children):
        start = child.birth_date + timedelta(days=365 * 6 + n % 2000)
        if n % 5 == 0:
            day = start + timedelta(days=20)
            codes = ("4A", "16A") if n % 15 == 0 else ("21",)
            factors += [
                AssessmentFactor(person_id=child.person_id, date=day, factor=c) for c in codes
            ]
            periods.append(
                SocialWorkInvolvement(
                    person_id=child.person_id,
                    kind=SocialWorkType.CHILD_IN_NEED,
                    start=start,
                    end=start + timedelta(days=200) if n % 2 else None,
                )
            )
        if n % 20 == 0:
            periods.append(
                SocialWorkInvolvement(
                    person_id=child.person_id,
                    kind=SocialWorkType.CHILD_PROTECTION_PLAN,
                    start=start + timedelta(days=30),
                    end=start + timedelta(days=150),
                )
            )
    area = attrs.evolve(
        area, social_work=(*area.social_work, *periods), assessment_factors=tuple(factors)
    )
    if shape == "cin":
        write_extract(area, folder)
        (folder / "ssda903" / "social_work.csv").unlink()
        (folder / "ssda903" / "assessment_factors.csv").unlink()
        (folder / "cin").mkdir()
        (folder / "cin" / "census.xml").write_bytes(cin_census_xml(area))
    elif shape == "api":
        write_extract(area, folder)
        (folder / "ssda903" / "social_work.csv").unlink()
        (folder / "ssda903" / "assessment_factors.csv").unlink()
        (folder / "dfe_api").mkdir()
        for n, payload in enumerate(dfe_api_payloads(area)):
            (folder / "dfe_api" / f"{n}.json").write_bytes(payload)
    else:
        write_extract(area, folder, social_care="ssd" if shape == "ssd" else "ssda903")


def read(folder: Path) -> dict[str, float | int]:
    """Read ``folder`` once, in this process, with the frame reader."""
    from cypmh.io.frames import read_extract_frames

    started = time.perf_counter()
    frames = read_extract_frames(folder, "polars")
    seconds = time.perf_counter() - started
    return {
        "periods": frames.tables["social_work"].height,
        "factors": frames.tables["assessment_factors"].height,
        "children": frames.tables["children"].height,
        "rejected": frames.quality.rejected,
        "read_s": round(seconds, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(sizes: list[int]) -> None:
    """Write and read each size in each shape; print a table."""
    columns = (
        "referrals",
        "shape",
        "periods",
        "factors",
        "children",
        "rejected",
        "read_s",
        "peak_mib",
    )
    print(" ".join(f"{c:>10}" for c in columns))
    for size in sizes:
        found = []
        for shape in SHAPES:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "extract"
                subprocess.run(
                    [sys.executable, __file__, "--write", str(size), str(folder), shape],
                    check=True,
                )
                out = subprocess.run(
                    [sys.executable, __file__, "--read", str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
            result = {"referrals": size, "shape": shape, **json.loads(out.stdout)}
            found.append(result)
            print(" ".join(f"{result[c]:>10}" for c in columns))
        # The census and the API give a plan's referral too (a child-in-need period that
        # changes no status: cypmh.testing.feeds), so their periods are compared on
        # rejections alone.
        if (
            len({(r["periods"], r["rejected"]) for r in found[:2]}) != 1
            or len({r["factors"] for r in found}) != 1
            or any(r["rejected"] for r in found[2:])
        ):
            raise SystemExit(f"the shapes disagree: {found}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        write(int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["--read"]:
        print(json.dumps(read(Path(sys.argv[2]))))
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
