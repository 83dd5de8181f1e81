"""What a metric declaration holds: :class:`MetricDefinition`, :class:`Family`, the breakdowns and the windows.

Each family module (:mod:`cypmh.metrics.families`) says what it is in a
:class:`Family` and declares its metrics with :meth:`Family.declare`;
:mod:`cypmh.metrics.need_catalogue` declares the metrics that read a
population the same way. :mod:`cypmh.metrics.catalogue` gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import attrs

from cypmh import clauses as cl
from cypmh.metrics.results import Aggregate, Unit

__all__ = [
    "BREAKDOWNS",
    "DECLARED",
    "NHSD",
    "NO_TARGET",
    "PERSON_BREAKDOWNS",
    "REFERRAL_BREAKDOWNS",
    "Declared",
    "DeclaredKpi",
    "Family",
    "MetricDefinition",
    "declare",
]

BREAKDOWNS: Mapping[str, str] = {
    "age_band": "Age band (MHSDS CYP scheme: 0 to 5, 6 to 10, 11 to 14, 15, 16, 17)",
    "sex": "Gender code (MHSDS Gender)",
    "ethnicity": "Upper ethnicity (the publication's group of the MHSDS ethnic category)",
    "wnw_ethnicity": "White British against non-White British (the publication's WNW ethnicity)",
    "imd_decile": "IMD decile of the person's neighbourhood (LSOA), 01 the most deprived",
    "imd_quintile": "IMD quintile of the person's neighbourhood (LSOA), 01 the most deprived",
    "imd_core20": "Whether the person lives in the most deprived fifth of neighbourhoods (Core20)",
    "social_care": "Social-care status (looked after, child protection plan, child in need, none)",
    "social_care_imd": "Social-care status crossed with the IMD quintile of the person's "
    "neighbourhood (child_in_need / 01 Most deprived)",
    "provider": "Provider (ODS code)",
    "school_link": "Whether the child's school has a working link with CAMHS",
    "thrive": "THRIVE grouping",
    "referral_source": "Source of referral of the member's referral (MHSDS SourceOfReferralMH)",
    "team_type": "Service or team type the member's referral is to (MHSDS ServTeamType)",
    "referral_reason": "Primary reason for referral of the member's referral "
    "(MHSDS PrimReasonReferralMH)",
    "by": "The column a KPI declared in an area's KPI file is counted by (its ``by``)",
}
"""Every breakdown, with its description."""

PERSON_BREAKDOWNS = (
    "age_band",
    "sex",
    "ethnicity",
    "wnw_ethnicity",
    "imd_decile",
    "imd_quintile",
    "imd_core20",
    "social_care",
    "provider",
    "school_link",
    "thrive",
)
"""The breakdowns every metric about people can be split by (the member's child, provider and school)."""

REFERRAL_BREAKDOWNS = (*PERSON_BREAKDOWNS, "referral_source", "team_type", "referral_reason")
"""The breakdowns of a metric whose members are referrals: the person's, and the referral's own codes."""

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
    records: str = "referral"
    """What its members are records of: ``referral`` (its id), ``spell``, ``contact``,
    ``period of care``, ``school`` or ``person`` (:meth:`Family.record_kind`)."""
    inputs: tuple[str, ...] = ()
    """The files and columns its value rests on (:mod:`cypmh.metrics.files`)."""
    resident: bool = False
    """Whether its cohort is children resident in England or of unknown residence."""
    reads_interventions: bool = False
    """Whether it reads the intervention codes (a clock stop on a coded intervention)."""
    counts_contacts: bool = False
    """Whether it counts a referral's contacts, indirect activity one per day and
    ``IndirectActTime`` (:func:`cypmh.pathways.distinct_indirect`)."""
    as_at_family: str = ""
    """What reading as at the period end means for its family, beyond the general rule."""
    derived: tuple[tuple[str, str], ...] = ()
    """Its family's derived columns and tables, each with the prose that explains it
    (:attr:`Family.derived`)."""
    breakdown_populations: tuple[tuple[str, str], ...] = ()
    """Breakdowns whose levels count another population of the family: MHS95 by provider
    counts each child under every provider that reached them, as NHS England does
    (:meth:`population_for`). Such levels need not add up to the whole area."""

    def population_for(self, breakdown: str | None) -> str:
        """The population whose members the rows of ``breakdown`` count.

        >>> from cypmh.metrics.catalogue import CATALOGUE
        >>> CATALOGUE["MHS95"].population_for("provider"), CATALOGUE["MHS95"].population_for("sex")
        ('access_by_provider', 'access')
        """
        if breakdown is None:
            return self.population
        return dict(self.breakdown_populations).get(breakdown, self.population)

    @property
    def as_at(self) -> str:
        """What reading the area as at the period end means for this metric.

        Every metric reads the area as it stood at the end of the period end
        (:mod:`cypmh.model.asat`); some families' definitions depend on it in
        ways worth saying.
        """
        return AS_AT_GENERAL + (" " + self.as_at_family if self.as_at_family else "")

    @property
    def record_kind(self) -> str:
        """What its members are records of (:meth:`Family.record_kind`)."""
        return self.records

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

_WINDOW_MONTHS = {
    "the 12 months ending at the period end": 12,
    "the 3 months ending at the period end": 3,
    "at the period end": 1,
    "the reporting month": 1,
    "the reporting month (rejections recorded by its end)": 1,
    "the year ending on the last 31 March on or before the period end": 12,
    "windows closing in the 12 months ending at the period end": 12,
    # The cohort's 12 months and the 12 months each member is followed for.
    "assessments in the 12 months ending 12 months before the period end": 24,
}


def declare(**fields: object) -> MetricDefinition:
    """A declaration, its window checked (a family's declarations use :meth:`Family.declare`).

    Without ``breakdowns``, a metric whose members are referrals can be split
    by :data:`REFERRAL_BREAKDOWNS`, any other by :data:`PERSON_BREAKDOWNS`.
    """
    if "breakdowns" not in fields:
        kind = fields.get("records", "referral")
        fields["breakdowns"] = REFERRAL_BREAKDOWNS if kind == "referral" else PERSON_BREAKDOWNS
    definition = MetricDefinition(**fields)  # type: ignore[arg-type]
    if definition.window not in _WINDOW_MONTHS:  # pragma: no cover - guards the declarations
        raise RuntimeError(f"{definition.id}: unknown window {definition.window!r}")
    return definition


@attrs.frozen
class Declared:
    """A population as clauses over a record: ``member``, and ``numerator`` (``None``: a count).

    Both engines and ``cypmh why`` read it (:mod:`cypmh.metrics.families.declared`), and
    :meth:`Family.declare` writes a definition's words from it.
    """

    member: cl.Clause
    numerator: cl.Clause | None = None


_PLACES = ("cohort", "member", "numerator")
"""What a definition may name in braces, for :meth:`Family.declare` to write from its clause."""


@attrs.frozen(kw_only=True)
class Family:
    """What a metric family says about itself, declared once in the family's module.

    Each module of :mod:`cypmh.metrics.families` has a ``FAMILY`` and declares
    its metrics with :meth:`declare`, which gives every declaration the family's
    facts: what its members are records of, what it reads and what reading as
    at the period end means for it.

    >>> family = Family(name="example", records="contact", population_records={"people": "person"})
    >>> family.record_kind("contacts"), family.record_kind("people")
    ('contact', 'person')
    """

    name: str
    records: str = "referral"
    """What its members are records of, where :attr:`population_records` does not say."""
    population_records: Mapping[str, str] = attrs.field(factory=dict)
    """The populations whose members are records of another kind."""
    inputs: tuple[str, ...] = ()
    """The files and columns its metrics rest on, unless a declaration gives its own."""
    resident: bool = False
    """Whether its cohort is children resident in England or of unknown residence."""
    reads_interventions: bool = False
    """Whether its metrics read the intervention codes."""
    counts_contacts: bool = False
    """Whether its metrics count a referral's contacts (:attr:`MetricDefinition.counts_contacts`)."""
    as_at: str = ""
    """What reading as at the period end means for it, beyond :data:`AS_AT_GENERAL`."""
    per_child: frozenset[str] = frozenset()
    """The populations that list each child once, under one of the child's referrals (MHS95)."""
    derived: Mapping[str, str] = attrs.field(factory=dict)
    """What its definition rests on that is not a clause: each derived column its clauses
    read (``first_contact_date``) and each derived table its code works out (MHS95's
    earliest contact), by name, with the prose that explains it.

    A clause is written once and read four ways (:mod:`cypmh.clauses`); a derived part is
    worked out in code, over records and over frames side by side, and the engine-agreement
    tests hold the two equal. Every column a family's clauses read is a table's or one of
    these (``tests/unit/test_definitions_marked.py``).
    """

    cohort: cl.Clause | None = None
    """The clause every record of its base passes before any population's (the CYP cohort
    of the referral families: aged 0-17 when received, resident in England or unknown)."""
    populations: Mapping[str, Declared] = attrs.field(factory=dict)
    """Its populations declared as clauses, by name (under the default options)."""
    sums: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Populations whose count is the sum of others', at every level: ED86's referrals are
    those of its four bands of wait. A reader knows it from the definitions, so disclosure
    control reads it too (:func:`cypmh.metrics.disclosure_audit.sum_cells`)."""

    def record_kind(self, population: str) -> str:
        """What the members of ``population`` are records of.

        ``referral`` (its id), ``spell`` (``person/provider/start``, unique
        where ``provider/start`` alone is not), ``contact``, ``period of care``
        (``person/start``), ``school`` (URN) or ``person``.
        """
        return self.population_records.get(population, self.records)

    def declare(self, **fields: object) -> MetricDefinition:
        """One of the family's metrics (:func:`declare`), with the family's facts filled in.

        A declaration may give its own ``inputs`` and ``resident``; the rest
        are the family's. Its ``definition`` names the family's clauses in braces rather
        than restating them: ``{cohort}``, and ``{member}`` and ``{numerator}`` of its
        population, each replaced by the clause's words (:func:`cypmh.clauses.words`).
        A clause is so written once, and the definition cannot drift from what the
        engines and ``cypmh why`` read.

        >>> family = Family(
        ...     name="example",
        ...     populations={"open": Declared(member=cl.IsNull(cl.Column("discharge_date")))},
        ... )
        >>> family.words("Referrals where {member}.", "open")
        'Referrals where discharge date is missing.'
        """
        fields.setdefault("inputs", self.inputs)
        fields.setdefault("resident", self.resident)
        fields["definition"] = self.words(str(fields["definition"]), str(fields["population"]))
        return declare(
            family=self.name,
            records=self.record_kind(str(fields["population"])),
            reads_interventions=self.reads_interventions,
            counts_contacts=self.counts_contacts,
            as_at_family=self.as_at,
            derived=tuple(self.derived.items()),
            **fields,
        )

    def clauses(self, population: str) -> dict[str, cl.Clause]:
        """The clauses a definition of ``population`` may name, those the family declares.

        ``cohort`` (the family's), and ``member`` and ``numerator`` (the population's).
        """
        declared = self.populations.get(population)
        found = {
            "cohort": self.cohort,
            "member": None if declared is None else declared.member,
            "numerator": None if declared is None else declared.numerator,
        }
        return {name: clause for name, clause in found.items() if clause is not None}

    def words(self, text: str, population: str) -> str:
        """``text`` with each clause it names in braces (:meth:`clauses`) written in words."""
        said = {name: cl.words(clause) for name, clause in self.clauses(population).items()}
        for name in re.findall(r"\{(\w+)\}", text):
            if name not in said:  # pragma: no cover - guards the declarations
                raise RuntimeError(
                    f"{self.name}: a definition of {population!r} names {{{name}}}, which is "
                    f"not one of its clauses ({', '.join(said) or 'none'}; {', '.join(_PLACES)})"
                )
        return text.format_map(said)


DECLARED = "declared"
"""The family of every KPI an area declares in a KPI file (:mod:`cypmh.metrics.kpis`)."""

KpiValueKind = Literal["count", "percentage", "median", "p90"]

_KPI_AGGREGATES = {
    "count": Aggregate.COUNT,
    "percentage": Aggregate.PERCENTAGE,
    "median": Aggregate.MEDIAN,
    "p90": Aggregate.PERCENTILE_90,
}
_KPI_WINDOWS = {
    1: "the reporting month",
    3: "the 3 months ending at the period end",
    12: "the 12 months ending at the period end",
}


@attrs.frozen(kw_only=True)
class DeclaredKpi:
    """One KPI of an area's KPI file, checked: its conditions as clauses over its base.

    :func:`cypmh.metrics.kpis.read_kpis` makes these from a file; ``records``,
    ``breakdowns`` and ``inputs`` come from the base
    (:data:`cypmh.metrics.kpis.BASES`). :attr:`definition` is the KPI as a
    catalogue entry, which every engine, report and command reads.
    """

    id: str
    name: str
    base: str
    months: int
    date: str
    where: cl.Clause
    value: KpiValueKind
    numerator: cl.Clause | None = None
    of: cl.Value | None = None
    improvement: str = "neutral"
    by: str | None = None
    """A coded column of the base to count by, beside the whole area (``by = "..."``)."""
    records: str = "referral"
    """What a row of the base is a record of (``referral``, ``contact`` or ``person``)."""
    breakdowns: tuple[str, ...] = ()
    """The breakdowns that fit the base (with ``by`` where the KPI declares one)."""
    inputs: tuple[str, ...] = ()
    """The extract's files and columns the base's columns it reads come from."""
    derived: tuple[tuple[str, str], ...] = ()
    """The base's derived columns it reads (cypmh works them out), each with its prose."""
    file: str = ""
    line: int = 0

    @property
    def member(self) -> cl.Clause:
        """The rows the KPI counts: the date in the window, and ``where``."""
        return cl.All((cl.Within(cl.Column(self.date), self.months), self.where))

    @property
    def definition(self) -> MetricDefinition:
        """The KPI as a catalogue entry: family :data:`DECLARED`, its population its id."""
        aggregate = _KPI_AGGREGATES[self.value]
        if self.value == "count":
            unit, numerator, denominator = Unit.COUNT, "Rows of the base counted", None
        elif self.value == "percentage":
            assert self.numerator is not None  # read_kpis requires it
            unit = Unit.PERCENTAGE
            numerator = f"Rows counted where {cl.words(self.numerator)}"
            denominator = "Rows counted"
        else:
            assert self.of is not None  # read_kpis requires it
            unit = Unit.DAYS if isinstance(self.of, cl.DaysBetween) else Unit.SCORE
            numerator, denominator = f"{cl.words(self.of)} of each row counted", "Rows counted"
        return MetricDefinition(
            id=self.id,
            name=self.name,
            family=DECLARED,
            population=self.id,
            aggregate=aggregate,
            unit=unit,
            window=_KPI_WINDOWS[self.months],
            numerator=numerator,
            denominator=denominator,
            definition=f"Declared by the area: the {self.base} base as at the period end, rows "
            f"where {cl.words(self.member)}." + (f" Counted by {self.by}." if self.by else ""),
            source="The area's own KPI file (cypmh.metrics.kpis); not a national definition.",
            breakdowns=self.breakdowns,
            improvement=self.improvement,
            records=self.records,
            inputs=self.inputs,
            derived=self.derived,
        )
