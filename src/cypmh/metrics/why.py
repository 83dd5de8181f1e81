"""Why a referral counts, or does not, in each metric of a period.

:func:`why` takes one referral and a reporting month and goes through the
catalogue family by family. Whether the referral counts is read from the
family's own members (:mod:`cypmh.metrics.drilldown`), never worked out
again here; the *reason* it does not is then found from its records: the
first cohort filter it fails, the as-at rule (a date recorded after the
period end has not happened yet) or the event that is missing. Like
:func:`~cypmh.metrics.drilldown.members` this is record-level output for
those who hold the records, never part of a report.

>>> from cypmh.examples import example_area
>>> found = why(example_area(), "R005", "2025-03")
>>> for finding in found:
...     if finding.family == "rejections":
...         print(finding.line())
REJ01 (rejections, rejected_month): not counted: not rejected by the period end
REJ01a, REJ01b (rejections, received_month): counts (numerator: no)
REJ02, REJ02r (rejections, received_year): counts (numerator: no)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

import attrs

from cypmh.errors import InvalidValueError, NotInAreaError
from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.drilldown import record_kind
from cypmh.metrics.families import (
    ED_FROM,
    ED_TEAMS_EXCLUDED,
    FAMILIES,
    MODULES,
    OUTCOME_TEAMS_EXCLUDED,
    OUTCOMES_FROM,
    WAITS_FROM,
    Context,
    MetricOptions,
    Observation,
    last_31_march,
)
from cypmh.metrics.families.members import cyp_at, english_or_unknown
from cypmh.metrics.request import Period, reporting_month
from cypmh.model import Area, Child, Referral
from cypmh.model.asat import as_at
from cypmh.pathways import journey_of
from cypmh.pathways.eating_disorders import eating_disorder_wait, is_eating_disorder_referral
from cypmh.pathways.spells import four_week_spells, spell_clock
from cypmh.periods import RollingMonths
from cypmh.thrive import GroupingRecord

__all__ = ["Finding", "why", "why_text"]


@attrs.frozen(kw_only=True)
class Finding:
    """Whether one referral counts in one population, and why not.

    ``metric_ids`` are the catalogue's metrics over the population; ``reason``
    is empty when the referral counts, and ``detail`` then says how (its
    value, whether a percentage counts it).
    """

    family: str
    population: str
    metric_ids: tuple[str, ...]
    counts: bool
    reason: str = ""
    detail: str = ""

    def line(self) -> str:
        """The finding as one line: ``MRS08 (four_week_waits, clock_stops): not counted: …``."""
        head = f"{', '.join(self.metric_ids)} ({self.family}, {self.population})"
        if self.counts:
            return f"{head}: counts" + (f" ({self.detail})" if self.detail else "")
        return f"{head}: not counted: {self.reason}"


def _span(window: RollingMonths) -> str:
    return f"the {window.months} months {window.start.isoformat()} to {window.end.isoformat()}"


Explain = Callable[["_Case", str], str | None]


@attrs.frozen(kw_only=True)
class _Case:
    """One referral as at the period end, with what the explanations read."""

    ctx: Context
    referral: Referral
    child: Child
    populations: dict[str, dict[str, list[Observation]]] = attrs.field(factory=dict)

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
        return self.ctx.period_end

    def window(self, months: int) -> RollingMonths:
        return self.ctx.window(months)


def _cohort(case: _Case, *, english: bool = True) -> str | None:
    """The shared cohort: a child aged 0-17 when referred, resident in England or unknown."""
    referral, child = case.referral, case.child
    if not cyp_at(child, referral.received_date):
        age = child.age_on(referral.received_date)
        return f"cohort: the child was {age} when referred; the cohort is children aged 0-17"
    if english and not english_or_unknown(child):
        return f"cohort: resident outside England (district {child.la_district})"
    return None


def _received_in(case: _Case, months: int) -> str | None:
    window = case.window(months)
    if not window.contains(case.referral.received_date):
        received = case.referral.received_date.isoformat()
        return f"received {received}, outside {_span(window)}"
    return None


def _first_contact_waits(case: _Case, population: str) -> str | None:
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


def _four_week_waits(case: _Case, population: str) -> str | None:
    area, referral = case.ctx.area, case.referral
    built = four_week_spells(area, case.end, cohort=case.ctx.options.cohort)
    for excluded, rule in built.selection.excluded:
        if excluded.referral_id == referral.referral_id:
            return f"cohort: left out by the four-week filter {rule!r}"
    for early in built.dropped:
        if referral.referral_id in early.referral_ids:
            name = f"{early.provider_code}/{early.start.isoformat()}"
            return f"in spell {name}, which starts before the cohort's first spell start"
    spell = next((s for s in built.spells if referral.referral_id in s.referral_ids), None)
    if spell is None:
        return None
    clock = spell_clock(
        area,
        spell,
        contact_rule=case.ctx.options.contact_rule,
        interventions=case.ctx.options.interventions,
    )
    name = f"in spell {spell.provider_code}/{spell.start.isoformat()}"
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


def _rejections(case: _Case, population: str) -> str | None:
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


def _referrals(case: _Case, population: str) -> str | None:
    if population == "received":
        return _received_in(case, 12)
    received = case.referral.received_date.isoformat()
    return f"received {received}, not in the 12 months before the last 12"


def _discharges(case: _Case, population: str) -> str | None:
    discharge = case.referral.discharge_date
    if discharge is None:
        return "no discharge recorded by the period end"
    return f"discharged {discharge.isoformat()}, outside {_span(case.window(1))}"


def _outcomes(case: _Case, population: str) -> str | None:
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


def _eating_disorders(case: _Case, population: str) -> str | None:
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


def _access(case: _Case, population: str) -> str | None:
    if population == "looked_after":
        return "the child had no episode of care in the 12 months"
    return f"no counted contact or indirect activity for the child in {_span(case.window(12))}"


def _attendance(case: _Case, population: str) -> str | None:
    return f"no attended or missed direct contact in {_span(case.window(1))}"


def _school_links(case: _Case, population: str) -> str | None:
    source = case.referral.source
    if source not in case.ctx.options.school_sources:
        shown = source or "not recorded"
        return f"source of referral {shown}, not one of the options' school sources"
    return _received_in(case, 12)


def _sdq(case: _Case, population: str) -> str | None:
    year_end = last_31_march(case.end)
    if case.child_in("sdq", "eligible") is None:
        return f"the child was not looked after continuously for the year to {year_end.isoformat()}"
    scored = case.ctx.area.sdq_of(case.child.person_id)
    if scored is None or scored.score is None:
        return "no SDQ score returned for the child"
    return "the child's SDQ score is in another band"


def _looked_after(case: _Case, population: str) -> str | None:
    due = case.child_in("looked_after", "due")
    if due is None:
        return (
            "the child has no period of care whose assessment window closes in "
            f"{_span(case.window(12))} and that was open when the window opened"
        )
    return (
        f"the child's assessment status is {due.levels.get('status', 'another')}, not {population}"
    )


def _thrive(case: _Case, population: str) -> str | None:
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


def _records_of(case: _Case, kind: str) -> set[str]:
    """The records standing for the referral in a population of ``kind``."""
    referral = case.referral
    if kind == "referral":
        return {referral.referral_id}
    if kind == "contact":
        return {c.contact_id for c in case.ctx.area.contacts_of(referral.referral_id)}
    if kind == "spell":
        built = four_week_spells(case.ctx.area, case.end, cohort=case.ctx.options.cohort)
        return {
            f"{s.provider_code}/{s.start.isoformat()}"
            for s in built.spells
            if referral.referral_id in s.referral_ids
        }
    return set()


def _counted(obs: Observation) -> str:
    parts = []
    if obs.value is not None:
        parts.append(f"value {obs.value:g}")
    parts.append(f"numerator: {'yes' if obs.numerator else 'no'}")
    return ", ".join(parts)


def why(
    area: Area,
    referral_id: str,
    period: Period,
    *,
    options: MetricOptions | None = None,
    groupings: Iterable[GroupingRecord] = (),
) -> list[Finding]:
    """Whether referral ``referral_id`` counts in each population of the catalogue, and why not.

    One :class:`Finding` per family and population that a metric reads, in
    catalogue order. Populations of the child (THRIVE, SDQ, looked-after
    children) say whether the referral's child counts; school-level ones
    are left out. A referral received after the period end is reported as
    such, once. An unknown referral id is an :class:`~cypmh.errors.InvalidValueError`.
    """
    options = options or MetricOptions()
    month = reporting_month(period)
    try:
        whole = area.referral(referral_id)
    except NotInAreaError:
        raise InvalidValueError("why", "referral", referral_id, "is not in the extract") from None
    if whole.received_date > month.last_day:
        return [
            Finding(
                family="all",
                population="all",
                metric_ids=("every metric",),
                counts=False,
                reason=f"received {whole.received_date.isoformat()}, after the period end "
                f"{month.last_day.isoformat()} (as at the period end it does not exist yet)",
            )
        ]
    ctx = Context(
        area=as_at(area, month.last_day), month=month, options=options, groupings=tuple(groupings)
    )
    referral = ctx.area.referral(referral_id)
    case = _Case(ctx=ctx, referral=referral, child=ctx.area.child(referral.person_id))
    metrics_of: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for definition in CATALOGUE.values():
        if definition.family in FAMILIES:
            metrics_of[(definition.family, definition.population)].append(definition.id)
    findings = []
    for (family, population), ids in metrics_of.items():
        kind = record_kind(family, population)
        if kind == "school":
            continue
        members = case.of(family).get(population, [])
        if kind in ("person", "period of care") or family == "access":
            mine = [o for o in members if o.person_id == referral.person_id]
            who = "the child counts"
        else:
            records = _records_of(case, kind)
            mine = [o for o in members if o.record in records]
            who = ""
        if mine:
            detail = _counted(mine[0])
            if family == "access" and population == "access" and mine[0].record != referral_id:
                detail = f"the child counts, under referral {mine[0].record}"
            elif who:
                detail = f"{who}; {detail}"
            findings.append(
                Finding(
                    family=family,
                    population=population,
                    metric_ids=tuple(ids),
                    counts=True,
                    detail=detail,
                )
            )
            continue
        explain, cohort_first = EXPLAIN.get(family, (None, False))
        reason = _cohort(case) if cohort_first else None
        if reason is None and family == "eating_disorders":
            reason = _cohort(case, english=False)
        if reason is None and explain is not None:
            reason = explain(case, population)
        if reason is None:
            doc = (MODULES[family].reference.__doc__ or "").strip().splitlines()[0]
            reason = f"not among the members; the definition: {doc}"
        findings.append(
            Finding(
                family=family,
                population=population,
                metric_ids=tuple(ids),
                counts=False,
                reason=reason,
            )
        )
    return findings


def why_text(findings: Iterable[Finding], referral_id: str, period: str) -> str:
    """The findings as the text ``cypmh why`` prints: a line each, grouped by family."""
    lines = [f"Referral {referral_id}, as recorded at the end of {period}:"]
    by_family: dict[str, list[Finding]] = {}
    for finding in findings:
        by_family.setdefault(finding.family, []).append(finding)
    for family, found in by_family.items():
        lines += ["", f"{family}:"]
        # Populations left out for the same reason share a line.
        same: dict[str, list[str]] = {}
        for finding in found:
            if finding.counts:
                lines.append(f"  {finding.line()}")
            else:
                same.setdefault(finding.reason, []).extend(finding.metric_ids)
        for reason, ids in same.items():
            lines.append(f"  {', '.join(ids)}: not counted: {reason}")
    return "\n".join(lines)
