"""MRS08-MRS09: the four-week waits of CYP referral spells.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh.metrics.families.lazy import fb, fs, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations, with_child
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

__all__ = ["frames", "reference"]


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
