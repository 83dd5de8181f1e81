"""The series attacker's figures: trends of synthetic areas, each month attacked with the others.

    python benchmarks/attack_series.py [AREAS] [--alone]

For each area (seeds 0 to AREAS-1, default 12, people spread evenly from 60 to
400), the windowed metrics (:data:`cypmh.metrics.disclosure_series.WINDOWS`:
referrals, first contacts, eating disorders, looked-after assessments, school
referrals, SDQ), MRS08's clock stops (each month its own table) and REJ01a
are computed for the 21 months to March 2025, by age band and sex, on the
area's synthetic population, and published under ``safe``.
:func:`cypmh.testing.attack_series.attack_series` then tries every hidden count
of 1 to 4 across the months. ``--alone``
controls each month on its own (as before the series audit) to show what the
audit adds. Not a timed test: ``tests/property/test_series_disclosure.py``
holds the line in ``make test``.
"""

from __future__ import annotations

import collections
import sys
import time

from cypmh.metrics import MetricOptions, compute_series
from cypmh.metrics.disclosure import apply_disclosure
from cypmh.report.kpi import to_records
from cypmh.synth.area import synthetic_area, synthetic_population
from cypmh.testing.attack_series import attack_series

METRICS = [
    "REJ01a", "REJ02", "REF01", "REF02", "MHS130", "MHS131", "MRS08", "MRS08a", "MRS08b",
    "ED86", "ED86a", "ED86e", "ED87", "ED87a", "LAC01", "LAC01a", "LAC01b", "LAC01c",
    "LAC01d", "LINK02", "SDQ01", "SDQ02", "SDQ03a",
]  # fmt: skip
"""REJ01a (a month) beside every windowed count."""


def main(areas: int, alone: bool) -> None:
    """Print the hidden cells tried and recovered, over all areas."""
    hidden = 0
    routes: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for seed in range(areas):
        people = 60 + (seed * 340) // max(1, areas - 1)
        area = synthetic_area(seed=seed, people=people)
        options = MetricOptions(population=synthetic_population(seed=seed, people=people))
        request = {"metrics": METRICS, "breakdowns": ["age_band", "sex"], "options": options}
        truth = compute_series(area, "2023-07", "2025-03", disclosure="none", **request)  # type: ignore[arg-type]
        if alone:
            published = [apply_disclosure(rows, "safe") for rows in truth.rows]
        else:
            published = list(compute_series(area, "2023-07", "2025-03", **request).rows)  # type: ignore[arg-type]
        records = {m: to_records(list(r), m) for m, r in zip(truth.months, published, strict=True)}
        result = attack_series(
            records, "safe", truth=dict(zip(truth.months, truth.rows, strict=True))
        )
        hidden += result.hidden
        routes.update(r.route.split(" (")[0] for r in result.recovered)
    print(
        f"safe ({'months alone' if alone else 'series audited'})  areas {areas}  "
        f"hidden cells tried {hidden}  recovered {sum(routes.values())}  by route {dict(routes)}  "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 12, "--alone" in sys.argv)
