"""The populations behind each family of metrics, computed over Python objects.

Each family turns an area and a reporting month into named *populations*:
lists of :class:`Observation` (one per person, referral, spell, contact or
school counted), each with what the breakdowns need. The catalogue says which
population each metric aggregates and how. This is the reference engine's
definition of every metric; its docstrings cite the sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import attrs

from cypmh.codes import AttendanceClass, EdPriorityGroup, Rater, RejectionReason, SdqBand
from cypmh.metrics.outcomes import Change, classify, pair_scores, rater_outcome, t_score
from cypmh.model import Area, Child, Contact, Referral
from cypmh.pathways import (
    DFE_COLLECTION_AGES,
    SCHOOL_REFERRAL_SOURCES,
    AssessmentStatus,
    AssessmentWindow,
    ContactRule,
    FourWeekCohort,
    InterventionCodes,
    SdqAgeRule,
    eating_disorder_wait,
    four_week_spells,
    is_eating_disorder_referral,
    periods_of_care,
    school_route,
    sdq_eligible,
    spell_clock,
    wellbeing_assessment_status,
)
from cypmh.periods import Month, RollingMonths
from cypmh.thrive import GroupingRecord, children_with_open_referral

__all__ = ["FAMILIES", "Context", "MetricOptions", "Observation", "Populations"]


@attrs.frozen(kw_only=True)
class MetricOptions:
    """The configurable parts of the metric definitions; the defaults are the national ones.

    - ``contact_rule``: what counts as a contact (digital providers);
    - ``interventions``: the intervention code set of the four-week clock
      (default: the two codes cypmh ships; load the MHSDS reference sets for
      publication-comparable MRS08 figures);
    - ``cohort``: the four-week cohort's filters;
    - ``assessment_window``: the initial wellbeing assessment window (4-6 months);
    - ``sdq_age_rule``: which ages are eligible for an SDQ;
    - ``school_sources``: sources of referral that mean *from a school*;
    - ``exclude_duplicate_rejections``: leave referrals rejected as duplicates
      (reason 01) out of the rejection measures altogether (default: count
      them as rejections, as the referral was received and not accepted).
    """

    contact_rule: ContactRule = attrs.field(factory=ContactRule)
    interventions: InterventionCodes | None = None
    cohort: FourWeekCohort | None = None
    assessment_window: AssessmentWindow = attrs.field(factory=AssessmentWindow)
    sdq_age_rule: SdqAgeRule = DFE_COLLECTION_AGES
    school_sources: frozenset[str] = SCHOOL_REFERRAL_SOURCES
    exclude_duplicate_rejections: bool = False


@attrs.frozen(kw_only=True)
class Observation:
    """One member of a population.

    ``person_id`` and ``provider_code`` feed the breakdowns (``None`` for
    school-level populations); ``age_date`` is the day a person's age band is
    taken on and ``status_date`` the day of their social-care status;
    ``value`` is what a median or mean is taken over; ``numerator`` says
    whether a percentage counts it; ``levels`` fixes a breakdown's level for
    this member (for example the school link on the day of a referral).
    """

    person_id: str | None
    provider_code: str | None
    age_date: date | None
    status_date: date | None
    value: float | None = None
    numerator: bool = False
    levels: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False)


Populations = dict[str, list[Observation]]


@attrs.frozen(kw_only=True)
class Context:
    """What every family needs: the area, the reporting month and the options."""

    area: Area
    month: Month
    options: MetricOptions
    groupings: tuple[GroupingRecord, ...] = ()

    @property
    def period_end(self) -> date:
        """The last day of the reporting month."""
        return self.month.last_day

    def window(self, months: int) -> RollingMonths:
        """The ``months`` months ending with the reporting month."""
        return RollingMonths(last=self.month, months=months)


WAITS_FROM = date(2019, 4, 1)
"""MHS130-MHS135 count referrals received from this day (``cyp_perinatal_prep.py``)."""

ED_FROM = date(2016, 1, 1)
"""ED86-ED87 count referrals received from this day (``04a_CYP_ED_WaitingTimes``)."""

ED_TEAMS_EXCLUDED = ("A18", "F01")
"""Team types whose eating-disorder referrals the ED measures leave out."""


def _english_or_unknown(child: Child) -> bool:
    return not child.la_district or child.la_district.startswith("E")


def _cyp_at(child: Child, day: date) -> bool:
    return day >= child.birth_date and child.age_on(day) <= 17


def _cyp_referrals(ctx: Context, *, english: bool = True) -> Iterable[tuple[Referral, Child]]:
    """Referrals (received by the period end, as the view has it) of children 0-17 when received.

    Unless ``english`` is False, also resident in England or of unknown residence.
    """
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        if not _cyp_at(child, referral.received_date):
            continue
        if english and not _english_or_unknown(child):
            continue
        yield referral, child


def _observe(referral: Referral, **fields: object) -> Observation:
    return Observation(
        person_id=referral.person_id,
        provider_code=referral.provider_code,
        age_date=referral.received_date,
        status_date=referral.received_date,
        **fields,  # type: ignore[arg-type]
    )


def access(ctx: Context) -> Populations:
    """MHS95: children aged 0-17 with a counted contact in the 12 months to the period end.

    Source: NHSD ``cyp_perinatal_prep.py``; domain reference 5.1.

    Referrals of children aged 0-17 when received, resident in England or of
    unknown residence; counted contacts dated in the window with the child
    0-17 on the contact's date, and indirect activity in the window with the
    child 0-17 on the last day of the activity's month. (NHS England takes an
    indirect activity's age from ``AgeRepPeriodEnd`` of the referral record of
    the activity's own monthly submission, joined on ``RecordNumber``: the age
    at the end of that month, not at the reporting period end.) Each child
    counts once, attributed to the provider of their earliest counted contact
    in the window; age band by age at that referral. Read as at the period
    end (:mod:`cypmh.model.asat`), as every family is.
    """
    window = ctx.window(12)
    rule = ctx.options.contact_rule
    earliest: dict[str, tuple[date, str, Referral]] = {}
    for referral, child in _cyp_referrals(ctx):
        days = [
            (c.date, c.contact_id)
            for c in ctx.area.contacts_of(referral.referral_id)
            if window.contains(c.date)
            and rule.counts(c, referral.provider_code)
            and _cyp_at(child, c.date)
        ]
        days += [
            (a.date, "")
            for a in ctx.area.indirect_activities_of(referral.referral_id)
            if window.contains(a.date) and _cyp_at(child, Month.of(a.date).last_day)
        ]
        for day, tie in days:
            key = (day, f"{referral.referral_id}/{tie}")
            current = earliest.get(referral.person_id)
            if current is None or key < current[:2]:
                earliest[referral.person_id] = (key[0], key[1], referral)
    people = [
        attrs.evolve(_observe(referral), status_date=ctx.period_end)
        for _, _, referral in earliest.values()
    ]
    return {"access": people}


def _counted_direct(ctx: Context, referral: Referral, child: Child) -> list[Contact]:
    rule = ctx.options.contact_rule
    return sorted(
        (
            c
            for c in ctx.area.contacts_of(referral.referral_id)
            if rule.counts(c, referral.provider_code) and _cyp_at(child, c.date)
        ),
        key=lambda c: (c.date, c.contact_id),
    )


def first_contact_waits(ctx: Context) -> Populations:
    """MHS130-MHS135: waits for a first contact (NHSD ``cyp_perinatal_prep.py``; reference 5.2).

    Referrals of children 0-17 when received, received on or after 2019-04-01,
    resident in England or unknown. *First contact*: the earliest counted direct
    contact with the child 0-17 on its date. ``first_contact``: referrals whose
    first contact falls in the 3 months ending at the period end, valued at
    its days from receipt. ``still_waiting``: referrals with no first contact by
    the period end and not discharged by then (a rejected or closed referral
    that was never discharged still counts, as the publication counts it),
    valued at period end + 1 day - receipt.
    """
    window = ctx.window(3)
    first_contacts, waiting = [], []
    for referral, child in _cyp_referrals(ctx):
        if referral.received_date < WAITS_FROM:
            continue
        direct = _counted_direct(ctx, referral, child)
        first = direct[0].date if direct else None
        if first is not None and window.contains(first):
            first_contacts.append(_observe(referral, value=(first - referral.received_date).days))
        if first is None and referral.discharge_date is None:
            wait = (ctx.period_end + timedelta(days=1) - referral.received_date).days
            waiting.append(_observe(referral, value=wait))
    return {"first_contact": first_contacts, "still_waiting": waiting}


def four_week_waits(ctx: Context) -> Populations:
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


def eating_disorders(ctx: Context) -> Populations:
    """ED86-ED87: CYP eating-disorder waits over the 12 months ending at the period end.

    Source: NHSD ``04a_CYP_ED_WaitingTimes``; reference 5.4. The clock is
    :func:`cypmh.pathways.eating_disorder_wait`.

    Referrals with primary reason 12, of children 0-17 when received, received
    from 2016-01-01 to the period end, not discharged before the window
    starts, with a priority (1-4), not made to A18 or F01; counted when
    treatment started in the window, as within target at 7 (urgent) or 28
    (routine) days.
    """
    window = ctx.window(12)
    groups: dict[EdPriorityGroup, list[Observation]] = {g: [] for g in EdPriorityGroup}
    for referral, _ in _cyp_referrals(ctx, english=False):
        if not is_eating_disorder_referral(referral) or referral.priority is None:
            continue
        if referral.received_date < ED_FROM or referral.team_type in ED_TEAMS_EXCLUDED:
            continue
        if referral.discharge_date is not None and referral.discharge_date < window.start:
            continue
        wait = eating_disorder_wait(ctx.area, referral.referral_id)
        if wait.treatment_start is not None and window.contains(wait.treatment_start):
            groups[referral.priority.ed_group].append(
                _observe(referral, value=wait.days, numerator=bool(wait.within_target))
            )
    populations: Populations = {}
    for group, members in groups.items():
        populations[f"ed_{group.value}"] = members
        populations[f"ed_{group.value}_within"] = [o for o in members if o.numerator]
    return populations


def _rejection_population(ctx: Context, window: RollingMonths) -> list[Observation]:
    members = []
    for referral, _ in _cyp_referrals(ctx):
        if not window.contains(referral.received_date):
            continue
        rejected = referral.is_rejected
        duplicate = rejected and referral.rejection_reason is RejectionReason.DUPLICATE
        if duplicate and ctx.options.exclude_duplicate_rejections:
            continue
        members.append(_observe(referral, numerator=rejected))
    return members


def rejections(ctx: Context) -> Populations:
    """REJ01-REJ02: referral rejection.

    cypmh's definition: no national measure exists (reference 5.5 and 10.5).

    Referrals of children 0-17 when received, resident in England or unknown:
    ``received_month`` those received in the reporting month, ``received_year``
    those received in the 12 months ending at the period end; each counted as
    rejected when a rejection date is recorded by the period end. Social-care
    status is taken on the day the referral was received.
    """
    month = _rejection_population(ctx, ctx.window(1))
    return {
        "received_month": month,
        "rejected_month": [o for o in month if o.numerator],
        "received_year": _rejection_population(ctx, ctx.window(12)),
    }


def attendance(ctx: Context) -> Populations:
    """DNA01: contacts in the month not attended (3, 7), of those attended or not.

    cypmh's definition; the attendance classes are NHS England's ``Der_AttendDNA``
    (attended 5, 6).

    Direct contacts dated in the month, on referrals of children 0-17 on the
    contact's date. Cancellations and status 0 are left out.
    """
    window = ctx.window(1)
    members = []
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        for contact in ctx.area.contacts_of(referral.referral_id):
            if not window.contains(contact.date) or not _cyp_at(child, contact.date):
                continue
            kind = contact.attend_status.attendance
            if kind in (AttendanceClass.ATTENDED, AttendanceClass.DNA):
                members.append(
                    Observation(
                        person_id=referral.person_id,
                        provider_code=referral.provider_code,
                        age_date=contact.date,
                        status_date=contact.date,
                        numerator=kind is AttendanceClass.DNA,
                    )
                )
    return {"contacts": members}


OUTCOME_TEAMS_EXCLUDED = ("B02", "E01", "E02", "E03", "E04", "A14")
"""Team types whose closed referrals the outcome measures leave out."""

OUTCOMES_FROM = date(2016, 1, 1)
"""The outcome measures count referrals received on or after this day."""


def outcomes(ctx: Context) -> Populations:
    """MHS110-MHS115: CYP outcome measures (NHSD ``cyp_outcomes_prep.py``; reference 5.6).

    *Closed referrals* (``closed``): discharged in the reporting month, of
    children 0-17 when received, received from 2016-01-01, not rejected,
    resident in England or unknown, team type not B02, E01-E04 or A14, with at
    least two counted contacts on or before discharge. Scores: assessments
    on the CYP outcomes list, inside the scale's publication range, dated on
    or before discharge, RCADS converted to T-scores (:func:`t_score`).
    Pairing and reliable change as in :mod:`cypmh.metrics.outcomes`.
    """
    window = ctx.window(1)
    rule = ctx.options.contact_rule
    closed: list[tuple[str, Observation]] = []
    scored: dict[str, set[str]] = {"any": set(), **{r.value: set() for r in Rater}}
    paired: dict[str, list[tuple[Observation, Change]]] = {r.value: [] for r in Rater}
    paired_any: list[Observation] = []
    for referral, child in _cyp_referrals(ctx):
        discharge = referral.discharge_date
        if (
            discharge is None
            or not window.contains(discharge)
            or referral.rejection_date is not None
        ):
            continue
        if referral.received_date < OUTCOMES_FROM or referral.team_type in OUTCOME_TEAMS_EXCLUDED:
            continue
        counted = sorted(
            [
                c.date
                for c in ctx.area.contacts_of(referral.referral_id)
                if c.date <= discharge and rule.counts(c, referral.provider_code)
            ]
            + [
                a.date
                for a in ctx.area.indirect_activities_of(referral.referral_id)
                if a.date <= discharge
            ]
        )
        if len(counted) < 2:
            continue
        base = _observe(referral)
        closed.append((referral.referral_id, base))
        age = child.age_on(referral.received_date)
        valid = []
        for assessment in ctx.area.assessments_of(referral.referral_id):
            tool = assessment.tool
            low, high = tool.outcome_range
            if (
                tool.in_cyp_outcomes
                and assessment.date <= discharge
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
    populations: Populations = {
        "closed": [o for _, o in closed],
        "scored_any": [o for rid, o in closed if rid in scored["any"]],
        "paired_any": paired_any,
    }
    for rater in Rater:
        key = rater.value.lower()
        populations[f"scored_{key}"] = [o for rid, o in closed if rid in scored[rater.value]]
        populations[f"scored_flag_{key}"] = [
            attrs.evolve(o, numerator=rid in scored[rater.value]) for rid, o in closed
        ]
        populations[f"paired_{key}"] = [o for o, _ in paired[rater.value]]
        for change in Change:
            flagged = [
                attrs.evolve(o, numerator=outcome is change) for o, outcome in paired[rater.value]
            ]
            populations[f"paired_{key}_{change.value}_flag"] = flagged
            populations[f"paired_{key}_{change.value}"] = [o for o in flagged if o.numerator]
    return populations


def last_31_march(day: date) -> date:
    """The last 31 March on or before ``day`` (the end of the SDQ collection year)."""
    candidate = date(day.year, 3, 31)
    return candidate if candidate <= day else date(day.year - 1, 3, 31)


def sdq(ctx: Context) -> Populations:
    """SDQ01-SDQ03: SDQ scores of looked-after children (reference 5.7).

    Children eligible in the year ending on the last 31 March on or before
    the period end (:func:`cypmh.pathways.sdq_eligible`, with the options' age
    rule): ``eligible`` all of them, counted as scored when their OC2 return
    has a score; ``scored`` those with a score, valued at it, and flagged by
    band (``sdq.csv``).
    """
    year_end = last_31_march(ctx.period_end)
    eligible, scored = [], []
    for child in ctx.area.children:
        episodes = ctx.area.care_episodes_of(child.person_id)
        if not episodes or not sdq_eligible(child, episodes, year_end, ctx.options.sdq_age_rule):
            continue
        ret = ctx.area.sdq_of(child.person_id)
        score = ret.score if ret is not None else None
        member = Observation(
            person_id=child.person_id,
            provider_code=None,
            age_date=year_end,
            status_date=year_end,
            value=score,
            numerator=score is not None,
        )
        eligible.append(member)
        if score is not None:
            scored.append(member)
    populations: Populations = {"eligible": eligible, "scored": scored}
    for band in SdqBand:
        populations[f"band_{band.value}"] = [
            attrs.evolve(o, numerator=SdqBand.of(int(o.value or 0)) is band) for o in scored
        ]
    return populations


def looked_after(ctx: Context) -> Populations:
    """LAC01: the initial mental health and wellbeing assessment of children entering care.

    cypmh's definition, from the 2025 recommendations (reference 8).

    Periods of care whose window closes (by default 6 months after entry) in
    the 12 months ending at the period end and that were still open when the
    window opened (4 months); each flagged as assessed in the window, assessed
    early, or not assessed in the window (overdue), as at the window's close.
    """
    window = ctx.window(12)
    rules = ctx.options.assessment_window
    due: list[Observation] = []
    for child in ctx.area.children:
        assessments = ctx.area.wellbeing_assessments_of(child.person_id)
        for period in periods_of_care(ctx.area.care_episodes_of(child.person_id)):
            opens, closes = rules.bounds(period.start)
            if not window.contains(closes) or not period.covers(opens):
                continue
            status = wellbeing_assessment_status(period, assessments, closes, rules)
            due.append(
                Observation(
                    person_id=child.person_id,
                    provider_code=None,
                    age_date=period.start,
                    status_date=period.start,
                    numerator=status is AssessmentStatus.DONE_IN_WINDOW,
                    levels={"status": status.value},
                )
            )
    return {
        "due": due,
        "assessed": [o for o in due if o.numerator],
        "early": [o for o in due if o.levels["status"] == AssessmentStatus.DONE_EARLY.value],
        "overdue": [o for o in due if o.levels["status"] == AssessmentStatus.DUE.value],
    }


def school_links(ctx: Context) -> Populations:
    """LINK01-LINK02: the Schools Link programme (cypmh's definitions; reference 9).

    ``schools``: every school in the area, counted when it has a working link
    on the period end. ``school_referrals``: referrals from a school source
    received in the 12 months ending at the period end (children 0-17 when
    received), counted when rejected by the period end, with their school
    link on the day received fixed as the ``school_link`` level.
    """
    schools = [
        Observation(
            person_id=None,
            provider_code=None,
            age_date=None,
            status_date=None,
            numerator=ctx.area.has_working_link(s.urn, ctx.period_end),
        )
        for s in ctx.area.schools
    ]
    window = ctx.window(12)
    referrals = []
    for referral, _ in _cyp_referrals(ctx):
        if referral.source not in ctx.options.school_sources or not window.contains(
            referral.received_date
        ):
            continue
        route = school_route(
            ctx.area, referral.referral_id, school_sources=ctx.options.school_sources
        )
        rejected = referral.is_rejected
        link = "Working link" if route.working_link else "No working link"
        referrals.append(_observe(referral, numerator=rejected, levels={"school_link": link}))
    return {"schools": schools, "school_referrals": referrals}


def thrive_groupings(ctx: Context) -> Populations:
    """THR01: children with an open referral at the period end (by THRIVE grouping)."""
    open_children = children_with_open_referral(ctx.area, ctx.period_end)
    return {
        "open_children": [
            Observation(
                person_id=pid,
                provider_code=None,
                age_date=ctx.period_end,
                status_date=ctx.period_end,
            )
            for pid in sorted(open_children)
        ]
    }


FAMILIES: dict[str, Callable[[Context], Populations]] = {
    "access": access,
    "first_contact_waits": first_contact_waits,
    "four_week_waits": four_week_waits,
    "eating_disorders": eating_disorders,
    "rejections": rejections,
    "attendance": attendance,
    "outcomes": outcomes,
    "sdq": sdq,
    "looked_after": looked_after,
    "school_links": school_links,
    "thrive": thrive_groupings,
}
"""Every family, by name."""
