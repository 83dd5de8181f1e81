"""MRS08-MRS09: the four-week waits of CYP referral spells.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.families.case import Case, span
from cypmh.metrics.families.lazy import fb, fs, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations, with_child
from cypmh.metrics.files import (
    ACTIVITY,
    AGREEMENTS,
    ASSESSMENTS,
    CARE_PLANS,
    CLOSED,
    DISCHARGED,
    HEALTH,
    INDIRECT,
    MECHANISM,
    PRIORITY,
    REASON,
    REJECTED,
    TEAM,
    column,
)
from cypmh.metrics.results import Aggregate, Unit
from cypmh.pathways import (
    FOUR_WEEKS_DAYS,
    JOIN_WITHIN_DAYS,
    FourWeekCohort,
    InterventionCodes,
    four_week_spells,
    spell_clock,
)
from cypmh.pathways.clocks import clock_events_frame, referral_events_frame
from cypmh.pathways.spells import SPELL_KEYS, four_week_spells_frame

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# What the family is, and its metrics, in the catalogue's order.

# The clock stops on a counted contact, an outcome measure and a care plan (its last update
# and agreements) or a coded intervention (a contact's or an indirect activity's procedure);
# the cohort leaves out referrals by team type and primary reason (eating disorders,
# psychosis) and, for MRS09, by priority, and the spells end at discharge, rejection or
# closure.
FOUR_WEEK_INPUTS = (
    *HEALTH,
    ACTIVITY,
    INDIRECT,
    ASSESSMENTS,
    CARE_PLANS,
    AGREEMENTS,
    MECHANISM,
    DISCHARGED,
    REJECTED,
    CLOSED,
    TEAM,
    REASON,
    PRIORITY,
    column(INDIRECT, "IndActProcedure"),
    column(CARE_PLANS, "CarePlanLastUpdateDate"),
    column(AGREEMENTS, "CarePlanAgreedDate"),
)

FAMILY = Family(
    name="four_week_waits",
    records="spell",
    inputs=FOUR_WEEK_INPUTS,
    resident=True,
    reads_interventions=True,
    as_at=(
        "A referral's end is COALESCE(discharge, rejection, closure) over the values "
        "as at the period end, so a referral closed by then and discharged later ends on its closure. "
        "A care plan counts only with an agreement dated by the period end (or undated), and its last "
        "update only when dated by then."
    ),
)

_4W = NHSD + "menh_bbrb/notebooks/02_Specific_Prepare/02_4w_waits/4w_waits_prep.py"
_4W_DEVIATION = (
    "No hospital-spell exclusion (the extract has no MHS501); care plans matched on the child "
    "alone; the intervention code set is configuration: cypmh ships only the two named ASD/ADHD "
    "codes, so load the MHSDS reference sets for figures comparable with the publication."
)
_SPELLS = "tests/spec/metrics/test_four_week.py::test_four_week_worked_example"
METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="MRS08",
        name="Referral spells with a full clock stop in the 3 months to the period end",
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
    FAMILY.declare(
        id="MRS08a",
        name="Spells with a clock stop within four weeks",
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
    FAMILY.declare(
        id="MRS08b",
        name="Percentage of spells with a clock stop within four weeks",
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
    FAMILY.declare(
        id="MRS09",
        name="Open spells still waiting for a clock stop at the period end",
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
    METRICS += [
        FAMILY.declare(
            id=_count_id,
            name=f"Open spells waiting more than {_weeks} weeks",
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
        FAMILY.declare(
            id=_pct_id,
            name=f"Percentage of open spells waiting more than {_weeks} weeks",
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


def reference(ctx: Context) -> Populations:
    """MRS08-MRS09: the CYP referral-spell ("four-week") measures.

    Source: NHSD ``4w_waits_prep.py``; reference 5.3. The spells and clock are
    :mod:`cypmh.pathways.spells`.

    ``clock_stops``: spells whose clock stopped in the 3 months ending at the
    period end, valued at days from spell start, counted as within four weeks
    at 28 days or fewer. ``still_waiting``: open spells whose clock had not
    stopped by the period end, valued at days from spell start to the period
    end; ``waiting_over_52/78/104`` mark those waiting more than 364, 546 and
    728 days.
    """
    built = four_week_spells(ctx.area, ctx.period_end, cohort=ctx.options.cohort)
    window = ctx.window(3)
    stops, waiting = [], []
    for spell in built.spells:
        clock = spell_clock(
            ctx.area,
            spell,
            contact_rule=ctx.options.contact_rule,
            interventions=ctx.options.interventions,
        )
        base = Observation(
            record=spell.record,
            person_id=spell.person_id,
            provider_code=spell.provider_code,
            age_date=spell.start,
            status_date=spell.start,
        )
        stop = clock.clock_stop
        if stop is not None and window.contains(stop):
            days = clock.days_to_clock_stop
            stops.append(attrs.evolve(base, value=days, numerator=days is not None and days <= 28))
        if spell.is_open and stop is None:
            waiting.append(attrs.evolve(base, value=(ctx.period_end - spell.start).days))
    populations: Populations = {
        "clock_stops": stops,
        "clock_stops_within_4_weeks": [o for o in stops if o.numerator],
        "still_waiting": waiting,
    }
    for weeks, days in ((52, 364), (78, 546), (104, 728)):
        marked = [attrs.evolve(o, numerator=(o.value or 0) > days) for o in waiting]
        populations[f"waiting_flag_{weeks}"] = marked
        populations[f"waiting_over_{weeks}"] = [o for o in marked if o.numerator]
    return populations


# The dataframe engine's version.


def spells_frame(ctx: FrameContext, *, ending_from: int | None = None) -> Frame:
    """The cohort's referrals and spells (:func:`cypmh.pathways.spells.four_week_spells_frame`)."""
    cohort = ctx.options.cohort or FourWeekCohort.default()
    return four_week_spells_frame(with_child(ctx), ctx.end, cohort=cohort, ending_from=ending_from)


def _referral_events(ctx: FrameContext) -> Frame:
    """Every referral's possible clock-stop events (``pathways.clocks.referral_events_frame``)."""
    return referral_events_frame(
        fb.counted_contacts(ctx),
        ctx["contact_procedures"],
        ctx["indirect_activities"],
        ctx["assessments"],
        interventions=ctx.options.interventions or InterventionCodes.default(),
    )


def _events(ctx: FrameContext, members: Frame, spells: Frame) -> Frame:
    """Each spell's clock-stop events (:func:`cypmh.pathways.clocks.clock_events_frame`).

    The referrals' events are made once and kept (a series makes them once for every
    month, each month keeping the events inside its spells).
    """
    return clock_events_frame(
        ctx.lasting("four_week_events", _referral_events),
        members,
        spells,
        ctx["care_plans"],
        ctx["care_plan_agreements"],
    )


def frames(ctx: FrameContext) -> FrameFamily:
    """MRS08-MRS09 over frames: :func:`reference`, clause by clause."""
    start, end = ctx.window(3)
    # Only spells that end in the window or later count: a clock stop lies inside its
    # spell, and a spell still waiting ends within 5 days of the period end.
    members = fs.store(spells_frame(ctx, ending_from=start))
    spells = members.group_by(SPELL_KEYS).agg(
        nw.col("start").min(), nw.col("start_ymd").min(), nw.col("end").max()
    )
    events = _events(ctx, members, spells)

    def first_of(bit: int) -> nw.Expr:
        return nw.when(nw.col("kinds") % (2 * bit) >= bit).then(nw.col("day"))

    firsts = events.with_columns(
        first_of(1).alias("first_contact"),
        first_of(2).alias("first_outcome"),
        first_of(4).alias("first_help"),
    )
    names = ("first_contact", "first_outcome", "first_help")
    firsts = firsts.group_by(SPELL_KEYS).agg(*[nw.col(name).min() for name in names])
    all_three = ~nw.col("first_contact").is_null() & ~nw.col("first_outcome").is_null()
    clocked = spells.join(firsts, on=SPELL_KEYS, how="left").with_columns(
        nw.when(all_three & ~nw.col("first_help").is_null())
        .then(nw.max_horizontal(*[nw.col(name) for name in names]))
        .alias("stop")
    )
    days = nw.col("stop") - nw.col("start")
    stopped = fx.in_range(nw.col("stop"), start, end)
    waiting = (nw.col("end") >= ctx.end - JOIN_WITHIN_DAYS) & nw.col("stop").is_null()
    waited = ctx.end - nw.col("start")
    populations = {
        "clock_stops": fb.Population(member=stopped, value=days, numerator=days <= FOUR_WEEKS_DAYS),
        "clock_stops_within_4_weeks": fb.Population(
            member=stopped & (days <= FOUR_WEEKS_DAYS).fill_null(False),
            value=days,
            numerator=nw.lit(True),
        ),
        "still_waiting": fb.Population(member=waiting, value=waited),
    }
    for weeks, limit in ((52, 364), (78, 546), (104, 728)):
        populations[f"waiting_flag_{weeks}"] = fb.Population(
            member=waiting, value=waited, numerator=waited > limit
        )
        populations[f"waiting_over_{weeks}"] = fb.Population(
            member=waiting & (waited > limit), value=waited, numerator=nw.lit(True)
        )
    return [
        fb.base(
            clocked,
            populations,
            person=nw.col("person_id"),
            provider=nw.col("provider_code"),
            age_ymd=nw.col("start_ymd"),
            status_day=nw.col("start"),
            # As Spell.record: PERSON/PROVIDER/START.
            record=nw.concat_str(
                [
                    nw.col("person_id"),
                    nw.lit("/"),
                    nw.col("provider_code"),
                    nw.lit("/"),
                    fx.iso_date(nw.col("start_ymd")),
                ]
            ),
        )
    ]


# Why a referral is not a member (cypmh why).


_EVENT_NAMES = {
    "first_contact": "first counted contact",
    "first_outcome": "first outcome measure",
    "first_care_plan_or_intervention": "care plan or intervention",
}


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    area, referral = case.ctx.area, case.referral
    built = case.spells
    for excluded, rule in built.selection.excluded:
        if excluded.referral_id == referral.referral_id:
            return f"cohort: left out by the four-week filter {rule!r}"
    for early in built.dropped:
        if referral.referral_id in early.referral_ids:
            return f"in spell {early.record}, which starts before the cohort's first spell start"
    spell = next((s for s in built.spells if referral.referral_id in s.referral_ids), None)
    if spell is None:
        return None
    clock = spell_clock(
        area,
        spell,
        contact_rule=case.ctx.options.contact_rule,
        interventions=case.ctx.options.interventions,
    )
    name = f"in spell {spell.record}"
    stop = clock.clock_stop
    missing = [
        label for field, label in _EVENT_NAMES.items() if getattr(clock.events, field) is None
    ]
    if population.startswith("clock_stops"):
        if stop is None:
            return f"{name}; no clock stop: {' and '.join(missing)} missing"
        if not case.window(3).contains(stop):
            return f"{name}; clock stopped {stop.isoformat()}, outside {span(case.window(3))}"
        return f"{name}; clock stopped after {clock.days_to_clock_stop} days, more than 28"
    if stop is not None:
        return f"{name}; clock stopped {stop.isoformat()}"
    if not spell.is_open:
        return f"{name}; the spell ended {spell.end.isoformat()}"
    if population.startswith("waiting_over_"):
        weeks = population.rsplit("_", 1)[1]
        return f"{name}; waiting {(case.end - spell.start).days} days, not over {weeks} weeks"
    return None
