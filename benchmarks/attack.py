"""The attacker's figures on the issue's trial: 30 synthetic areas of 40 to 400 children.

    python benchmarks/attack.py [POLICY ...]       (default: safe mhsds hes dfe)

For each policy: every area (seeds 0 to 29, people spread evenly from 40 to 400)
is reported for March 2025 with every breakdown, on its synthetic population (so
the need metrics are published and attacked too), and
:func:`cypmh.testing.attack.attack` tries to recover each hidden count of 1 to 4
from the JSON records. Prints the hidden cells tried, the cells recovered and
by which route. Not a timed test: the property test
``tests/property/test_disclosure_attack.py`` holds the same line in ``make test``.
"""

from __future__ import annotations

import collections
import sys

from cypmh.metrics import BREAKDOWNS, MetricOptions, compute
from cypmh.periods import Month
from cypmh.report.kpi import to_records
from cypmh.synth.area import DEMO_PERIOD, synthetic_area, synthetic_population
from cypmh.testing.attack import attack


def main(policies: list[str]) -> None:
    """Print one line of figures per policy."""
    month = Month.parse(DEMO_PERIOD)
    breakdowns = list(BREAKDOWNS)
    for policy in policies:
        hidden = 0
        routes: collections.Counter[str] = collections.Counter()
        for seed in range(30):
            people = 40 + (seed * 360) // 29
            area = synthetic_area(seed=seed, people=people)
            options = MetricOptions(population=synthetic_population(seed=seed, people=people))
            request = {"breakdowns": breakdowns, "options": options}
            truth = compute(area, month, disclosure="none", **request)  # type: ignore[arg-type]
            rows = compute(area, month, disclosure=policy, **request)  # type: ignore[arg-type]
            result = attack(to_records(rows, month, disclosure=policy), policy, truth=truth)
            hidden += result.hidden
            routes.update(r.route for r in result.recovered)
        print(
            f"{policy:<6} areas 30  hidden cells tried {hidden:>6}  "
            f"recovered {sum(routes.values()):>5}  by route {dict(routes)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["safe", "mhsds", "hes", "dfe"])
