"""The four-week family's metric declarations, MRS08-MRS09f, and their direct-contact twins.

:func:`declare_metrics` declares them for a family: :mod:`~cypmh.metrics.families.four_week_waits`
under NHS England's ids, :mod:`~cypmh.metrics.families.direct_four_week_waits` under cypmh's
own (:data:`OWN_IDS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.results import Aggregate, Unit

__all__ = ["FOUR_WEEK_DEVIATION", "FOUR_WEEK_SOURCE", "NATIONAL_IDS", "OWN_IDS", "declare_metrics"]

FOUR_WEEK_SOURCE = NHSD + "menh_bbrb/notebooks/02_Specific_Prepare/02_4w_waits/4w_waits_prep.py"
FOUR_WEEK_DEVIATION = (
    "No hospital-spell exclusion (the extract has no MHS501); care plans matched on the child "
    "alone; the intervention code set is configuration: cypmh ships only the two named ASD/ADHD "
    "codes, so load the MHSDS reference sets for figures comparable with the publication."
)
_SPELLS = "tests/spec/metrics/test_four_week.py::test_four_week_worked_example"

NATIONAL_IDS = (
    "MRS08",
    "MRS08a",
    "MRS08b",
    "MRS09",
    "MRS09a",
    "MRS09b",
    "MRS09c",
    "MRS09d",
    "MRS09e",
    "MRS09f",
)
"""The family's NHS England ids, in the catalogue's order."""

OWN_IDS = {national: national.replace("MRS", "WAIT") for national in NATIONAL_IDS}
"""Each NHS England id's twin counted from direct contacts only: MRS08 is WAIT08, MRS09f WAIT09f."""


def declare_metrics(
    family: Family,
    id_of: Callable[[str], str] = str,
    *,
    suffix: str = "",
    **fields: Any,
) -> list[MetricDefinition]:
    """The family's metrics, declared by ``family``: MRS08-MRS09f, or their twins.

    ``id_of`` gives each metric's id from its NHS England id (the same, here), and every
    id a declaration names goes through it; ``suffix`` ends each name; ``fields`` (a
    twin's ``mhsds``, ``deviation``, ``example``) replace the national declarations'.
    """
    base: dict[str, Any] = {
        "source": FOUR_WEEK_SOURCE,
        "deviation": FOUR_WEEK_DEVIATION,
        "mhsds": True,
        "example": _SPELLS,
        **fields,
    }
    m08, m08a, m09 = id_of("MRS08"), id_of("MRS08a"), id_of("MRS09")
    found = [
        family.declare(
            id=m08,
            name="Referral spells with a full clock stop in the 3 months to the period end"
            + suffix,
            population="clock_stops",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 3 months ending at the period end",
            numerator="spells of the four-week cohort whose clock stopped in the window",
            denominator=None,
            definition="Spells (per child and provider, referrals joined within 5 days) of the "
            "four-week cohort where {member}: the clock stop (the latest of the first counted "
            "contact, the first baseline outcome measure and the first agreed care plan or "
            "intervention) falls in the window.",
            **base,
        ),
        family.declare(
            id=m08a,
            name="Spells with a clock stop within four weeks" + suffix,
            population="clock_stops_within_4_weeks",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 3 months ending at the period end",
            numerator=f"{m08}'s spells with 28 days or fewer from spell start to clock stop",
            denominator=None,
            definition=f"{m08}'s spells where {{numerator}}.",
            **base,
        ),
        family.declare(
            id=id_of("MRS08b"),
            name="Percentage of spells with a clock stop within four weeks" + suffix,
            population="clock_stops",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the 3 months ending at the period end",
            numerator=m08a,
            denominator=m08,
            definition=f"100 x {m08a} / {m08}: of {m08}'s spells, those where {{numerator}}.",
            improvement="increase",
            **base,
        ),
        family.declare(
            id=m09,
            name="Open spells still waiting for a clock stop at the period end" + suffix,
            population="still_waiting",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="at the period end",
            numerator="open spells whose clock had not stopped by the period end",
            denominator=None,
            definition="Spells of the four-week cohort where {member}: open at the period end "
            "(ending within 5 days of it) with no clock stop on or before it.",
            improvement="decrease",
            **base,
        ),
    ]
    for weeks, days, national_count, national_pct in (
        (104, 728, "MRS09a", "MRS09b"),
        (78, 546, "MRS09c", "MRS09d"),
        (52, 364, "MRS09e", "MRS09f"),
    ):
        count_id = id_of(national_count)
        found += [
            family.declare(
                id=count_id,
                name=f"Open spells waiting more than {weeks} weeks" + suffix,
                population=f"waiting_over_{weeks}",
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="at the period end",
                numerator=f"{m09}'s spells with more than {days} days from spell start to the "
                "period end",
                denominator=None,
                definition=f"{m09}'s spells where {{numerator}}.",
                improvement="decrease",
                **base,
            ),
            family.declare(
                id=id_of(national_pct),
                name=f"Percentage of open spells waiting more than {weeks} weeks" + suffix,
                population=f"waiting_flag_{weeks}",
                aggregate=Aggregate.PERCENTAGE,
                unit=Unit.PERCENTAGE,
                window="at the period end",
                numerator=count_id,
                denominator=m09,
                definition=f"100 x {count_id} / {m09}: of {m09}'s spells, those where "
                "{numerator}.",
                improvement="decrease",
                **base,
            ),
        ]
    return found
