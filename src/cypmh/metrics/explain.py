"""Why a referral counts, or does not, in each metric of a period.

:func:`why` takes one referral and a reporting month and goes through the
catalogue family by family. Whether the referral counts is read from the
family's own members (:mod:`cypmh.metrics.drilldown`), never worked out
again here; the *reason* it does not is then found from its records: the
first cohort filter it fails, the as-at rule (a date recorded after the
period end has not happened yet) or the event that is missing. Like
:func:`~cypmh.metrics.drilldown.members` this is record-level output for
those who hold the records, never part of a report.

>>> import textwrap
>>> from cypmh.synth.examples import example_area
>>> found = why(example_area(), "R005", "2025-03")
>>> for finding in found:
...     if finding.family == "rejections":
...         print(textwrap.fill(finding.line(), 88, subsequent_indent="    "))
REJ01 (rejections, rejected_month): not counted: requires that rejection date is
    present; here no rejection date is recorded by 2025-03-31
REJ01a, REJ01b (rejections, received_month): counts (numerator: no)
REJ02, REJ03, REJ02r (rejections, received_year): counts (numerator: no)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import attrs

from cypmh.errors import InvalidValueError, NotInAreaError
from cypmh.metrics.catalogue import definitions, with_declared
from cypmh.metrics.families import Context, MetricOptions, Observation
from cypmh.metrics.families.case import Case
from cypmh.metrics.kpis.family import ALL_FAMILIES, ALL_MODULES
from cypmh.metrics.request import Period, in_run, reporting_month
from cypmh.model import Area
from cypmh.model.asat import as_at

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
        return f"{head}: {_not_counted(self.reason)}"


def _records_of(case: Case, kind: str) -> set[str]:
    """The records standing for the referral in a population of ``kind``."""
    referral = case.referral
    if kind == "referral":
        return {referral.referral_id}
    if kind == "contact":
        return {c.contact_id for c in case.ctx.area.contacts_of(referral.referral_id)}
    if kind == "spell":
        return {s.record for s in case.spells.spells if referral.referral_id in s.referral_ids}
    return set()


def _counted(obs: Observation) -> str:
    parts = []
    if obs.value is not None:
        parts.append(f"value {obs.value:g}")
    parts.append(f"numerator: {'yes' if obs.numerator else 'no'}")
    return ", ".join(parts)


@with_declared
def why(
    area: Area,
    referral_id: str,
    period: Period,
    *,
    options: MetricOptions | None = None,
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
    ctx = Context(area=as_at(area, month.last_day), month=month, options=options)
    referral = ctx.area.referral(referral_id)
    case = Case(
        ctx=ctx, referral=referral, child=ctx.area.child(referral.person_id), families=ALL_FAMILIES
    )
    metrics_of: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for definition in definitions().values():
        if definition.family in ALL_FAMILIES and in_run(definition, options.direct_contacts_only):
            metrics_of[(definition.family, definition.population)].append(definition.id)
    findings = []
    for (family, population), ids in metrics_of.items():
        module = ALL_MODULES[family]
        kind = module.FAMILY.record_kind(population)
        if kind == "school":
            continue
        members = case.of(family).get(population, [])
        per_child = population in module.FAMILY.per_child
        if kind in ("person", "period of care") or per_child:
            mine = [o for o in members if o.person_id == referral.person_id]
            who = "the child counts"
        else:
            records = _records_of(case, kind)
            mine = [o for o in members if o.record in records]
            who = ""
        if mine:
            detail = _counted(mine[0])
            if per_child and mine[0].record != referral_id:
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
        reason = module.explain(case, population)
        if reason is None:
            doc = (module.reference.__doc__ or "").strip().splitlines()[0]
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
            lines.append(f"  {', '.join(ids)}: {_not_counted(reason)}")
    return "\n".join(lines)


def _not_counted(reason: str) -> str:
    """``not counted: <reason>``, or the reason alone where it says *not available*."""
    return reason if reason.startswith("not available") else f"not counted: {reason}"
