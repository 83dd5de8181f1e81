"""MRS08-MRS09: the four-week waits of CYP referral spells.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.metrics.definition import Family
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.declared import Declared
from cypmh.metrics.families.four_week_metrics import declare_metrics
from cypmh.metrics.families.lazy import fb, fc, fs, fx, nw
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
from cypmh.pathways import (
    FOUR_WEEKS_DAYS,
    JOIN_WITHIN_DAYS,
    FourWeekCohort,
    InterventionCodes,
    four_week_spells,
    spell_clock,
)
from cypmh.pathways.clocks import clock_events_frame, referral_events_frame
from cypmh.pathways.spells import SPELL_KEYS, Spell, SpellClock, four_week_spells_frame

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "FOUR_WEEK_INPUTS", "METRICS", "explain", "frames", "reference"]


# The populations, declared as clauses (cypmh.clauses) over a spell with its clock
# (``spell_start``, ``clock_stop`` and ``spell_open``, derived by cypmh.pathways.spells as
# code): reference, frames and explain all read them. The values (days) stay code.

_start, _stop = cl.Column("spell_start"), cl.Column("clock_stop")

STOPPED_IN_WINDOW = cl.Within(_stop, 3)
"""The spell's clock stopped in the 3 months ending at the period end."""

WITHIN_FOUR_WEEKS = cl.Compare("<=", cl.DaysBetween(_start, _stop), cl.Lit(FOUR_WEEKS_DAYS))
"""The clock stopped within four weeks (28 days) of the spell's start."""

_OPEN = cl.Compare("==", cl.Column("spell_open"), cl.Lit(True))
STILL_WAITING = cl.All((cl.IsNull(_stop), _OPEN))
"""The spell is open and its clock has not stopped by the period end."""

WAITS = {52: 364, 78: 546, 104: 728}
"""The long waits flagged: weeks, and the days a wait must exceed."""


def _waited_over(days: int) -> cl.Compare:
    return cl.Compare(">", cl.DaysBetween(_start, cl.PeriodEnd()), cl.Lit(days))


POPULATIONS: dict[str, Declared] = {
    "clock_stops": Declared(member=STOPPED_IN_WINDOW, numerator=WITHIN_FOUR_WEEKS),
    "clock_stops_within_4_weeks": Declared(
        member=cl.All((STOPPED_IN_WINDOW, WITHIN_FOUR_WEEKS)), numerator=WITHIN_FOUR_WEEKS
    ),
    "still_waiting": Declared(member=STILL_WAITING),
}
for _weeks, _days in WAITS.items():
    POPULATIONS[f"waiting_flag_{_weeks}"] = Declared(
        member=STILL_WAITING, numerator=_waited_over(_days)
    )
    POPULATIONS[f"waiting_over_{_weeks}"] = Declared(
        member=cl.All((STILL_WAITING, _waited_over(_days))), numerator=_waited_over(_days)
    )


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
    populations=POPULATIONS,
    derived={
        "spell_start": "the start of a referral spell: within a child and provider, in order "
        "of receipt, a referral received no more than 5 days after the latest end so far "
        "joins the spell, an open referral running to the period end (cypmh.pathways.spells)",
        "spell_open": "whether the spell is still open at the period end",
        "clock_stop": "the day the spell's four-week clock stops: the latest of its first "
        "counted contact, first baseline outcome measure and first agreed care plan or coded "
        "intervention, when all three exist (missing while any is)",
    },
    as_at=(
        "A referral's end is COALESCE(discharge, rejection, closure) over the values "
        "as at the period end, so a referral closed by then and discharged later ends on its closure. "
        "A care plan counts only with an agreement dated by the period end (or undated), and its last "
        "update only when dated by then."
    ),
)

METRICS = declare_metrics(FAMILY)


def reference(ctx: Context, *, with_indirect: bool = True) -> Populations:
    """MRS08-MRS09: the CYP referral-spell ("four-week") measures.

    Source: NHSD ``4w_waits_prep.py``; reference 5.3. The spells and clock are
    :mod:`cypmh.pathways.spells`.

    ``clock_stops``: spells whose clock stopped in the 3 months ending at the
    period end, valued at days from spell start, counted as within four weeks
    at 28 days or fewer. ``still_waiting``: open spells whose clock had not
    stopped by the period end, valued at days from spell start to the period
    end; ``waiting_over_52/78/104`` mark those waiting more than 364, 546 and
    728 days. Without ``with_indirect``, indirect activity stops no clock (WAIT08-WAIT09f).
    """
    built = four_week_spells(ctx.area, ctx.period_end, cohort=ctx.options.cohort)
    found: Populations = {name: [] for name in POPULATIONS}
    for spell in built.spells:
        clock = spell_clock(
            ctx.area,
            spell,
            contact_rule=ctx.options.contact_rule,
            interventions=ctx.options.interventions,
            with_indirect=with_indirect,
        )
        record = _record(spell, clock)
        stopped = clock.clock_stop is not None
        days = clock.days_to_clock_stop if stopped else (ctx.period_end - spell.start).days
        for name, declared in POPULATIONS.items():
            if not cl.holds(declared.member, record, ctx.month):
                continue
            numerator = declared.numerator is not None and cl.holds(
                declared.numerator, record, ctx.month
            )
            found[name].append(
                Observation(
                    record=spell.record,
                    person_id=spell.person_id,
                    provider_code=spell.provider_code,
                    age_date=spell.start,
                    status_date=spell.start,
                    value=days,
                    numerator=numerator,
                )
            )
    return found


def _record(spell: Spell, clock: SpellClock) -> dict[str, object]:
    """What the clauses read of a spell: its start, whether it is open, its clock stop."""
    return {"spell_start": spell.start, "spell_open": spell.is_open, "clock_stop": clock.clock_stop}


# The dataframe engine's version.


def spells_frame(ctx: FrameContext, *, ending_from: int | None = None) -> Frame:
    """The cohort's referrals and spells (:func:`cypmh.pathways.spells.four_week_spells_frame`)."""
    cohort = ctx.options.cohort or FourWeekCohort.default()
    return four_week_spells_frame(with_child(ctx), ctx.end, cohort=cohort, ending_from=ending_from)


def _referral_events(ctx: FrameContext, *, with_indirect: bool = True) -> Frame:
    """Every referral's possible clock-stop events (``pathways.clocks.referral_events_frame``)."""
    return referral_events_frame(
        fb.counted_contacts(ctx),
        ctx["contact_procedures"],
        ctx["indirect_activities"] if with_indirect else None,
        ctx["assessments"],
        interventions=ctx.options.interventions or InterventionCodes.default(),
    )


def _events(ctx: FrameContext, members: Frame, spells: Frame, *, with_indirect: bool) -> Frame:
    """Each spell's clock-stop events (:func:`cypmh.pathways.clocks.clock_events_frame`).

    The referrals' events are made once and kept (a series makes them once for every
    month, each month keeping the events inside its spells).
    """
    if with_indirect:
        events = ctx.lasting("four_week_events", _referral_events)
    else:
        events = ctx.lasting(
            "four_week_events_direct", lambda c: _referral_events(c, with_indirect=False)
        )
    return clock_events_frame(
        events,
        members,
        spells,
        ctx["care_plans"],
        ctx["care_plan_agreements"],
    )


def frames(ctx: FrameContext, *, with_indirect: bool = True) -> FrameFamily:
    """MRS08-MRS09 over frames: :func:`reference`, clause by clause."""
    start, _ = ctx.window(3)
    # Only spells that end in the window or later count: a clock stop lies inside its
    # spell, and a spell still waiting ends within 5 days of the period end.
    members = fs.store(spells_frame(ctx, ending_from=start))
    spells = members.group_by(SPELL_KEYS).agg(
        nw.col("start").min(), nw.col("start_ymd").min(), nw.col("end").max()
    )
    events = _events(ctx, members, spells, with_indirect=with_indirect)

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
    clocked = clocked.with_columns(
        nw.col("start").alias("spell_start"),
        nw.col("stop").alias("clock_stop"),
        (nw.col("end") >= ctx.end - JOIN_WITHIN_DAYS).alias("spell_open"),
    )
    days = nw.col("stop") - nw.col("start")
    waited = ctx.end - nw.col("start")
    populations = {
        name: fb.Population(
            member=fc.condition(declared.member, ctx.month, anchor="person_id"),
            value=days if name.startswith("clock_stops") else waited,
            numerator=(
                None
                if declared.numerator is None
                else fc.condition(declared.numerator, ctx.month, anchor="person_id")
            ),
        )
        for name, declared in POPULATIONS.items()
    }
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


def explain(case: Case, population: str, *, with_indirect: bool = True) -> str | None:
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
        with_indirect=with_indirect,
    )
    name = f"in spell {spell.record}"
    record = _record(spell, clock)
    failure = cl.first_failure(POPULATIONS[population].member, record, case.ctx.month)
    if failure is None:
        return None
    said = cl.describe(failure, record, case.ctx.month, as_at=True)
    missing = [
        label for field, label in _EVENT_NAMES.items() if getattr(clock.events, field) is None
    ]
    if failure.clause == STOPPED_IN_WINDOW and missing:
        said += f" ({' and '.join(missing)} missing)"
    elif failure.clause == _OPEN and spell.end is not None:
        said += f" (the spell ended {spell.end.isoformat()})"
    return f"{name}; {said}"
