"""The bases a KPI file's KPIs count rows of: their columns, under the extract's names and cypmh's.

Each base holds every record of its kind as at the period end (:mod:`cypmh.metrics.kpis.rows`
reads them): the extract's fields under the contract's MHSDS and SSDA903 names, and
derived columns that cypmh works out, each described here.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from cypmh.codes import SocialCareStatus
from cypmh.codes.groupings import Grouping
from cypmh.io.rules.activity import CONTACT_COLUMNS
from cypmh.io.rules.people import CHILD_COLUMNS
from cypmh.io.rules.referrals import REFERRAL_COLUMNS
from cypmh.metrics.definition import PERSON_BREAKDOWNS, REFERRAL_BREAKDOWNS
from cypmh.metrics.files import CONTACTS, EPISODES, HEALTH, MH_ASSESSMENTS, MPI, REFERRALS
from cypmh.metrics.inputs import COLUMNS, level_inputs
from cypmh.metrics.results import NO_WORKING_LINK, WORKING_LINK
from cypmh.tables.schema import TABLES, Kind

__all__ = ["BASES", "BaseColumn", "KpiBase", "bases_text"]


@attrs.frozen
class BaseColumn:
    """A column of a base: its name in KPI files, its kind, and what it holds."""

    name: str
    kind: Kind
    about: str
    values: tuple[str, ...] = ()
    """The values a coded derived column takes (empty: any)."""
    reads: tuple[str, ...] = ()
    """The extract's files and columns it comes from, beyond its base's
    (:mod:`cypmh.metrics.files`)."""
    contract: bool = False
    """Whether it is a column of the extract's contract (else cypmh works it out)."""


@attrs.frozen
class KpiBase:
    """A table a KPI counts rows of: one row per record, as at the period end, unfiltered."""

    name: str
    about: str
    columns: tuple[BaseColumn, ...]
    records: str = "referral"
    """What a row is a record of: ``referral``, ``contact`` or ``person``."""
    breakdowns: tuple[str, ...] = PERSON_BREAKDOWNS
    """The breakdowns a KPI over it can be split by."""
    reads: tuple[str, ...] = ()
    """The extract's files every KPI over it rests on."""
    birth: str = "PersonBirthDate"
    """The column ``age_on(...)`` reads: the child's birth date."""

    def kinds(self) -> dict[str, Kind]:
        """Each column's kind, by name."""
        return {c.name: c.kind for c in self.columns}

    def column(self, name: str) -> BaseColumn | None:
        """The column called ``name``, if the base has one."""
        return next((c for c in self.columns if c.name == name), None)


IDS = frozenset({"referral_id", "person_id", "contact_id"})
"""The record ids, which no base offers: a KPI never reads, splits by or reports an id."""


def _contract(
    table: str, names: Mapping[str, str], source: str, file: str | None = None
) -> list[BaseColumn]:
    """A table's columns under the contract's names (``names``: table column to file column).

    ``file`` is the extract file whose optional columns (those :mod:`cypmh.metrics.inputs`
    checks) a KPI reading them rests on.
    """
    kinds = TABLES[table]
    return [
        BaseColumn(
            contract,
            kinds[field],
            f"{source} {contract}",
            reads=(f"{file}:{contract}",) if file and f"{file}:{contract}" in COLUMNS else (),
            contract=True,
        )
        for field, contract in names.items()
        if field in kinds and field not in IDS
    ]


_BIRTH = BaseColumn(
    "PersonBirthDate",
    Kind.DATE,
    "the child's birth date (MHS001MPI PersonBirthDate, or DOB)",
    contract=True,
)
_STATUSES = tuple(s.value for s in SocialCareStatus)
_GROUPINGS = tuple(g.value for g in Grouping)


def _status(on: str) -> BaseColumn:
    """The child's social-care status ``on`` a day (cypmh's own values)."""
    return BaseColumn(
        "social_care_status",
        Kind.TEXT,
        f"the child's social-care status {on}",
        _STATUSES,
        reads=level_inputs("social_care", "none"),
    )


_GROUPING = BaseColumn(
    "thrive_grouping",
    Kind.TEXT,
    "the child's THRIVE grouping in force at the period end",
    _GROUPINGS,
    reads=level_inputs("thrive", ""),
)

BASES: Mapping[str, KpiBase] = {
    "referrals": KpiBase(
        name="referrals",
        about="Every referral received by the period end, one row each.",
        records="referral",
        breakdowns=REFERRAL_BREAKDOWNS,
        reads=HEALTH,
        columns=(
            *_contract("referrals", REFERRAL_COLUMNS, "MHS101Referral", REFERRALS),
            _BIRTH,
            BaseColumn(
                "age_at_referral",
                Kind.INTEGER,
                "the child's age in whole years on the day the referral was received",
            ),
            BaseColumn(
                "first_contact_date",
                Kind.DATE,
                "the date of the referral's first counted direct contact (the options' "
                "counting rule) by the period end, with the child 0-17 on the day",
                reads=(CONTACTS,),
            ),
            _status("on the day the referral was received"),
            _GROUPING,
            BaseColumn(
                "school_link",
                Kind.TEXT,
                "whether the child's school had a working link with CAMHS on the day the "
                "referral was received",
                (WORKING_LINK, NO_WORKING_LINK),
                reads=level_inputs("school_link", ""),
            ),
        ),
    ),
    "contacts": KpiBase(
        name="contacts",
        about="Every care contact dated by the period end, one row each.",
        records="contact",
        reads=HEALTH,
        columns=(
            *_contract(
                "contacts",
                {k: v for k, v in CONTACT_COLUMNS.items() if k != "procedures"},
                "MHS201CareContact",
                CONTACTS,
            ),
            _BIRTH,
            BaseColumn(
                "counted",
                Kind.FLAG,
                "whether the contact counts under the options' counting rule (attended, "
                "through a counting consultation mechanism)",
            ),
            _status("on the contact's date"),
        ),
    ),
    "children": KpiBase(
        name="children",
        about="Every child known by the period end (MHS001MPI or the SSDA903 header), one row "
        "each.",
        records="person",
        # A child's provider is not one of their records'.
        breakdowns=tuple(b for b in PERSON_BREAKDOWNS if b != "provider"),
        columns=(
            *_contract("children", CHILD_COLUMNS, "MHS001MPI", MPI),
            _status("at the period end"),
            _GROUPING,
            BaseColumn(
                "care_start",
                Kind.DATE,
                "the start of the child's latest period of care begun by the period end",
                reads=(EPISODES,),
            ),
            BaseColumn(
                "assessment_date",
                Kind.DATE,
                "the first initial mental health and wellbeing assessment on or after "
                "care_start, by the period end",
                reads=(EPISODES, MH_ASSESSMENTS),
            ),
        ),
    ),
}
"""The bases a KPI counts: their columns, under the contract's names and cypmh's derived ones."""


def bases_text() -> str:
    """Every base and its columns, as ``cypmh kpis --bases`` prints them."""
    out = []
    for base in BASES.values():
        out += [f"{base.name}: {base.about}"]
        for column in base.columns:
            values = f" ({', '.join(column.values)})" if column.values else ""
            out.append(f"  {column.name:<28} {column.kind.value:<8} {column.about}{values}")
        out.append("")
    return "\n".join(out).rstrip()
