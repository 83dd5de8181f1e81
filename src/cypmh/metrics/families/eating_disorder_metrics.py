"""The eating-disorder family's metric declarations: ED86-ED87j, ED91-ED98 and ED99-ED104.

:func:`declare_metrics` declares them for :mod:`~cypmh.metrics.families.eating_disorders`,
with the letters, words and sources of NHS England's ``04a_CYP_ED_WaitingTimes``.
"""

from __future__ import annotations

from collections.abc import Iterable

from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.files import DISCHARGED
from cypmh.metrics.results import Aggregate, Unit

__all__ = ["declare_metrics"]

_ED = NHSD + "menh_publications/notebooks/04a_CYP_ED_WaitingTimes/"
_ED_STANDARD = (
    "NHS England, Access and Waiting Time Standard for Children and Young People with an Eating "
    "Disorder (2015): 95% of urgent referrals to start NICE-approved treatment within 1 week and of "
    "routine referrals within 4 weeks"
)
_ED_EXAMPLE = "tests/spec/metrics/test_eating_disorders.py::test_eating_disorder_worked_example"
_AGG = _ED + "02_Aggregate/01_CYP_ED_WT_Aggregate.sql"
_BAND_WORDS = {
    "1_week": "within 1 week",
    "1_to_4_weeks": "within 1 to 4 weeks",
    "4_to_12_weeks": "within 4 to 12 weeks",
    "over_12_weeks": "after more than 12 weeks",
}
_PUBLISHED = (
    "None in the value. The publication shows England's unrounded and, below England, a count "
    "rounded to the nearest 5 and a percentage to a whole number, either suppressed where it "
    "or its numerator or denominator is under 5 (menh_publications/notebooks/"
    "94_Round_output.py); cypmh's --suppression mhsds shows them so."
)

# ED91-ED98: the waits themselves, by the derived priority type (PrepViews.sql's
# Priority_Type, from ClinRespPriorityType: routine 3, urgent 1, 2 or 4), as the
# publication's code numbers them (LoadRefData.sql; 01_CYP_ED_WT_Aggregate.sql takes
# PERCENTILE(waiting_time_days, 0.5) and 0.9 of CYP_ED_WT_STEP4 and CYP_ED_WT_STEP6).
_WAIT_WORDS = {
    "treated": (
        "waited from referral to treatment, for ED86's (urgent) or ED87's (routine) referrals",
        "Days from receipt to the treatment start (CYP_ED_WT_STEP4's waiting_time_days), over "
        "the {group} referrals of {count} (those where {{member}}).",
        "the 12 months ending at the period end",
    ),
    "waiting": (
        "waiting for treatment at the period end",
        "Days from receipt to the period end (CYP_ED_WT_STEP6's DATEDIFF(rp_enddate, "
        "ReferralRequestReceivedDate), without the day MHS134 adds) of the {group} referrals "
        "where {{member}}.",
        "at the period end",
    ),
}

_SECOND = (
    "Referrals where {member}: the second treatment row falls in the window. The rows are "
    "PrepViews.sql's: CYP_ED_WT_STEP2 joins each treatment contact to each of its care "
    "activities with a treatment code, and STEP3_prep numbers them by date, so a first "
    "contact with two treatment codes is its own second contact (a wait of 0 days), as the "
    "publication counts it."
)


def declare_metrics(family: Family, bands: Iterable[str]) -> list[MetricDefinition]:
    """ED86-ED87j, ED91-ED98 and ED99-ED104, declared by ``family``, in the catalogue's order.

    ``bands`` are the family's bands of wait (``WAIT_BANDS``), in the order of their letters.
    """
    bands = tuple(bands)
    routine_within_4_weeks = family.declare(
        id="ED87e",
        name="Percentage of routine eating-disorder referrals entering treatment within 4 weeks",
        population="ed_routine",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="ED87j",
        denominator="ED87",
        definition="100 x ED87j / ED87: of ED87's referrals, those where {numerator} (the "
        "bands ED87a and ED87b together).",
        source=_AGG,
        deviation=_PUBLISHED,
        mhsds=True,
        example=_ED_EXAMPLE,
        improvement="increase",
        target=95.0,
        target_source=_ED_STANDARD,
    )
    routine_count_within_4_weeks = family.declare(
        id="ED87j",
        name="Routine eating-disorder referrals entering treatment within 4 weeks",
        population="ed_routine_within",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 12 months ending at the period end",
        numerator="ED87's referrals entering treatment within 4 weeks (28 days) of receipt",
        denominator=None,
        definition="ED87's referrals where {numerator}. (cypmh called this ED87a before; the "
        "publication's ED87a is within 1 week.)",
        source=_AGG,
        deviation=_PUBLISHED,
        mhsds=True,
        example=_ED_EXAMPLE,
    )

    metrics: list[MetricDefinition] = []
    # The letters as the publication's code gives them (01_CYP_ED_WT_Aggregate.sql): a-d count the
    # referrals in each band; then ED86e is the percentage within 1 week and ED86f-h those of
    # bands b-d; ED87e is the percentage within 4 weeks (the bands a and b together), ED87f-i
    # those of bands a-d, and ED87j the count within 4 weeks.
    for prefix, group, _target, count_letters, share_letters in (
        ("ED86", "urgent", "1 week (7 days)", "abcd", "efgh"),
        ("ED87", "routine", "4 weeks (28 days)", "abcd", "fghi"),
    ):
        name = f"ed_{group}"
        metrics.append(
            family.declare(
                id=prefix,
                name=f"{group.title()} eating-disorder referrals entering treatment (12-month rolling)",
                population=name,
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="the 12 months ending at the period end",
                numerator=f"{group} referrals whose treatment started in the window",
                denominator=None,
                definition=f"Referrals of priority {group} "
                f"({'1, 2 or 4' if group == 'urgent' else '3'}) where {{cohort}}, and where "
                "{member}; the treatment start is the first attended contact with a NICE-concordant "
                "treatment code.",
                source=_ED,
                deviation="The publication's inpatient exclusion is miskeyed in its code and the extract has "
                "no hospital spells; neither is applied.",
                mhsds=True,
                example=_ED_EXAMPLE,
            )
        )
        shares = []
        for band, count_letter, share_letter in zip(
            bands, count_letters, share_letters, strict=True
        ):
            words = _BAND_WORDS[band]
            metrics.append(
                family.declare(
                    id=f"{prefix}{count_letter}",
                    name=f"{group.title()} eating-disorder referrals entering treatment {words}",
                    population=f"{name}_{band}",
                    aggregate=Aggregate.COUNT,
                    unit=Unit.COUNT,
                    window="the 12 months ending at the period end",
                    numerator=f"{prefix}'s referrals entering treatment {words} of receipt",
                    denominator=None,
                    definition=f"{prefix}'s referrals where {{numerator}}.",
                    source=_AGG,
                    deviation=_PUBLISHED,
                    mhsds=True,
                    example=_ED_EXAMPLE,
                )
            )
            shares.append(
                family.declare(
                    id=f"{prefix}{share_letter}",
                    name=f"Percentage of {group} eating-disorder referrals entering treatment {words}",
                    population=f"{name}_{band}_share",
                    aggregate=Aggregate.PERCENTAGE,
                    unit=Unit.PERCENTAGE,
                    window="the 12 months ending at the period end",
                    numerator=f"{prefix}{count_letter}",
                    denominator=prefix,
                    definition=f"100 x {prefix}{count_letter} / {prefix}: of {prefix}'s referrals, "
                    "those where {numerator}.",
                    source=_AGG,
                    deviation=_PUBLISHED,
                    mhsds=True,
                    example=_ED_EXAMPLE,
                    **(
                        {"improvement": "increase", "target": 95.0, "target_source": _ED_STANDARD}
                        if share_letter == "e"
                        else {}
                    ),
                )
            )
        if group == "routine":
            shares.insert(0, routine_within_4_weeks)
            shares.append(routine_count_within_4_weeks)
        metrics += shares

    for number, kind, group, aggregate in (
        ("ED91", "treated", "routine", Aggregate.MEDIAN),
        ("ED92", "treated", "urgent", Aggregate.MEDIAN),
        ("ED93", "treated", "routine", Aggregate.PERCENTILE_90),
        ("ED94", "treated", "urgent", Aggregate.PERCENTILE_90),
        ("ED95", "waiting", "routine", Aggregate.MEDIAN),
        ("ED96", "waiting", "urgent", Aggregate.MEDIAN),
        ("ED97", "waiting", "routine", Aggregate.PERCENTILE_90),
        ("ED98", "waiting", "urgent", Aggregate.PERCENTILE_90),
    ):
        what, how, window = _WAIT_WORDS[kind]
        statistic = "Median" if aggregate is Aggregate.MEDIAN else "90th percentile of"
        metrics.append(
            family.declare(
                id=number,
                name=f"{statistic} days {group} eating-disorder referrals "
                + ("waited for treatment" if kind == "treated" else "have been waiting"),
                population=f"ed_{group}" + ("_waiting" if kind == "waiting" else ""),
                aggregate=aggregate,
                unit=Unit.DAYS,
                window=window,
                numerator=f"days {what}",
                denominator=None,
                definition=how.format(group=group, count="ED87" if group == "routine" else "ED86")
                + " Linear interpolation between closest ranks (Spark's percentile).",
                source=_AGG,
                mhsds=True,
                example="tests/spec/metrics/test_eating_disorders.py::test_ed_wait_statistics",
                improvement="decrease",
                # Still waiting ends with a discharge (ServDischDate), not with treatment alone.
                **({"inputs": (*family.inputs, DISCHARGED)} if kind == "waiting" else {}),
            )
        )

    for number, group, aggregate in (
        ("ED99", "routine", Aggregate.COUNT),
        ("ED100", "urgent", Aggregate.COUNT),
        ("ED101", "routine", Aggregate.MEDIAN),
        ("ED102", "urgent", Aggregate.MEDIAN),
        ("ED103", "routine", Aggregate.PERCENTILE_90),
        ("ED104", "urgent", Aggregate.PERCENTILE_90),
    ):
        count = aggregate is Aggregate.COUNT
        statistic = "Median" if aggregate is Aggregate.MEDIAN else "90th percentile of"
        metrics.append(
            family.declare(
                id=number,
                name=f"{group.title()} eating-disorder referrals with a second contact in the window"
                if count
                else f"{statistic} days from first to second contact, {group} eating-disorder "
                "referrals",
                population=f"ed_{group}_second",
                aggregate=aggregate,
                unit=Unit.COUNT if count else Unit.DAYS,
                window="the 12 months ending at the period end",
                numerator=f"{group} referrals whose second treatment contact falls in the window"
                if count
                else "days from the first treatment contact to the second (CYP_ED_WT_STEP8)",
                denominator=None,
                definition=_SECOND
                + (
                    ""
                    if count
                    else " The value is the days from the first treatment contact (ED86's and "
                    "ED87's treatment start) to the second; linear interpolation between closest "
                    "ranks (Spark's percentile)."
                ),
                source=_AGG,
                mhsds=True,
                example="tests/spec/metrics/test_eating_disorders.py::test_ed_second_contacts",
                improvement="increase" if count else "decrease",
            )
        )
    return metrics
