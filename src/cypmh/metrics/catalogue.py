"""The KPI catalogue: every metric declared once.

A metric's id is the MHSDS measure id where its definition is the national
one (``mhsds=True``), cypmh's own otherwise. Each declaration says which
population of its family it aggregates and how, its window, its numerator
and denominator, its definition in words, its source, any deviation from the
source, and the spec test whose worked example documents it. The docs'
metric pages are generated from these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.definition import (
    BREAKDOWNS,
    NHSD,
    NO_TARGET,
    MetricDefinition,
)
from cypmh.metrics.definition import declare as _m
from cypmh.metrics.need_catalogue import NEED_DEFINITIONS
from cypmh.metrics.results import Aggregate, Unit

__all__ = ["BREAKDOWNS", "CATALOGUE", "MetricDefinition", "metric"]


_FIRST = "tests/spec/metrics/test_waits.py"
_ACCESS = "tests/spec/metrics/test_access.py"

_DEFINITIONS: list[MetricDefinition] = [
    _m(
        id="MHS95",
        name="CYP aged 0-17 supported with at least one contact (12-month rolling)",
        family="access",
        population="access",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 12 months ending at the period end",
        numerator="children with at least one counted contact in the window",
        denominator=None,
        definition="Children aged 0-17 when referred, resident in England or of unknown residence, with at "
        "least one counted contact (attended direct contact through a counting mechanism, or indirect "
        "activity) in the window while aged 0-17. Each child counts once, under the provider of their "
        "earliest contact in the window.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        deviation="Ages come from the birth date, not the derived age columns; the anonymous digital "
        "providers' person keys are not rebuilt (the extract's person id is used).",
        mhsds=True,
        example=f"{_ACCESS}::test_mhs95_worked_example",
        improvement="increase",
    ),
    _m(
        id="MHS130",
        name="Referrals with a first contact in the 3 months to the period end",
        family="first_contact_waits",
        population="first_contact",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 3 months ending at the period end",
        numerator="referrals whose first counted direct contact falls in the window",
        denominator=None,
        definition="Referrals of children aged 0-17 when received, received on or after 1 April 2019, "
        "resident in England or unknown, whose first counted direct contact (child aged 0-17 on the "
        "day) falls in the window.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
    ),
    _m(
        id="MHS131",
        name="Median days waited to first contact",
        family="first_contact_waits",
        population="first_contact",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="the 3 months ending at the period end",
        numerator="days from receipt to first contact, for MHS130's referrals",
        denominator=None,
        definition="The median of first contact date minus referral date, in days, over MHS130's "
        "referrals; linear interpolation between closest ranks (Spark's percentile).",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="MHS132",
        name="90th percentile of days waited to first contact",
        family="first_contact_waits",
        population="first_contact",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="the 3 months ending at the period end",
        numerator="days from receipt to first contact, for MHS130's referrals",
        denominator=None,
        definition="The 90th percentile of MHS130's waits, by linear interpolation.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="MHS133",
        name="Referrals still waiting for a first contact at the period end",
        family="first_contact_waits",
        population="still_waiting",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="referrals with no first contact by the period end and not discharged by then",
        denominator=None,
        definition="MHS130's cohort, received by the period end, with no counted direct contact by the "
        "period end and no discharge date on or before it. As the publication counts them, a referral "
        "rejected or closed without a discharge date still counts as waiting.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="MHS134",
        name="Median days waiting for a first contact",
        family="first_contact_waits",
        population="still_waiting",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for MHS133's referrals",
        denominator=None,
        definition="The median of (period end + 1 day - referral date) over MHS133's referrals.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="MHS135",
        name="90th percentile of days waiting for a first contact",
        family="first_contact_waits",
        population="still_waiting",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for MHS133's referrals",
        denominator=None,
        definition="The 90th percentile of MHS133's waits.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="WAIT01",
        name="Open referrals still waiting for a first contact at the period end",
        family="first_contact_waits",
        population="still_waiting_open",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="MHS133's referrals that are still open: not rejected, closed or discharged by the period end",
        denominator=None,
        definition="MHS133's referrals less those rejected or closed by the period end: the children a board means by still waiting. MHS133 follows the publication, which counts a rejected or closed referral with no discharge date as waiting; WAIT01 does not.",
        source="cypmh, beside MHS133 ("
        + NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py)",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="WAIT01a",
        name="Median days waiting for a first contact, open referrals",
        family="first_contact_waits",
        population="still_waiting_open",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for WAIT01's referrals",
        denominator=None,
        definition="As MHS134, over WAIT01's referrals.",
        source="cypmh, beside MHS134",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
    _m(
        id="WAIT01b",
        name="90th percentile of days waiting for a first contact, open referrals",
        family="first_contact_waits",
        population="still_waiting_open",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for WAIT01's referrals",
        denominator=None,
        definition="As MHS135, over WAIT01's referrals.",
        source="cypmh, beside MHS135",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
]

_4W = NHSD + "menh_bbrb/notebooks/02_Specific_Prepare/02_4w_waits/4w_waits_prep.py"
_4W_DEVIATION = (
    "No hospital-spell exclusion (the extract has no MHS501); care plans matched on the child "
    "alone; the intervention code set is configuration: cypmh ships only the two named ASD/ADHD "
    "codes, so load the MHSDS reference sets for figures comparable with the publication."
)
_SPELLS = "tests/spec/metrics/test_four_week.py::test_four_week_worked_example"
_DEFINITIONS += [
    _m(
        id="MRS08",
        name="Referral spells with a full clock stop in the 3 months to the period end",
        family="four_week_waits",
        population="clock_stops",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 3 months ending at the period end",
        numerator="spells of the four-week cohort whose clock stopped in the window",
        denominator=None,
        definition="Spells (per child and provider, referrals joined within 5 days) of the four-week "
        "cohort whose clock stop (the latest of the first counted contact, the first baseline outcome "
        "measure and the first agreed care plan or intervention) falls in the window.",
        source=_4W,
        deviation=_4W_DEVIATION,
        mhsds=True,
        example=_SPELLS,
    ),
    _m(
        id="MRS08a",
        name="Spells with a clock stop within four weeks",
        family="four_week_waits",
        population="clock_stops_within_4_weeks",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 3 months ending at the period end",
        numerator="MRS08's spells with 28 days or fewer from spell start to clock stop",
        denominator=None,
        definition="MRS08's spells whose time to clock stop is at most 28 days.",
        source=_4W,
        deviation=_4W_DEVIATION,
        mhsds=True,
        example=_SPELLS,
    ),
    _m(
        id="MRS08b",
        name="Percentage of spells with a clock stop within four weeks",
        family="four_week_waits",
        population="clock_stops",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 3 months ending at the period end",
        numerator="MRS08a",
        denominator="MRS08",
        definition="100 x MRS08a / MRS08.",
        source=_4W,
        deviation=_4W_DEVIATION,
        mhsds=True,
        example=_SPELLS,
        improvement="increase",
    ),
    _m(
        id="MRS09",
        name="Open spells still waiting for a clock stop at the period end",
        family="four_week_waits",
        population="still_waiting",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="open spells whose clock had not stopped by the period end",
        denominator=None,
        definition="Spells of the four-week cohort open at the period end (ending within 5 days of it) "
        "with no clock stop on or before it.",
        source=_4W,
        deviation=_4W_DEVIATION,
        mhsds=True,
        example=_SPELLS,
        improvement="decrease",
    ),
]
for _weeks, _days, _count_id, _pct_id in (
    (104, 728, "MRS09a", "MRS09b"),
    (78, 546, "MRS09c", "MRS09d"),
    (52, 364, "MRS09e", "MRS09f"),
):
    _DEFINITIONS += [
        _m(
            id=_count_id,
            name=f"Open spells waiting more than {_weeks} weeks",
            family="four_week_waits",
            population=f"waiting_over_{_weeks}",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="at the period end",
            numerator=f"MRS09's spells with more than {_days} days from spell start to the period end",
            denominator=None,
            definition=f"MRS09's spells that have waited more than {_days} days.",
            source=_4W,
            deviation=_4W_DEVIATION,
            mhsds=True,
            example=_SPELLS,
            improvement="decrease",
        ),
        _m(
            id=_pct_id,
            name=f"Percentage of open spells waiting more than {_weeks} weeks",
            family="four_week_waits",
            population=f"waiting_flag_{_weeks}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="at the period end",
            numerator=_count_id,
            denominator="MRS09",
            definition=f"100 x {_count_id} / MRS09.",
            source=_4W,
            deviation=_4W_DEVIATION,
            mhsds=True,
            example=_SPELLS,
            improvement="decrease",
        ),
    ]

_ED = NHSD + "menh_publications/notebooks/04a_CYP_ED_WaitingTimes/"
_ED_STANDARD = (
    "NHS England, Access and Waiting Time Standard for Children and Young People with an Eating "
    "Disorder (2015): 95% of urgent referrals to start NICE-approved treatment within 1 week and of "
    "routine referrals within 4 weeks"
)
_ED_EXAMPLE = "tests/spec/metrics/test_eating_disorders.py::test_eating_disorder_worked_example"
for _prefix, _group, _target in (
    ("ED86", "urgent", "1 week (7 days)"),
    ("ED87", "routine", "4 weeks (28 days)"),
):
    _DEFINITIONS += [
        _m(
            id=_prefix,
            name=f"{_group.title()} eating-disorder referrals entering treatment (12-month rolling)",
            family="eating_disorders",
            population=f"ed_{_group}",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 12 months ending at the period end",
            numerator=f"{_group} referrals whose treatment started in the window",
            denominator=None,
            definition=f"Eating-disorder referrals (reason 12) of priority {_group} "
            f"({'1, 2 or 4' if _group == 'urgent' else '3'}) of children 0-17 when received, received "
            "from 2016, not discharged before the window, not to A18 or F01, whose first attended "
            "contact with a NICE-concordant treatment code falls in the window.",
            source=_ED,
            deviation="The publication's inpatient exclusion is miskeyed in its code and the extract has "
            "no hospital spells; neither is applied.",
            mhsds=True,
            example=_ED_EXAMPLE,
        ),
        _m(
            id=f"{_prefix}a",
            name=f"{_group.title()} eating-disorder referrals treated within {_target}",
            family="eating_disorders",
            population=f"ed_{_group}_within",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 12 months ending at the period end",
            numerator=f"{_prefix}'s referrals treated within {_target}",
            denominator=None,
            definition=f"{_prefix}'s referrals whose wait was at most {_target}.",
            source=_ED,
            mhsds=False,
            example=_ED_EXAMPLE,
        ),
        _m(
            id=f"{_prefix}e",
            name=f"Percentage of {_group} eating-disorder referrals treated within {_target}",
            family="eating_disorders",
            population=f"ed_{_group}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the 12 months ending at the period end",
            numerator=f"{_prefix}a",
            denominator=_prefix,
            definition=f"100 x {_prefix}a / {_prefix}.",
            source=_ED,
            mhsds=True,
            example=_ED_EXAMPLE,
            improvement="increase",
            target=95.0,
            target_source=_ED_STANDARD,
        ),
    ]

_REJ = "cypmh (no national measure; NHS England's CYP dashboard reports rejections by reason)"
_REJ_EXAMPLE = "tests/spec/metrics/test_rejections.py::test_rejection_worked_example"
_DEFINITIONS += [
    _m(
        id="REJ01",
        name="Referrals received in the month that were rejected",
        family="rejections",
        population="rejected_month",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month (rejections recorded by its end)",
        numerator="referrals received in the month with a rejection date by the period end",
        denominator=None,
        definition="Referrals of children 0-17 when received, resident in England or unknown, received in "
        "the month and rejected (a rejection date on or before the period end). Duplicates (reason 01) "
        "count as rejections unless the option exclude_duplicate_rejections removes them altogether.",
        source=_REJ,
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    _m(
        id="REJ01a",
        name="Referrals received in the month",
        family="rejections",
        population="received_month",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals received in the month",
        denominator=None,
        definition="Referrals of children 0-17 when received, resident in England or unknown, received in "
        "the month.",
        source=_REJ,
        example=_REJ_EXAMPLE,
    ),
    _m(
        id="REJ01b",
        name="Percentage of referrals received in the month that were rejected",
        family="rejections",
        population="received_month",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the reporting month",
        numerator="REJ01",
        denominator="REJ01a",
        definition="100 x REJ01 / REJ01a.",
        source=_REJ,
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    _m(
        id="REJ02",
        name="Percentage of referrals rejected, by social-care status (12-month rolling)",
        family="rejections",
        population="received_year",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="referrals received in the window that were rejected",
        denominator="referrals received in the window",
        definition="As REJ01b over 12 months, broken down by the child's social-care status on the day the "
        "referral was received (looked after, child protection plan, child in need, none). A year, not "
        "a month, so that the smaller groups have enough referrals to compare.",
        source=_REJ + "; asked for by the 2025 recommendations for children with a social worker",
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    _m(
        id="REJ02r",
        name="Rejection rate ratio against children with no social worker",
        family="rejections",
        population="received_year",
        aggregate=Aggregate.RATE_RATIO,
        unit=Unit.RATIO,
        window="the 12 months ending at the period end",
        numerator="the rejection proportion of each social-care status",
        denominator="the rejection proportion of children with no social-care status",
        definition="For each social-care status, its REJ02 proportion divided by that of children with "
        "none, with a 95% interval by the log method (Katz et al., 1978). Undefined when either group has "
        "no rejections.",
        source=_REJ,
        breakdowns=("social_care",),
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    _m(
        id="DNA01",
        name="Percentage of contacts not attended",
        family="attendance",
        population="contacts",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the reporting month",
        numerator="contacts in the month not attended (3, 7)",
        denominator="contacts in the month attended (5, 6) or not attended (3, 7)",
        definition="Direct contacts dated in the month, of children 0-17 on the day: those not attended as a "
        "percentage of those attended or not attended. Cancellations are left out.",
        source="cypmh; attendance classes from nhsengland/MHSDS CYP Dashboard (Der_AttendDNA)",
        example="tests/spec/metrics/test_attendance.py::test_dna_worked_example",
        improvement="decrease",
    ),
]

_OUT = NHSD + "menh_bbrb/notebooks/02_Specific_Prepare/05_cyp_outcomes/cyp_outcomes_prep.py"
_OUT_EXAMPLE = "tests/spec/metrics/test_outcomes.py::test_outcomes_worked_example"
_OUT_DEVIATION = (
    "RCADS scores stay raw where no norm applies (age outside 8-17 or another gender), as the "
    "publication does, although the threshold is in T-score units; no hospital-spell exclusion. "
    "Scores of one scale on the same day are ordered by value, then SNOMED code (the source orders "
    "by date alone, leaving ties to row order)."
)
_DEFINITIONS += [
    _m(
        id="DIS01",
        name="Referrals discharged in the month",
        family="discharges",
        population="discharged",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals with a discharge date in the month",
        denominator=None,
        definition="Referrals of children 0-17 when received, resident in England or unknown, "
        "discharged (ServDischDate) in the month, as recorded by the period end: the outflow "
        "beside REJ01a, the referrals coming in.",
        source="cypmh (no national measure); MHS101Referral.ServDischDate",
        example="tests/spec/metrics/test_discharges.py::test_discharges_worked_example",
    ),
]
_DEFINITIONS += [
    _m(
        id="MHS110",
        name="Closed referrals with at least two contacts",
        family="outcomes",
        population="closed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals discharged in the month with at least two counted contacts",
        denominator=None,
        definition="Referrals discharged in the month, of children 0-17 when received, received from 2016, "
        "not rejected, resident in England or unknown, team type not B02, E01-E04 or A14, with at least two "
        "counted contacts on or before discharge.",
        source=_OUT,
        deviation=_OUT_DEVIATION,
        mhsds=True,
        example=_OUT_EXAMPLE,
    ),
    _m(
        id="MHS111",
        name="Closed referrals with an outcome score",
        family="outcomes",
        population="scored_any",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="MHS110's referrals with at least one valid score",
        denominator=None,
        definition="MHS110's referrals with a score on the CYP outcomes list, inside its range, dated on or "
        "before discharge.",
        source=_OUT,
        deviation=_OUT_DEVIATION,
        mhsds=True,
        example=_OUT_EXAMPLE,
    ),
    _m(
        id="MHS112",
        name="Closed referrals with a paired score",
        family="outcomes",
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
for _letters, _rater in ((("b", "c"), "self"), (("d", "e"), "parent"), (("f", "g"), "clinician")):
    _DEFINITIONS += [
        _m(
            id=f"MHS111{_letters[0]}",
            name=f"Closed referrals with a {_rater}-rated score",
            family="outcomes",
            population=f"scored_{_rater}",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the reporting month",
            numerator=f"MHS110's referrals with a valid {_rater}-rated score",
            denominator=None,
            definition=f"As MHS111, for scales rated by {_rater} (the publication's rater; GBO counts as self).",
            source=_OUT,
            deviation=_OUT_DEVIATION,
            mhsds=True,
            example=_OUT_EXAMPLE,
        ),
        _m(
            id=f"MHS111{_letters[1]}",
            name=f"Percentage of closed referrals with a {_rater}-rated score",
            family="outcomes",
            population=f"scored_flag_{_rater}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the reporting month",
            numerator=f"MHS111{_letters[0]}",
            denominator="MHS110",
            definition=f"100 x MHS111{_letters[0]} / MHS110, rounded to one decimal place.",
            source=_OUT,
            deviation=_OUT_DEVIATION,
            mhsds=True,
            decimals=1,
            example=_OUT_EXAMPLE,
            improvement="increase",
        ),
    ]
for _id, _rater in (("MHS113", "self"), ("MHS114", "parent"), ("MHS115", "clinician")):
    for (_count, _pct), _change in zip(
        (("a", "d"), ("b", "e"), ("c", "f")),
        ("improvement", "deterioration", "no_change"),
        strict=True,
    ):
        _words = _change.replace("_", " ")
        _DEFINITIONS += [
            _m(
                id=f"{_id}{_count}",
                name=f"{_rater.title()}-rated paired scores showing {_words}",
                family="outcomes",
                population=f"paired_{_rater}_{_change}",
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="the reporting month",
                numerator=f"referrals whose {_rater}-rated outcome is {_words}",
                denominator=None,
                definition=f"MHS110's referrals with a {_rater}-rated pair whose outcome is {_words}: "
                "improvement = at least one scale improved reliably and none deteriorated; deterioration = "
                "any scale deteriorated reliably; no change = neither. Reliable change is at least the "
                "scale's threshold in its good or bad direction (RCADS in T-scores).",
                source=_OUT,
                deviation=_OUT_DEVIATION,
                mhsds=True,
                example=_OUT_EXAMPLE,
            ),
            _m(
                id=f"{_id}{_pct}",
                name=f"Percentage of {_rater}-rated paired scores showing {_words}",
                family="outcomes",
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
            ),
        ]

_SDQ = "DfE SSDA903 OC2; bands from LG Inform metric 2135 (id.esd.org.uk/metricType/2135)"
_SDQ_EXAMPLE = "tests/spec/metrics/test_social_care.py::test_sdq_worked_example"
_DEFINITIONS += [
    _m(
        id="SDQ01",
        name="Mean SDQ total difficulties score of eligible looked-after children",
        family="sdq",
        population="scored",
        aggregate=Aggregate.MEAN,
        unit=Unit.SCORE,
        window="the year ending on the last 31 March on or before the period end",
        numerator="the sum of the scores",
        denominator="eligible children with a score",
        definition="Children looked after continuously for 12 months at 31 March, of an eligible age (the "
        "options' age rule; by default the DfE collection's), with a score: their mean score (lower is "
        "better), with a normal-approximation 95% interval.",
        source=_SDQ,
        example=_SDQ_EXAMPLE,
    ),
    _m(
        id="SDQ02",
        name="Percentage of eligible looked-after children with an SDQ score",
        family="sdq",
        population="eligible",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the year ending on the last 31 March on or before the period end",
        numerator="eligible children with a score",
        denominator="eligible children",
        definition="Eligible children (as SDQ01) with a score, as a percentage of all eligible children.",
        source=_SDQ,
        example=_SDQ_EXAMPLE,
        improvement="increase",
    ),
]
for _suffix, _band, _range in (
    ("a", "normal", "0-13"),
    ("b", "borderline", "14-16"),
    ("c", "concern", "17-40"),
):
    _DEFINITIONS.append(
        _m(
            id=f"SDQ03{_suffix}",
            name=f"Percentage of SDQ scores in the {_band} band ({_range})",
            family="sdq",
            population=f"band_{_band}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the year ending on the last 31 March on or before the period end",
            numerator=f"eligible children scoring {_range}",
            denominator="eligible children with a score",
            definition=f"Eligible children with a score in {_range}, as a percentage of those with a score.",
            source=_SDQ,
            example=_SDQ_EXAMPLE,
        )
    )

_LAC = "cypmh, from the 2025 recommendations for children in care (UCL / UK Trauma Council)"
_LAC_EXAMPLE = "tests/spec/metrics/test_social_care.py::test_lac_worked_example"
_DEFINITIONS += [
    _m(
        id="LAC01",
        name="Children due an initial mental health and wellbeing assessment",
        family="looked_after",
        population="due",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="periods of care whose assessment window (4-6 months) closed in the 12 months",
        denominator=None,
        definition="Periods of care whose assessment window closes (by default 6 months after entry) in the "
        "12 months ending at the period end, still open when the window opened (4 months).",
        source=_LAC,
        example=_LAC_EXAMPLE,
    ),
    _m(
        id="LAC01a",
        name="Children assessed in the 4-6-month window",
        family="looked_after",
        population="assessed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children with an assessment inside the window",
        denominator=None,
        definition="LAC01's periods with an initial assessment dated inside the window.",
        source=_LAC,
        example=_LAC_EXAMPLE,
    ),
    _m(
        id="LAC01b",
        name="Percentage of children assessed in the 4-6-month window",
        family="looked_after",
        population="due",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01a",
        denominator="LAC01",
        definition="100 x LAC01a / LAC01.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        improvement="increase",
    ),
    _m(
        id="LAC01c",
        name="Children assessed early (before the window)",
        family="looked_after",
        population="early",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children assessed after entry but before the window, and not in it",
        denominator=None,
        definition="LAC01's periods assessed before the window opened and not again inside it.",
        source=_LAC,
        example=_LAC_EXAMPLE,
    ),
    _m(
        id="LAC01d",
        name="Children not assessed by the end of the window (overdue)",
        family="looked_after",
        population="overdue",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children with no assessment by the window's close",
        denominator=None,
        definition="LAC01's periods with no assessment from entry to the window's close.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        improvement="decrease",
    ),
    _m(
        id="LINK01",
        name="Percentage of schools with a working link to CAMHS",
        family="school_links",
        population="schools",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="at the period end",
        numerator="schools with a working link contact at the period end",
        denominator="schools in the area's schools list open at the period end",
        definition="A working link: a link contact open at the period end with both the school lead's and the "
        "CAMHS contact's roles recorded (cypmh's definition, extract contract). A school counts while open: "
        "from its opening date (GIAS OpenDate) to its closing date (CloseDate), both included; a school "
        "with no dates is open.",
        source="cypmh, after the Mental Health Services and Schools Link programme",
        breakdowns=(),
        example="tests/spec/metrics/test_schools_thrive.py::test_links_worked_example",
        improvement="increase",
    ),
    _m(
        id="LINK02",
        name="Rejection percentage of school referrals, with and without a working link",
        family="school_links",
        population="school_referrals",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="school-source referrals rejected by the period end",
        denominator="school-source referrals received in the window",
        definition="Referrals from a school source (C2 by default) of children 0-17 when received: the "
        "percentage rejected, split by whether the child's school had a working link on the day the "
        "referral was received (the school_link breakdown).",
        source="cypmh, after the Schools Link pilots' aim of timely and appropriate referrals",
        breakdowns=("school_link",),
        example="tests/spec/metrics/test_schools_thrive.py::test_links_worked_example",
        improvement="decrease",
    ),
    _m(
        id="THR01",
        name="Children aged 0-17 with an open referral at the period end, by THRIVE grouping",
        family="thrive",
        population="open_children",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="children aged 0-17 at the period end with an open referral at the period end",
        denominator=None,
        definition="Children aged 0 to 17 on the period end (the age rule of every CYP count: a person of 18 or "
        "over, on an adult team's referral in a mixed extract, is not counted) with a referral received by "
        "the period end and not ended on it, broken down by "
        "the grouping in force at the period end: the latest agreed one, or before any is agreed the "
        "latest suggestion, counted apart as '<grouping> (suggested)'; 'Not recorded' without one.",
        source="cypmh; THRIVE Framework for system change (Wolpert et al., 2019)",
        example="tests/spec/metrics/test_schools_thrive.py::test_thrive_worked_example",
    ),
]

# Which way is better, for the SPC charts (cypmh.spc). Waits, long waits, rejections and
# missed appointments: lower. Access, waits within a standard, outcome measures recorded,
# assessments on time and working school links: higher. Counts of demand or activity, and
# measures of need (SDQ scores and bands): neutral, which is every metric not listed.
_HIGHER_IS_BETTER = "MHS95 MHS95a ACC01 ACC02 ACC02r MRS08b ED86e ED87e MHS111c MHS111e MHS111g MHS113d MHS114d MHS115d SDQ02 LAC01b LINK01"
_LOWER_IS_BETTER = (
    "MHS131 MHS132 MHS133 MHS134 MHS135 WAIT01 WAIT01a WAIT01b MRS09 MRS09a MRS09b MRS09c MRS09d MRS09e MRS09f "
    "REJ01 REJ01b REJ02 REJ02r DNA01 MHS113e MHS114e MHS115e LAC01d LINK02"
)
# National targets, where one exists. The proposed four-week standard (MRS08b) has no
# target percentage (see its metric page). ACC01's target holds on the ons_2004 scheme only.
_TARGETS = {
    "ED86e": (95.0, _ED_STANDARD),
    "ED87e": (95.0, _ED_STANDARD),
    "ACC01": (
        35.0,
        "NHS England, Five Year Forward View for Mental Health: 35% of children with a diagnosable "
        "condition seen by 2020/21, on the 2004 prevalence (scheme ons_2004)",
    ),
}


def _with_direction(definition: MetricDefinition) -> MetricDefinition:
    improvement = (
        "increase"
        if definition.id in _HIGHER_IS_BETTER.split()
        else "decrease"
        if definition.id in _LOWER_IS_BETTER.split()
        else "neutral"
    )
    target, source = _TARGETS.get(definition.id, (None, NO_TARGET))
    return attrs.evolve(definition, improvement=improvement, target=target, target_source=source)


_DEFINITIONS = [_with_direction(d) for d in (*_DEFINITIONS, *NEED_DEFINITIONS)]
if not {*_HIGHER_IS_BETTER.split(), *_LOWER_IS_BETTER.split(), *_TARGETS} <= {
    d.id for d in _DEFINITIONS
}:  # pragma: no cover - guards the tables above
    raise RuntimeError("a direction or target names a metric that is not declared")

CATALOGUE: Mapping[str, MetricDefinition] = {d.id: d for d in _DEFINITIONS}
"""Every metric, by id, in the catalogue's order."""

if len(CATALOGUE) != len(_DEFINITIONS):  # pragma: no cover - guards the declarations above
    raise RuntimeError("a metric id is declared twice")


def metric(metric_id: str) -> MetricDefinition:
    """The metric with this id; :class:`~cypmh.errors.InvalidValueError` lists the ids otherwise."""
    try:
        return CATALOGUE[metric_id]
    except KeyError:
        raise InvalidValueError(
            "catalogue", "metric_id", metric_id, f"is not a metric: {', '.join(CATALOGUE)}"
        ) from None
