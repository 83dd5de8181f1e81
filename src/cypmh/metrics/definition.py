"""What a metric declaration holds: :class:`MetricDefinition`, the breakdowns and the windows.

The catalogue (:mod:`cypmh.metrics.catalogue`, and :mod:`cypmh.metrics.need_catalogue`
for the metrics that read a population) declares every metric with :func:`declare`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from cypmh.metrics.results import Aggregate, Unit

__all__ = [
    "BREAKDOWNS",
    "NHSD",
    "NO_TARGET",
    "PERSON_BREAKDOWNS",
    "REFERRAL_BREAKDOWNS",
    "MetricDefinition",
    "declare",
    "record_kind",
]

BREAKDOWNS: Mapping[str, str] = {
    "age_band": "Age band (MHSDS CYP scheme: 0 to 5, 6 to 10, 11 to 14, 15, 16, 17)",
    "sex": "Gender code (MHSDS Gender)",
    "ethnicity": "Upper ethnicity (the publication's group of the MHSDS ethnic category)",
    "social_care": "Social-care status (looked after, child protection plan, child in need, none)",
    "provider": "Provider (ODS code)",
    "school_link": "Whether the child's school has a working link with CAMHS",
    "thrive": "THRIVE grouping",
    "referral_source": "Source of referral of the member's referral (MHSDS SourceOfReferralMH)",
    "team_type": "Service or team type the member's referral is to (MHSDS ServTeamType)",
}
"""Every breakdown, with its description."""

PERSON_BREAKDOWNS = (
    "age_band",
    "sex",
    "ethnicity",
    "social_care",
    "provider",
    "school_link",
    "thrive",
)
"""The breakdowns every metric about people can be split by (the member's child, provider and school)."""

REFERRAL_BREAKDOWNS = (*PERSON_BREAKDOWNS, "referral_source", "team_type")
"""The breakdowns of a metric whose members are referrals: the person's, and the referral's own codes."""

RECORD_KINDS: Mapping[str, str] = {
    "access": "referral",
    "attendance": "contact",
    "four_week_waits": "spell",
    "looked_after": "period of care",
    "sdq": "person",
    "thrive": "person",
}
"""What a family's members are records of, where they are not referrals."""

POPULATION_KINDS: Mapping[tuple[str, str], str] = {
    ("access", "looked_after"): "person",
    ("school_links", "schools"): "school",
}
"""The populations whose records differ from the rest of their family's."""


def record_kind(family: str, population: str) -> str:
    """What the members of ``family``'s ``population`` are records of.

    ``referral`` (its id), ``spell`` (``person/provider/start``, unique
    where ``provider/start`` alone is not), ``contact``, ``period of care``
    (``person/start``), ``school`` (URN) or ``person``. MHS95's members are
    children, each listed under the referral of their first counted contact.

    >>> record_kind("rejections", "received_month"), record_kind("four_week_waits", "closed")
    ('referral', 'spell')
    """
    return POPULATION_KINDS.get((family, population), RECORD_KINDS.get(family, "referral"))


NO_TARGET = "No national target."
"""What a metric's ``target_source`` says when no national target exists."""

NHSD = "NHSDigital/mental-health-monthly-statistics, Mental_Health_Monthly_Statistics/"


@attrs.frozen(kw_only=True)
class MetricDefinition:
    """One metric of the catalogue."""

    id: str
    name: str
    family: str
    population: str
    aggregate: Aggregate
    unit: Unit
    window: str
    numerator: str
    denominator: str | None
    definition: str
    source: str
    deviation: str | None = None
    mhsds: bool = False
    decimals: int | None = None
    breakdowns: tuple[str, ...] = PERSON_BREAKDOWNS
    """The breakdowns it can be split by; :func:`declare` makes the default
    :data:`REFERRAL_BREAKDOWNS` where the members are referrals."""
    example: str = ""
    published_months: int | None = None
    improvement: str = "neutral"
    """Which way is better on a trend: ``increase``, ``decrease`` or ``neutral``."""
    target: float | None = None
    """The national target, where one exists (``target_source`` says whose, or that none does)."""
    target_source: str = NO_TARGET
    also_reads: tuple[str, ...] = ()
    """Other populations of the family the value is worked out from (REF02's base year)."""

    @property
    def as_at(self) -> str:
        """What reading the area as at the period end means for this metric.

        Every metric reads the area as it stood at the end of the period end
        (:mod:`cypmh.model.asat`); some families' definitions depend on it in
        ways worth saying.
        """
        return AS_AT_GENERAL + (
            " " + _AS_AT_FAMILY[self.family] if self.family in _AS_AT_FAMILY else ""
        )

    @property
    def record_kind(self) -> str:
        """What its members are records of (:func:`record_kind`)."""
        return record_kind(self.family, self.population)

    @property
    def months(self) -> int:
        """How many months the window spans, ending with the reporting month (1 for a point in time)."""
        return _WINDOW_MONTHS[self.window]

    @property
    def reporting_months(self) -> int:
        """The months ``REPORTING_PERIOD_START`` spans: the publication's ``freq`` where it differs.

        NHS England labels MHS133-MHS135, counted at the period end, with the
        quarter of MHS130-MHS132 (``freq`` ``Q`` in ``menh_bbrb/notebooks/measure_metadata.py``);
        every other measure is labelled with its own window.
        """
        return self.published_months or self.months


AS_AT_GENERAL = (
    "Read as at the period end: nothing dated after it has happened yet (events after it do "
    "not exist; discharges, rejections, closures, last updates and agreements after it are "
    "unknown)."
)
"""The rule every metric follows (:mod:`cypmh.model.asat`)."""

_AS_AT_FAMILY = {
    "access": "An indirect activity's age is taken on the last day of the activity's own month "
    "(NHS England joins it to the referral record of its own monthly submission on RecordNumber), "
    "not at the period end; a contact's age is taken on its date.",
    "four_week_waits": "A referral's end is COALESCE(discharge, rejection, closure) over the values "
    "as at the period end, so a referral closed by then and discharged later ends on its closure. "
    "A care plan counts only with an agreement dated by the period end (or undated), and its last "
    "update only when dated by then.",
}

_WINDOW_MONTHS = {
    "the 12 months ending at the period end": 12,
    "the 3 months ending at the period end": 3,
    "at the period end": 1,
    "the reporting month": 1,
    "the reporting month (rejections recorded by its end)": 1,
    "the year ending on the last 31 March on or before the period end": 12,
    "windows closing in the 12 months ending at the period end": 12,
}


def declare(**fields: object) -> MetricDefinition:
    """A declaration, its window checked.

    Without ``breakdowns``, a metric whose members are referrals can be split
    by :data:`REFERRAL_BREAKDOWNS`, any other by :data:`PERSON_BREAKDOWNS`.
    """
    if "breakdowns" not in fields:
        kind = record_kind(str(fields["family"]), str(fields["population"]))
        fields["breakdowns"] = REFERRAL_BREAKDOWNS if kind == "referral" else PERSON_BREAKDOWNS
    definition = MetricDefinition(**fields)  # type: ignore[arg-type]
    if definition.window not in _WINDOW_MONTHS:  # pragma: no cover - guards the declarations
        raise RuntimeError(f"{definition.id}: unknown window {definition.window!r}")
    return definition
