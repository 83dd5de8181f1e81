"""What the reference engine's families yield: observations, and the cohort helpers they share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from cypmh.metrics.options import MetricOptions
from cypmh.model import Area, Child, Referral
from cypmh.periods import Month, RollingMonths

__all__ = [
    "Context",
    "Observation",
    "Populations",
    "cyp_at",
    "cyp_referrals",
    "english_or_unknown",
    "observe",
]


@attrs.frozen(kw_only=True)
class Observation:
    """One member of a population.

    ``person_id`` and ``provider_code`` feed the breakdowns (``None`` for
    school-level populations); ``age_date`` is the day a person's age band is
    taken on and ``status_date`` the day of their social-care status;
    ``value`` is what a median or mean is taken over; ``numerator`` says
    whether a percentage counts it; ``levels`` fixes a breakdown's level for
    this member (for example the school link on the day of a referral);
    ``record`` identifies the member's record (a referral id, a spell's
    ``provider/start``, a contact id, a school's URN, a person id), for
    drill-down (:mod:`cypmh.metrics.drilldown`) only.
    """

    person_id: str | None
    provider_code: str | None
    age_date: date | None
    status_date: date | None
    value: float | None = None
    numerator: bool = False
    levels: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False)
    record: str | None = attrs.field(default=None, eq=False, hash=False)


Populations = dict[str, list[Observation]]


@attrs.frozen(kw_only=True)
class Context:
    """What every family needs: the area, the reporting month and the options."""

    area: Area
    month: Month
    options: MetricOptions

    @property
    def period_end(self) -> date:
        """The last day of the reporting month."""
        return self.month.last_day

    def window(self, months: int) -> RollingMonths:
        """The ``months`` months ending with the reporting month."""
        return RollingMonths(last=self.month, months=months)


def english_or_unknown(child: Child) -> bool:
    """The child lives in England (an ``E`` district), or where is not recorded."""
    return not child.la_district or child.la_district.startswith("E")


def cyp_at(child: Child, day: date) -> bool:
    """The child is born by ``day`` and aged 0-17 on it."""
    return day >= child.birth_date and child.age_on(day) <= 17


def cyp_referrals(ctx: Context, *, english: bool = True) -> Iterable[tuple[Referral, Child]]:
    """Referrals (received by the period end, as the view has it) of children 0-17 when received.

    Unless ``english`` is False, also resident in England or of unknown residence.
    """
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        if not cyp_at(child, referral.received_date):
            continue
        if english and not english_or_unknown(child):
            continue
        yield referral, child


def observe(referral: Referral, **fields: object) -> Observation:
    """A referral as a member: age and social-care status on the day it was received."""
    return Observation(
        record=referral.referral_id,
        person_id=referral.person_id,
        provider_code=referral.provider_code,
        age_date=referral.received_date,
        status_date=referral.received_date,
        **fields,  # type: ignore[arg-type]
    )
