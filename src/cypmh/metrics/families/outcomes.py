"""MHS110-MHS115: CYP outcome measures.

:func:`reference` over objects, :func:`frames` over dataframes, and :func:`explain` for
``cypmh why`` (:mod:`cypmh.metrics.families`). What the family is and its metrics (``FAMILY``,
``METRICS``) and its cohort's clauses are in :mod:`cypmh.metrics.families.outcome_measures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh import clauses as cl
from cypmh import codes
from cypmh.codes import AssessmentTool, Rater
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.lazy import fb, fc, fs, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.outcomes import (
    Change,
    classify,
    pair_scores,
    pair_scores_frame,
    rater_outcome,
    rater_outcome_frame,
    score_values_frame,
    t_score,
)
from cypmh.pathways import distinct_indirect, distinct_indirect_frame, journey_of

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily, Population


from cypmh.metrics.families.outcome_measures import (
    CLOSED,
    FAMILY,
    METRICS,
    OUTCOME_COHORT,
    OUTCOME_TEAMS_EXCLUDED,
    OUTCOMES_FROM,
    PAIRED_INPUTS,
)

__all__ = [
    "CLOSED",
    "FAMILY",
    "METRICS",
    "OUTCOMES_FROM",
    "OUTCOME_COHORT",
    "OUTCOME_TEAMS_EXCLUDED",
    "PAIRED_INPUTS",
    "explain",
    "frames",
    "reference",
]


def reference(ctx: Context) -> Populations:
    """MHS110-MHS115: CYP outcome measures (NHSD ``cyp_outcomes_prep.py``; reference 5.6).

    *Closed referrals* (``closed``): referrals of the CYP cohort
    (:data:`~cypmh.metrics.families.members.CYP_COHORT`) that pass :data:`CLOSED` (discharged in the
    month, not rejected, received from 2016, outside the teams left out), with at
    least two counted contacts on or before discharge. Scores: assessments
    on the CYP outcomes list, inside the scale's publication range, dated from
    the first counted contact to discharge, RCADS converted to T-scores
    (:func:`t_score`), all in single precision as the publication's FLOAT columns.
    Pairing and reliable change as in :mod:`cypmh.metrics.outcomes`.
    """
    rule = ctx.options.contact_rule
    closed: list[tuple[str, Observation]] = []
    scored: dict[str, set[str]] = {"any": set(), **{r.value: set() for r in Rater}}
    paired: dict[str, list[tuple[Observation, Change]]] = {r.value: [] for r in Rater}
    paired_any: list[Observation] = []
    for referral, child in cyp_referrals(ctx):
        discharge = referral.discharge_date
        if discharge is None or not cl.holds(CLOSED, referral, ctx.month):
            continue
        counted = sorted(
            [
                c.date
                for c in ctx.area.contacts_of(referral.referral_id)
                if c.date <= discharge and rule.counts(c, referral.provider_code)
            ]
            + [
                a.date
                for a in distinct_indirect(ctx.area.indirect_activities_of(referral.referral_id))
                if a.date <= discharge
            ]
        )
        if len(counted) < 2:
            continue
        base = observe(referral)
        closed.append((referral.referral_id, base))
        age = child.age_on(referral.received_date)
        valid = []
        for assessment in ctx.area.assessments_of(referral.referral_id):
            tool = assessment.tool
            low, high = tool.outcome_range
            # Dated from the first counted contact to discharge: cyp_outcomes_prep.py keeps
            # only scores on or after Contact1 (cyp_partition_assessments) before it flags a
            # referral assessed or pairs its scores.
            if (
                tool.in_cyp_outcomes
                and counted[0] <= assessment.date <= discharge
                and low <= assessment.score <= high
            ):
                valid.append((assessment, t_score(tool, assessment.score, age, child.gender)))
        if valid:
            scored["any"].add(referral.referral_id)
        for assessment, _ in valid:
            if assessment.tool.rater is not None:
                scored[assessment.tool.rater.value].add(referral.referral_id)
        pairs = pair_scores(valid, counted[0], counted[1])
        if pairs:
            paired_any.append(base)
        for rater in Rater:
            changes = [classify(p) for p in pairs if p.tool.rater is rater]
            if changes:
                paired[rater.value].append((base, rater_outcome(changes)))
    paired_ids = {o.record for o in paired_any}
    populations: Populations = {
        "closed": [o for _, o in closed],
        "scored_any": [o for rid, o in closed if rid in scored["any"]],
        "scored_flag_any": [attrs.evolve(o, numerator=rid in scored["any"]) for rid, o in closed],
        "paired_any": paired_any,
        "paired_flag_any": [attrs.evolve(o, numerator=o.record in paired_ids) for _, o in closed],
    }
    for rater in Rater:
        key = rater.value.lower()
        populations[f"scored_{key}"] = [o for rid, o in closed if rid in scored[rater.value]]
        populations[f"scored_flag_{key}"] = [
            attrs.evolve(o, numerator=rid in scored[rater.value]) for rid, o in closed
        ]
        populations[f"paired_{key}"] = [o for o, _ in paired[rater.value]]
        rater_ids = {o.record for o, _ in paired[rater.value]}
        populations[f"paired_flag_{key}"] = [
            attrs.evolve(o, numerator=o.record in rater_ids) for _, o in closed
        ]
        for change in Change:
            flagged = [
                attrs.evolve(o, numerator=outcome is change) for o, outcome in paired[rater.value]
            ]
            populations[f"paired_{key}_{change.value}_flag"] = flagged
            populations[f"paired_{key}_{change.value}"] = [o for o in flagged if o.numerator]
    return populations


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """MHS110-MHS115 over frames: :func:`reference`, clause by clause.

    Scores are paired as :func:`cypmh.metrics.outcomes.pair_scores` does, with
    its order for scores of one scale on the same day (value, then code).

    A referral's outcome rests only on what happened up to its discharge, so
    in a series every discharged referral's row is made once
    (:meth:`~cypmh.metrics.blocks.bases.FrameContext.lasting`) and each month
    keeps those discharged in it and not rejected by its end.
    """
    raters = {r: f"scored_{r.value.lower()}" for r in Rater}
    if ctx.lasting_parts is None:
        return [fb.of_referral(_outcome_rows(ctx, in_window=True), _populations_frames(raters))]

    def every_discharge(whole: FrameContext) -> Frame:
        return _outcome_rows(whole, in_window=False)

    start, end = ctx.window(1)
    as_at = fb.AsAt(dates=("rejection_date",))  # a rejection after the month is unknown in it
    frame = ctx.lasting("outcomes", every_discharge, as_at=as_at).filter(
        fx.in_range(nw.col("discharge_date"), start, end), nw.col("rejection_date").is_null()
    )
    return [fb.of_referral(frame, _populations_frames(raters))]


def _outcome_rows(ctx: FrameContext, *, in_window: bool) -> Frame:
    """Closed referrals with their scores, pairs and outcome per rater.

    ``in_window``: those discharged in the month and not rejected, as the
    definition reads; otherwise every discharged referral, rejected or not,
    for a series to choose from month by month.
    """
    tools = [t for t in codes.assessment_tools().values() if t.in_cyp_outcomes]
    raters = {r: f"scored_{r.value.lower()}" for r in Rater}
    # Stored (on Polars, collected): each is read by several branches of the plan below,
    # and Polars computed their inputs again for each (1.2 GB at 5 million contacts).
    closed = fs.store(_closed_frames(ctx, in_window=in_window))
    scores = _scores_frames(ctx, closed, tools)
    scored = (
        scores.with_columns(
            **{
                name: (nw.col("rater") == r.value).fill_null(False).cast(nw.Int64)
                for r, name in raters.items()
            }
        )
        .group_by("referral_id")
        .agg(*[nw.col(name).max() for name in raters.values()])
    )
    pairs = pair_scores_frame(scores, tools)
    per_rater = {rater: rater_outcome_frame(pairs, rater) for rater in Rater}
    pairs = fs.store(pairs)
    paired_any = pairs.select("referral_id").unique().with_columns(nw.lit(1).alias("paired_any"))
    frame = closed.join(scored, on="referral_id", how="left").join(
        paired_any, on="referral_id", how="left"
    )
    for rater in Rater:
        frame = frame.join(per_rater[rater], on="referral_id", how="left")
    scored_any = scores.select("referral_id").unique().with_columns(nw.lit(1).alias("scored_any"))
    return frame.join(scored_any, on="referral_id", how="left")


def _closed_frames(ctx: FrameContext, *, in_window: bool = True) -> Frame:
    """The closed referrals, each with its first and second counted contact dates."""
    kept = (
        fc.condition(CLOSED, ctx.month)
        if in_window
        else ~nw.col("discharge_date").is_null() & fc.condition(OUTCOME_COHORT, ctx.month)
    )
    referrals = (
        cyp_referrals_frame(ctx)
        .filter(kept)
        .join(ctx["children"].select("person_id", "gender"), on="person_id", how="left")
    )
    ends = referrals.select("referral_id", "provider_code", "discharge_date")
    direct = (
        fb.counted_contacts(ctx)
        .filter(nw.col("counted"))
        .join(ends, on="referral_id", how="inner")
        .filter(nw.col("date") <= nw.col("discharge_date"))
        .select("referral_id", "date")
    )
    indirect = (
        distinct_indirect_frame(ctx["indirect_activities"])
        .join(ends, on="referral_id", how="inner")
        .filter(nw.col("date") <= nw.col("discharge_date"))
        .select("referral_id", "date")
    )
    days = nw.concat([direct, indirect])
    first = days.group_by("referral_id").agg(
        nw.col("date").min().alias("first_contact"), nw.len().alias("contacts")
    )
    # The second counted date: the first again if two fall on it, else the next.
    second = (
        days.join(first, on="referral_id", how="inner")
        .with_columns(
            (nw.col("date") == nw.col("first_contact")).cast(nw.Int64).alias("on_first"),
            nw.when(nw.col("date") > nw.col("first_contact")).then(nw.col("date")).alias("after"),
        )
        .group_by("referral_id", "first_contact", "contacts")
        .agg(nw.col("on_first").sum(), nw.col("after").min())
        .filter(nw.col("contacts") >= 2)
        .select(
            "referral_id",
            "first_contact",
            nw.when(nw.col("on_first") >= 2)
            .then(nw.col("first_contact"))
            .otherwise(nw.col("after"))
            .alias("second_contact"),
        )
    )
    return referrals.join(second, on="referral_id", how="inner")


def _scores_frames(ctx: FrameContext, closed: Frame, tools: list[AssessmentTool]) -> Frame:
    """The closed referrals' valid scores, RCADS as T-scores (``value``), settled.

    A score's value depends only on the score and its referral's child (age
    when the referral was received, sex): :func:`_score_values` works it out
    once, for every month of a series, and each month keeps the scores of its
    closed referrals dated by their discharge.
    """
    values = ctx.lasting("outcome_scores", lambda whole: score_values_frame(whole.tables, tools))
    scores = (
        values.join(
            closed.select("referral_id", "discharge_date", "first_contact", "second_contact"),
            on="referral_id",
            how="inner",
        )
        .filter(
            nw.col("date") <= nw.col("discharge_date"), nw.col("date") >= nw.col("first_contact")
        )
        .with_columns(nw.lit(1).alias("one"))
    )
    return fs.store(
        scores.select(
            "referral_id",
            "tool_code",
            "date",
            "first_contact",
            "second_contact",
            "rater",
            "term",
            "value",
            "one",
        )
    )


def _populations_frames(raters: dict[Rater, str]) -> dict[str, Population]:
    """The family's populations over the joined closed referrals."""
    populations = {
        "closed": fb.Population(),
        "scored_any": fb.Population(member=nw.col("scored_any") == 1),
        "scored_flag_any": fb.Population(numerator=(nw.col("scored_any") == 1).fill_null(False)),
        "paired_any": fb.Population(member=nw.col("paired_any") == 1),
        "paired_flag_any": fb.Population(numerator=(nw.col("paired_any") == 1).fill_null(False)),
    }
    for rater, name in raters.items():
        key = rater.value.lower()
        flag = (nw.col(name) == 1).fill_null(False)
        outcome = nw.col(f"outcome_{key}")
        populations[f"scored_{key}"] = fb.Population(member=flag)
        populations[f"scored_flag_{key}"] = fb.Population(numerator=flag)
        populations[f"paired_{key}"] = fb.Population(member=~outcome.is_null())
        populations[f"paired_flag_{key}"] = fb.Population(numerator=~outcome.is_null())
        for kind in Change:
            populations[f"paired_{key}_{kind.value}_flag"] = fb.Population(
                member=~outcome.is_null(), numerator=(outcome == kind.value).fill_null(False)
            )
            populations[f"paired_{key}_{kind.value}"] = fb.Population(
                member=(outcome == kind.value).fill_null(False), numerator=nw.lit(True)
            )
    return populations


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    referral = case.referral
    failure = cl.first_failure(CLOSED, referral, case.ctx.month)
    if failure is not None:
        return cl.describe(failure, referral, case.ctx.month, as_at=True)
    discharge = referral.discharge_date
    assert discharge is not None  # CLOSED holds: discharged in the month
    journey = journey_of(
        case.ctx.area, referral.referral_id, contact_rule=case.ctx.options.contact_rule
    )
    counted = [d for d in journey.counted_contacts if d <= discharge]
    if len(counted) < 2:
        return f"{len(counted)} counted contact(s) by discharge; closed referrals need 2"
    if population == "closed":
        return None
    scored = case.ctx.area.assessments_of(referral.referral_id)
    if not any(a.tool.in_cyp_outcomes and counted[0] <= a.date <= discharge for a in scored):
        return (
            "no outcome measure on the CYP outcomes list from the first counted contact "
            f"({counted[0].isoformat()}) to discharge"
        )
    return "its scores do not make a pair of this kind (a first and a later score of one scale)"
