"""A KPI file's bases as rows over an area's records, and a declared KPI's value (the reference).

Each row maps the base's column names (:data:`~cypmh.metrics.kpis.bases.BASES`) to values:
the extract's fields under the contract's names, and the derived columns worked out
here. The area is read as at the period end, as the catalogue reads it: a base holds
every record of its kind then, with no other filter.

This is the reference reading of declared KPIs, over objects. Reports, trends and the
dataframe engine do not read declared KPIs yet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

import attrs

from cypmh import clauses as cl
from cypmh.io.rules.activity import CONTACT_COLUMNS
from cypmh.io.rules.people import CHILD_COLUMNS
from cypmh.io.rules.referrals import REFERRAL_COLUMNS
from cypmh.metrics.families.first_contact_waits import counted_direct
from cypmh.metrics.families.members import Context
from cypmh.metrics.kpis.bases import BASES, KpiBase
from cypmh.metrics.kpis.file import DeclaredKpi
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.request import Period, reporting_month
from cypmh.metrics.results import NO_WORKING_LINK, WORKING_LINK
from cypmh.metrics.stats import median, percentile
from cypmh.model import Area, Child, Referral
from cypmh.model.asat import as_at
from cypmh.pathways import periods_of_care, school_route
from cypmh.periods import Month

__all__ = ["KpiValue", "base_rows", "kpi_value"]

Row = dict[str, object]


def _fields(record: object, names: Mapping[str, str], base: KpiBase) -> Row:
    """``record``'s fields under the contract's names, those the base has."""
    return {
        contract: getattr(record, field)
        for field, contract in names.items()
        if base.column(contract) is not None
    }


def _status(area: Area, person_id: str, on: date) -> str:
    return area.social_care_status(person_id, on).value


def _grouping(area: Area, person_id: str, on: date) -> str | None:
    found = area.grouping_in_force(person_id, on)
    return None if found is None else found.grouping.value


def _referral_row(ctx: Context, referral: Referral, child: Child) -> Row:
    area, end = ctx.area, ctx.period_end
    direct = counted_direct(ctx, referral, child)
    working = school_route(area, referral.referral_id).working_link
    return {
        **_fields(referral, REFERRAL_COLUMNS, BASES["referrals"]),
        "PersonBirthDate": child.birth_date,
        "age_at_referral": child.age_on(referral.received_date),
        "first_contact_date": direct[0].date if direct else None,
        "social_care_status": _status(area, child.person_id, referral.received_date),
        "thrive_grouping": _grouping(area, child.person_id, end),
        "school_link": WORKING_LINK if working else NO_WORKING_LINK,
    }


def _child_row(area: Area, child: Child, end: date) -> Row:
    base = BASES["children"]
    begun = [p for p in periods_of_care(area.care_episodes_of(child.person_id)) if p.start <= end]
    care_start = max((p.start for p in begun), default=None)
    assessed = sorted(
        a.date
        for a in area.wellbeing_assessments_of(child.person_id)
        if care_start is not None and care_start <= a.date <= end
    )
    return {
        **_fields(child, CHILD_COLUMNS, base),
        "social_care_status": _status(area, child.person_id, end),
        "thrive_grouping": _grouping(area, child.person_id, end),
        "care_start": care_start,
        "assessment_date": assessed[0] if assessed else None,
    }


def base_rows(
    area: Area, base: str, period: Period, options: MetricOptions | None = None
) -> Iterator[Row]:
    """Every row of ``base`` in ``area`` as at the end of ``period``'s month."""
    options = options or MetricOptions()
    month = reporting_month(period)
    end = month.last_day
    seen = as_at(area, end)
    if base == "referrals":
        ctx = Context(area=seen, month=month, options=options)
        for referral in seen.referrals:
            yield _referral_row(ctx, referral, seen.child(referral.person_id))
    elif base == "contacts":
        columns = {k: v for k, v in CONTACT_COLUMNS.items() if k != "procedures"}
        for referral in seen.referrals:
            child = seen.child(referral.person_id)
            for contact in seen.contacts_of(referral.referral_id):
                yield {
                    **_fields(contact, columns, BASES["contacts"]),
                    "PersonBirthDate": child.birth_date,
                    "counted": options.contact_rule.counts(contact, referral.provider_code),
                    "social_care_status": _status(seen, child.person_id, contact.date),
                }
    elif base == "children":
        for child in seen.children:
            yield _child_row(seen, child, end)
    else:
        raise ValueError(f"no base {base!r} (the bases are {', '.join(BASES)})")


@attrs.frozen
class KpiValue:
    """A declared KPI's value for the whole area, with its numerator and denominator."""

    value: float | None
    numerator: int | None
    denominator: int


def kpi_value(
    area: Area, kpi: DeclaredKpi, period: Period, options: MetricOptions | None = None
) -> KpiValue:
    """``kpi``'s value over ``area`` for ``period``: its rows' count, percentage or quantile."""
    month: Month = reporting_month(period)
    rows = [r for r in base_rows(area, kpi.base, period, options) if cl.holds(kpi.member, r, month)]
    if kpi.value == "count":
        return KpiValue(value=len(rows), numerator=None, denominator=len(rows))
    if kpi.value == "percentage":
        assert kpi.numerator is not None  # read_kpis requires it
        hits = sum(cl.holds(kpi.numerator, r, month) for r in rows)
        share = 100 * hits / len(rows) if rows else None
        return KpiValue(value=share, numerator=hits, denominator=len(rows))
    assert kpi.of is not None  # read_kpis requires it
    found = [cl.value(kpi.of, r, month) for r in rows]
    values = [float(v) for v in found if isinstance(v, int | float)]
    quantile = median(values) if kpi.value == "median" else percentile(values, 0.9)
    return KpiValue(value=quantile, numerator=None, denominator=len(values))
