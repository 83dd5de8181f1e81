"""The reasons :func:`cypmh.metrics.explain.why` gives when a referral does not count.

One function per family reads the referral's records as at the period end
and names the first thing that keeps it out of a population: the shared
cohort (:func:`cohort_reason`), the family's own filters (the dates and team
types its module declares, the four-week filter by name), the window, or
the missing event. Whether the referral counts is never decided here; that
comes from the family's members. The rules described are the families'
(:mod:`cypmh.metrics.families`, each with its NHS England source).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

import attrs

from cypmh.metrics.families import (
    ED_FROM,
    ED_TEAMS_EXCLUDED,
    FAMILIES,
    OUTCOME_TEAMS_EXCLUDED,
    OUTCOMES_FROM,
    WAITS_FROM,
    Context,
    Observation,
    last_31_march,
)
from cypmh.metrics.families.members import cyp_at, english_or_unknown
from cypmh.model import Child, Referral
from cypmh.pathways import journey_of
from cypmh.pathways.eating_disorders import eating_disorder_wait, is_eating_disorder_referral
from cypmh.pathways.spells import FourWeekSpells, four_week_spells, spell_clock
from cypmh.periods import RollingMonths

__all__ = ["EXPLAIN", "Case", "cohort_reason"]


def _span(window: RollingMonths) -> str:
    return f"the {window.months} months {window.start.isoformat()} to {window.end.isoformat()}"


Explain = Callable[["Case", str], str | None]


@attrs.define(kw_only=True, slots=False)
class Case:
    """One referral as at the period end, with what the explanations read."""

    ctx: Context
    referral: Referral
    child: Child
    populations: dict[str, dict[str, list[Observation]]] = attrs.field(factory=dict)

    @functools.cached_property
    def spells(self) -> FourWeekSpells:
        """The four-week spells as at the period end (built once per referral)."""
        return four_week_spells(self.ctx.area, self.end, cohort=self.ctx.options.cohort)

    def of(self, family: str) -> dict[str, list[Observation]]:
        """The family's populations this period (computed once)."""
        if family not in self.populations:
            self.populations[family] = FAMILIES[family](self.ctx)
        return self.populations[family]

    def child_in(self, family: str, population: str) -> Observation | None:
        """The child's member of a population of the child, if any."""
        found = (
            o for o in self.of(family).get(population, []) if o.person_id == self.child.person_id
        )
        return next(found, None)

    @property
    def end(self) -> date:
        """The period end."""
        return self.ctx.period_end

    def window(self, months: int) -> RollingMonths:
        """The ``months`` months ending with the reporting month."""
        return self.ctx.window(months)


def cohort_reason(case: Case, *, english: bool = True) -> str | None:
    """The shared cohort: a child aged 0-17 when referred, resident in England or unknown."""
    referral, child = case.referral, case.child
    if not cyp_at(child, referral.received_date):
        age = child.age_on(referral.received_date)
        return f"cohort: the child was {age} when referred; the cohort is children aged 0-17"
    if english and not english_or_unknown(child):
        return f"cohort: resident outside England (district {child.la_district})"
    return None


def _received_in(case: Case, months: int) -> str | None:
    window = case.window(months)
    if not window.contains(case.referral.received_date):
        received = case.referral.received_date.isoformat()
        return f"received {received}, outside {_span(window)}"
    return None


def _first_contact_waits(case: Case, population: str) -> str | None:
    referral = case.referral
    if referral.received_date < WAITS_FROM:
        return f"received before {WAITS_FROM.isoformat()}, when the publication's waits begin"
    journey = journey_of(
        case.ctx.area, referral.referral_id, contact_rule=case.ctx.options.contact_rule
    )
    first = journey.first_direct_contact
    if population == "first_contact":
        if first is None:
            return "no counted direct contact by the period end"
        return f"first counted contact {first.isoformat()}, outside {_span(case.window(3))}"
    if first is not None:
        return f"had its first counted contact on {first.isoformat()}"
    if referral.discharge_date is not None:
        return f"discharged {referral.discharge_date.isoformat()}"
    if referral.rejection_date is not None:
        return (
            f"rejected {referral.rejection_date.isoformat()} (the publication would still count it)"
        )
    if referral.closure_date is not None:
        return f"closed {referral.closure_date.isoformat()} (the publication would still count it)"
    return None


_EVENT_NAMES = {
    "first_contact": "first counted contact",
    "first_outcome": "first outcome measure",
    "first_care_plan_or_intervention": "care plan or intervention",
}


def _four_week_waits(case: Case, population: str) -> str | None:
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
            return f"{name}; clock stopped {stop.isoformat()}, outside {_span(case.window(3))}"
        return f"{name}; clock stopped after {clock.days_to_clock_stop} days, more than 28"
    if stop is not None:
        return f"{name}; clock stopped {stop.isoformat()}"
    if not spell.is_open:
        return f"{name}; the spell ended {spell.end.isoformat()}"
    if population.startswith("waiting_over_"):
        weeks = population.rsplit("_", 1)[1]
        return f"{name}; waiting {(case.end - spell.start).days} days, not over {weeks} weeks"
    return None


def _rejections(case: Case, population: str) -> str | None:
    months = 12 if population == "received_year" else 1
    found = _received_in(case, months)
    if found is None and population == "rejected_month":
        return "not rejected by the period end"
    if (
        found is None
        and case.referral.is_rejected
        and case.ctx.options.exclude_duplicate_rejections
    ):
        return "rejected as a duplicate, which the options leave out"
    return found


def _referrals(case: Case, population: str) -> str | None:
    if population == "received":
        return _received_in(case, 12)
    received = case.referral.received_date.isoformat()
    return f"received {received}, not in the 12 months before the last 12"


def _discharges(case: Case, population: str) -> str | None:
    discharge = case.referral.discharge_date
    if discharge is None:
        return "no discharge recorded by the period end"
    return f"discharged {discharge.isoformat()}, outside {_span(case.window(1))}"


def _outcomes(case: Case, population: str) -> str | None:
    referral = case.referral
    discharge = referral.discharge_date
    if discharge is None:
        return "no discharge recorded by the period end"
    if not case.window(1).contains(discharge):
        return f"discharged {discharge.isoformat()}, outside {_span(case.window(1))}"
    if referral.rejection_date is not None:
        return f"rejected {referral.rejection_date.isoformat()}"
    if referral.received_date < OUTCOMES_FROM:
        return f"received before {OUTCOMES_FROM.isoformat()}"
    if referral.team_type in OUTCOME_TEAMS_EXCLUDED:
        return f"team type {referral.team_type}, which the outcome measures leave out"
    journey = journey_of(
        case.ctx.area, referral.referral_id, contact_rule=case.ctx.options.contact_rule
    )
    counted = [d for d in journey.counted_contacts if d <= discharge]
    if len(counted) < 2:
        return f"{len(counted)} counted contact(s) by discharge; closed referrals need 2"
    if population == "closed":
        return None
    scored = case.ctx.area.assessments_of(referral.referral_id)
    if not any(a.tool.in_cyp_outcomes and a.date <= discharge for a in scored):
        return "no outcome measure on the CYP outcomes list by discharge"
    return "its scores do not make a pair of this kind (a first and a later score of one scale)"


def _eating_disorders(case: Case, population: str) -> str | None:
    referral = case.referral
    if not is_eating_disorder_referral(referral):
        return "not an eating-disorder referral (primary reason 12)"
    if referral.priority is None:
        return "no priority recorded"
    if referral.received_date < ED_FROM:
        return f"received before {ED_FROM.isoformat()}"
    if referral.team_type in ED_TEAMS_EXCLUDED:
        return f"team type {referral.team_type}, which the ED measures leave out"
    window = case.window(12)
    if referral.discharge_date is not None and referral.discharge_date < window.start:
        return f"discharged {referral.discharge_date.isoformat()}, before the 12 months"
    wait = eating_disorder_wait(case.ctx.area, referral.referral_id)
    if wait.treatment_start is None:
        return "no treatment start by the period end"
    if not window.contains(wait.treatment_start):
        return f"treatment started {wait.treatment_start.isoformat()}, outside {_span(window)}"
    group = referral.priority.ed_group.value
    if population.removesuffix("_within") != f"ed_{group}":
        return f"priority group {group}, another group"
    return f"treatment started after {wait.days} days, outside the target"


def _access(case: Case, population: str) -> str | None:
    if population == "looked_after":
        return "the child had no episode of care in the 12 months"
    return f"no counted contact or indirect activity for the child in {_span(case.window(12))}"


def _attendance(case: Case, population: str) -> str | None:
    return f"no attended or missed direct contact in {_span(case.window(1))}"


def _school_links(case: Case, population: str) -> str | None:
    source = case.referral.source
    if source not in case.ctx.options.school_sources:
        shown = source or "not recorded"
        return f"source of referral {shown}, not one of the options' school sources"
    return _received_in(case, 12)


def _sdq(case: Case, population: str) -> str | None:
    year_end = last_31_march(case.end)
    if case.child_in("sdq", "eligible") is None:
        return f"the child was not looked after continuously for the year to {year_end.isoformat()}"
    scored = case.ctx.area.sdq_of(case.child.person_id)
    if scored is None or scored.score is None:
        return "no SDQ score returned for the child"
    return "the child's SDQ score is in another band"


def _looked_after(case: Case, population: str) -> str | None:
    due = case.child_in("looked_after", "due")
    if due is None:
        return (
            "the child has no period of care whose assessment window closes in "
            f"{_span(case.window(12))} and that was open when the window opened"
        )
    return (
        f"the child's assessment status is {due.levels.get('status', 'another')}, not {population}"
    )


def _thrive(case: Case, population: str) -> str | None:
    return "the child has no open referral at the period end"


EXPLAIN: dict[str, tuple[Explain, bool]] = {
    "first_contact_waits": (_first_contact_waits, True),
    "four_week_waits": (_four_week_waits, False),
    "rejections": (_rejections, True),
    "referrals": (_referrals, True),
    "discharges": (_discharges, True),
    "outcomes": (_outcomes, True),
    "eating_disorders": (_eating_disorders, False),
    "access": (_access, False),
    "attendance": (_attendance, False),
    "school_links": (_school_links, True),
    "sdq": (_sdq, False),
    "looked_after": (_looked_after, False),
    "thrive": (_thrive, False),
}
"""Each family's explanation of a non-member, and whether the shared cohort comes first.

A family not here gets its definition's first line.
"""
