"""What the families yield (observations), and the cohort helpers they share, on both engines.

The CYP cohort is written once, as clauses (:data:`CYP_COHORT`), which both engines
read: over the area's records (:func:`cyp_referrals`) and over the dataframe engine's
tables (:func:`cyp_referrals_frame`), and ``cypmh why`` (:func:`~cypmh.metrics.families.case.cohort_reason`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from cypmh import clauses as cl
from cypmh.metrics.families.lazy import fc, nw
from cypmh.metrics.options import MetricOptions
from cypmh.model import Area, Child, Referral
from cypmh.periods import Month, RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext

    Frame = nw.LazyFrame[Any]

__all__ = [
    "COHORT_DERIVED",
    "CYP_COHORT",
    "CYP_WHEN_RECEIVED",
    "ENGLISH_OR_UNKNOWN",
    "Context",
    "Observation",
    "Populations",
    "cohort_clause",
    "cohort_record",
    "cyp_at",
    "cyp_referrals",
    "cyp_referrals_frame",
    "observe",
    "with_child",
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


def cyp_at(child: Child, day: date) -> bool:
    """The child is born by ``day`` and aged 0-17 on it (frames: ``cypmh.tables.exprs.cyp_at``)."""
    return day >= child.birth_date and child.age_on(day) <= 17


# The CYP cohort of the referral measures, declared as clauses over a referral with its
# child's birth date and the country of the child's LA district (``district_country``, derived:
# the district's first letter, E for England; missing where no district is recorded).
# Both engines and `cypmh why` read them.

CYP_WHEN_RECEIVED = cl.AgeBetween(cl.Column("birth_date"), cl.Column("received_date"), 0, 17)
"""The child was born by the day the referral was received and aged 0-17 on it."""
_country = cl.Column("district_country")
ENGLISH_OR_UNKNOWN = cl.Any(
    (cl.IsNull(_country), cl.In(_country, ("E",), name="England (an E district)"))
)
"""The child lives in England (an ``E`` district), or where is not recorded."""
CYP_COHORT = cl.All((CYP_WHEN_RECEIVED, ENGLISH_OR_UNKNOWN))
"""The referral measures' cohort: 0-17 when referred, resident in England or unknown."""
COHORT_DERIVED = {
    "district_country": "the country of the child's local authority district: the "
    "district code's first letter (E for England), missing where no district is recorded",
}
"""The derived column :data:`CYP_COHORT` reads, with its prose: every family whose cohort it
is marks it (:attr:`~cypmh.metrics.definition.Family.derived`)."""


def cohort_clause(*, english: bool = True) -> cl.Clause:
    """:data:`CYP_COHORT`, or without ``english`` the age alone (:data:`CYP_WHEN_RECEIVED`)."""
    return CYP_COHORT if english else CYP_WHEN_RECEIVED


def cohort_record(referral: Referral, child: Child) -> dict[str, object]:
    """What the cohort's clauses read of a referral and its child."""
    district = child.la_district
    return {
        "received_date": referral.received_date,
        "birth_date": child.birth_date,
        "district_country": district[0] if district else None,
    }


def cyp_referrals(ctx: Context, *, english: bool = True) -> Iterable[tuple[Referral, Child]]:
    """Referrals (received by the period end, as the view has it) of children 0-17 when received.

    Unless ``english`` is False, also resident in England or of unknown residence
    (:func:`cohort_clause`).
    """
    cohort = cohort_clause(english=english)
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        if cl.holds(cohort, cohort_record(referral, child), ctx.month):
            yield referral, child


def with_child(ctx: FrameContext) -> Frame:
    """The referrals (as at the period end) with their child's birth date, district and country.

    ``district_country`` is the district's first letter, missing where no district is
    recorded (:func:`cohort_record`).
    """
    district = nw.col("la_district")
    blank = district.is_null() | (district == "").fill_null(True)
    children = ctx["children"].select(
        "person_id",
        "birth_date_ymd",
        "la_district",
        nw.when(~blank).then(district.str.slice(0, 1)).alias("district_country"),
    )
    return ctx["referrals"].join(children, on="person_id", how="inner")


def cyp_referrals_frame(ctx: FrameContext, *, english: bool = True) -> Frame:
    """:func:`cyp_referrals` on the dataframe engine: the same referrals, as a frame.

    Received by the period end (the tables are as at it), of children 0-17 when
    received; unless ``english`` is False, resident in England or unknown.
    """
    cohort = cohort_clause(english=english)
    return with_child(ctx).filter(fc.condition(cohort, ctx.month, anchor="referral_id"))


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
