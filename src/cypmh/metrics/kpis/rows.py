"""A KPI file's bases as rows over an area's records, and a declared KPI's value (the reference).

Each row maps the base's column names (:data:`~cypmh.metrics.kpis.bases.BASES`) to values:
the extract's fields under the contract's names, and the derived columns worked out
here. The area is read as at the period end, as the catalogue reads it: a base holds
every record of its kind then, with no other filter.

This is the reference reading of declared KPIs, over objects: the reference engine's
family of declared KPIs (:mod:`cypmh.metrics.kpis.family`) reads :func:`rows_of`, and
the dataframe engine's bases (:mod:`cypmh.metrics.kpis.frames`) must agree with it.
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
from cypmh.metrics.families.members import Context, Observation, observe
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

__all__ = ["KpiValue", "base_rows", "child_row", "kpi_value", "referral_row", "rows_of"]

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
    received = referral.received_date
    return {
        **_fields(referral, REFERRAL_COLUMNS, BASES["referrals"]),
        "PersonBirthDate": child.birth_date,
        # No age before birth (a referral for an unborn child): missing, not negative.
        "age_at_referral": child.age_on(received) if received >= child.birth_date else None,
        "first_contact_date": direct[0].date if direct else None,
        "social_care_status": _status(area, child.person_id, received),
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


def referral_row(ctx: Context, referral: Referral) -> Row:
    """``referral``'s row of the referrals base, in ``ctx`` (its area as at the period end)."""
    return _referral_row(ctx, referral, ctx.area.child(referral.person_id))


def child_row(ctx: Context, person_id: str) -> Row:
    """The child's row of the children base, in ``ctx`` (its area as at the period end)."""
    return _child_row(ctx.area, ctx.area.child(person_id), ctx.period_end)


def rows_of(ctx: Context, base: str) -> Iterator[tuple[Row, Observation]]:
    """Every row of ``base`` in ``ctx``'s area (as at the period end), each as a member.

    A referral is a member as the catalogue's referral families have it (age and
    social-care status on the day received); a contact, on its own day; a child, at
    the period end, with no provider.
    """
    area, end = ctx.area, ctx.period_end
    if base == "referrals":
        for referral in area.referrals:
            yield referral_row(ctx, referral), observe(referral)
    elif base == "contacts":
        columns = {k: v for k, v in CONTACT_COLUMNS.items() if k != "procedures"}
        rule = ctx.options.contact_rule
        for referral in area.referrals:
            child = area.child(referral.person_id)
            for contact in area.contacts_of(referral.referral_id):
                row = {
                    **_fields(contact, columns, BASES["contacts"]),
                    "PersonBirthDate": child.birth_date,
                    "counted": rule.counts(contact, referral.provider_code),
                    "social_care_status": _status(area, child.person_id, contact.date),
                }
                yield (
                    row,
                    Observation(
                        person_id=child.person_id,
                        provider_code=referral.provider_code,
                        age_date=contact.date,
                        status_date=contact.date,
                        record=contact.contact_id,
                    ),
                )
    elif base == "children":
        for child in area.children:
            observed = Observation(
                person_id=child.person_id,
                provider_code=None,
                age_date=None,
                status_date=None,
                record=child.person_id,
            )
            yield _child_row(area, child, end), observed
    else:
        raise ValueError(f"no base {base!r} (the bases are {', '.join(BASES)})")


def base_rows(
    area: Area, base: str, period: Period, options: MetricOptions | None = None
) -> Iterator[Row]:
    """Every row of ``base`` in ``area`` as at the end of ``period``'s month."""
    month = reporting_month(period)
    ctx = Context(area=as_at(area, month.last_day), month=month, options=options or MetricOptions())
    for row, _ in rows_of(ctx, base):
        yield row


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
