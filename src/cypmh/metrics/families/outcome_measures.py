"""MHS110-MHS115, what they are: the outcome measures' cohort, family and catalogue entries.

The clauses of the referrals they look at (:data:`OUTCOME_COHORT`, :data:`CLOSED`), the
family and its metrics (``FAMILY``, ``METRICS``), in the catalogue's order. How they are
worked out, over objects and over frames side by side, and ``why``, are in
:mod:`cypmh.metrics.families.outcomes`, which offers these names too.
"""

from __future__ import annotations

from datetime import date

from cypmh import clauses as cl
from cypmh.metrics.definition import NHSD, Declared, Family, MetricDefinition
from cypmh.metrics.families.members import COHORT_DERIVED, CYP_COHORT
from cypmh.metrics.files import (
    ASSESSMENTS,
    DISCHARGED,
    GENDER,
    HEALTH,
    INDIRECT,
    MECHANISM,
    REJECTED,
    TEAM,
)
from cypmh.metrics.results import Aggregate, Unit

__all__ = [
    "CLOSED",
    "FAMILY",
    "METRICS",
    "OUTCOMES_FROM",
    "OUTCOME_COHORT",
    "OUTCOME_TEAMS_EXCLUDED",
    "PAIRED_INPUTS",
]


OUTCOME_TEAMS_EXCLUDED = ("B02", "E01", "E02", "E03", "E04", "A14")
"""Team types whose closed referrals the outcome measures leave out."""


OUTCOMES_FROM = date(2016, 1, 1)
"""The outcome measures count referrals received on or after this day."""

_team = cl.Column("team_type")
OUTCOME_COHORT = cl.All(
    [
        cl.Compare(">=", cl.Column("received_date"), cl.Lit(OUTCOMES_FROM)),
        # A missing team type is kept, as cyp_outcomes_prep.py keeps it ("OR ... IS NULL").
        cl.Any([cl.IsNull(_team), cl.Not(cl.In(_team, OUTCOME_TEAMS_EXCLUDED))]),
    ]
)
"""The referrals the outcome measures look at (beyond the CYP cohort): received from 2016,
outside the teams left out. Written once, read by :func:`reference`, :func:`frames`,
:func:`explain` and the catalogue's words."""

CLOSED = cl.All(
    [
        cl.Within(cl.Column("discharge_date"), 1),
        cl.IsNull(cl.Column("rejection_date")),
        OUTCOME_COHORT,
    ]
)
"""A closed referral's own dates and team: discharged in the reporting month, not rejected,
and of :data:`OUTCOME_COHORT`. Its counted contacts are the derived part (:func:`reference`)."""


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="outcomes",
    # Closed (discharged, not rejected) referrals outside the teams left out, with counted
    # contacts.
    inputs=(*HEALTH, INDIRECT, ASSESSMENTS, MECHANISM, DISCHARGED, REJECTED, TEAM),
    resident=True,
    counts_contacts=True,
    cohort=CYP_COHORT,
    # MHS110's closed referrals are clauses (and counted contacts); the scored and paired
    # populations are the score pairs' derived table.
    populations={"closed": Declared(member=CLOSED)},
    # A rater's paired referrals (the count under each of MHS113b, d and f) improved,
    # deteriorated or did neither (MHS113a, c and e).
    sums={
        f"paired_{rater}_{total}_flag": tuple(
            f"paired_{rater}_{change}" for change in ("improvement", "deterioration", "no_change")
        )
        for rater in ("self", "parent", "clinician")
        for total in ("improvement", "deterioration", "no_change")
    },
    derived={
        **COHORT_DERIVED,
        "counted contacts": "a closed referral's counted contacts (direct or indirect) on or "
        "before its discharge, its indirect activity one per day and IndirectActTime (one per "
        "day where no time is given), as NHS England counts it: at least two make it a member",
        "score pairs": "for each scale, a referral's first and last scores on the CYP "
        "outcomes list, inside the scale's range and dated from the first counted contact to "
        "discharge, RCADS as T-scores; "
        "paired when at least two, and the change between them read against the scale's "
        "reliable change threshold (cypmh.metrics.outcomes)",
    },
)

PAIRED_INPUTS = (*FAMILY.inputs, GENDER)
"""What improvement, deterioration and no change rest on: RCADS scores are T-scores against
norms by sex, so they need the child's gender too."""
_OUT = NHSD + "menh_bbrb/notebooks/02_Specific_Prepare/05_cyp_outcomes/cyp_outcomes_prep.py"
_OUT_EXAMPLE = "tests/spec/metrics/test_outcomes.py::test_outcomes_worked_example"
_OUT_DEVIATION = (
    "RCADS scores stay raw where no norm applies (age outside 8-17 or another gender), as the "
    "publication does, although the threshold is in T-score units; no hospital-spell exclusion. "
    "Scores of one scale on the same day are ordered by value, then SNOMED code (the source orders "
    "by date alone, leaving ties to row order)."
)
METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="MHS110",
        name="Closed referrals with at least two contacts",
        population="closed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals discharged in the month with at least two counted contacts",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}) where {member}; with at least two "
        "counted contacts on or before discharge.",
        source=_OUT,
        deviation=_OUT_DEVIATION,
        mhsds=True,
        example=_OUT_EXAMPLE,
    ),
    FAMILY.declare(
        id="MHS111",
        name="Closed referrals with an outcome score",
        population="scored_any",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="MHS110's referrals with at least one valid score",
        denominator=None,
        definition="MHS110's referrals with a score on the CYP outcomes list, inside its range, dated "
        "from the first counted contact to discharge (a score before the first contact does not "
        "count, as cyp_outcomes_prep.py drops it before flagging or pairing).",
        source=_OUT,
        deviation=_OUT_DEVIATION,
        mhsds=True,
        example=_OUT_EXAMPLE,
    ),
    FAMILY.declare(
        id="MHS112",
        name="Closed referrals with a paired score",
        population="paired_any",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="MHS110's referrals with at least one paired score",
        denominator=None,
        definition="MHS110's referrals with a pair on some scale: the earliest score on or after the first "
        "contact, and a later one dated on or after the second contact.",
        source=_OUT,
        deviation=_OUT_DEVIATION,
        mhsds=True,
        example=_OUT_EXAMPLE,
    ),
]
# The percentages of MHS110 with any score and any pair (measure_metadata.py: MHS111a and
# MHS112a, ROUND(... * 100, 1)), then each rater's count and percentage of each.
for _id, _count, _population, _words in (
    ("MHS111a", "MHS111", "scored_flag_any", "a valid score"),
    ("MHS112a", "MHS112", "paired_flag_any", "a paired score"),
):
    METRICS.append(
        FAMILY.declare(
            id=_id,
            name=f"Percentage of closed referrals with {_words}",
            population=_population,
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the reporting month",
            numerator=_count,
            denominator="MHS110",
            definition=f"100 x {_count} / MHS110, rounded to one decimal place.",
            source=_OUT,
            deviation=_OUT_DEVIATION,
            mhsds=True,
            decimals=1,
            example=_OUT_EXAMPLE,
            improvement="increase",
        )
    )
# Each rater's scored (MHS111b-g) and paired (MHS112b-g) referrals, and their percentages.
for (_count, _pct), _rater in (
    (("b", "c"), "self"),
    (("d", "e"), "parent"),
    (("f", "g"), "clinician"),
):
    for _base, _kind, _what, _note in (
        ("MHS111", "scored", "score", "the publication's rater; GBO counts as self"),
        ("MHS112", "paired", "paired score", "the first score's rater"),
    ):
        METRICS += [
            FAMILY.declare(
                id=f"{_base}{_count}",
                name=f"Closed referrals with a {_rater}-rated {_what}",
                population=f"{_kind}_{_rater}",
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="the reporting month",
                numerator=f"MHS110's referrals with a {_rater}-rated {_what}",
                denominator=None,
                definition=f"As {_base}, for scales rated by {_rater} ({_note}).",
                source=_OUT,
                deviation=_OUT_DEVIATION,
                mhsds=True,
                example=_OUT_EXAMPLE,
            ),
            FAMILY.declare(
                id=f"{_base}{_pct}",
                name=f"Percentage of closed referrals with a {_rater}-rated {_what}",
                population=f"{_kind}_flag_{_rater}",
                aggregate=Aggregate.PERCENTAGE,
                unit=Unit.PERCENTAGE,
                window="the reporting month",
                numerator=f"{_base}{_count}",
                denominator="MHS110",
                definition=f"100 x {_base}{_count} / MHS110, rounded to one decimal place.",
                source=_OUT,
                deviation=_OUT_DEVIATION,
                mhsds=True,
                decimals=1,
                example=_OUT_EXAMPLE,
                improvement="increase",
            ),
        ]
for _id, _rater in (("MHS113", "self"), ("MHS114", "parent"), ("MHS115", "clinician")):
    # NHS England's letters (measure_metadata.py): a improvement and b its percentage, c
    # deterioration and d its percentage, e no change and f its percentage.
    for (_count, _pct), _change in zip(
        (("a", "b"), ("c", "d"), ("e", "f")),
        ("improvement", "deterioration", "no_change"),
        strict=True,
    ):
        _words = _change.replace("_", " ")
        METRICS += [
            FAMILY.declare(
                id=f"{_id}{_count}",
                name=f"{_rater.title()}-rated paired scores showing {_words}",
                population=f"paired_{_rater}_{_change}",
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="the reporting month",
                numerator=f"referrals whose {_rater}-rated outcome is {_words}",
                denominator=None,
                definition=f"MHS110's referrals with a {_rater}-rated pair whose outcome is {_words}: "
                "improvement = at least one scale improved reliably and none deteriorated; deterioration = "
                "any scale deteriorated reliably; no change = neither. Reliable change is at least the "
                "scale's threshold in its good or bad direction (RCADS in T-scores). Scores, "
                "T-scores, changes and thresholds are single-precision, as the publication's FLOAT "
                "columns hold them: an ORS change from 3.3 to 9.9 is 6.5999994, under the "
                "threshold 6.6, so no change.",
                source=_OUT,
                deviation=_OUT_DEVIATION,
                mhsds=True,
                example=_OUT_EXAMPLE,
                inputs=PAIRED_INPUTS,
            ),
            FAMILY.declare(
                id=f"{_id}{_pct}",
                name=f"Percentage of {_rater}-rated paired scores showing {_words}",
                population=f"paired_{_rater}_{_change}_flag",
                aggregate=Aggregate.PERCENTAGE,
                unit=Unit.PERCENTAGE,
                window="the reporting month",
                numerator=f"{_id}{_count}",
                denominator=f"referrals with a {_rater}-rated pair",
                definition=f"100 x {_id}{_count} / referrals with a {_rater}-rated pair, rounded to one "
                "decimal place.",
                source=_OUT,
                deviation=_OUT_DEVIATION,
                mhsds=True,
                decimals=1,
                example=_OUT_EXAMPLE,
                improvement={"improvement": "increase", "deterioration": "decrease"}.get(
                    _change, "neutral"
                ),
                inputs=PAIRED_INPUTS,
            ),
        ]
METRICS.sort(key=lambda definition: definition.id)  # the publication's order: MHS110, MHS111, a-g
