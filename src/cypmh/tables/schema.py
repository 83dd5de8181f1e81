"""The tables the dataframe engine reads: one per record type of the model.

The engine takes these tables as native frames of any backend narwhals
supports (pandas, Polars, PyArrow, DuckDB, SQLFrame, PySpark). Their columns
are the model's attribute names, so a table is what
:func:`~cypmh.tables.backends.tables_from_area` makes of an :class:`~cypmh.model.Area`, or what a
``select`` with aliases makes of MHSDS tables.

Dates are date columns (or pandas ``datetime64``); codes are strings with
leading zeros kept; ``procedures`` of a contact are a table of their own
(``contact_procedures``), one row per code, and so are the ``agreements`` of
a care plan (``care_plan_agreements``, one row per agreement, its date
missing where the agreement has none).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cypmh.model import Area

__all__ = ["OPTIONAL_COLUMNS", "OPTIONAL_TABLES", "TABLES", "Kind", "columns_from_area"]


class Kind(enum.Enum):
    """The type of a column."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    NUMBER = "number"
    FLAG = "flag"


T, D, W, N, F = Kind.TEXT, Kind.DATE, Kind.INTEGER, Kind.NUMBER, Kind.FLAG

TABLES: Mapping[str, Mapping[str, Kind]] = {
    "children": {
        "person_id": T,
        "birth_date": D,
        "gender": T,
        "ethnic_category": T,
        "la_district": T,
        "lsoa": T,
        "lsoa2021": T,
        "school_urn": T,
    },
    "referrals": {
        "referral_id": T,
        "person_id": T,
        "provider_code": T,
        "received_date": D,
        "source": T,
        "priority": T,
        "primary_reason": T,
        "team_type": T,
        "rejection_date": D,
        "rejection_reason": T,
        "closure_date": D,
        "discharge_date": D,
    },
    "contacts": {
        "contact_id": T,
        "referral_id": T,
        "person_id": T,
        "date": D,
        "attend_status": T,
        "consultation_mechanism": T,
    },
    "contact_procedures": {"contact_id": T, "procedure": T},
    "indirect_activities": {
        "referral_id": T,
        "person_id": T,
        "date": D,
        "procedure": T,
        "time": T,
    },
    "assessments": {"referral_id": T, "person_id": T, "tool_code": T, "score": N, "date": D},
    "care_plans": {
        "care_plan_id": T,
        "person_id": T,
        "plan_type": T,
        "created": D,
        "last_updated": D,
    },
    "care_plan_agreements": {"care_plan_id": T, "date": D},
    "care_episodes": {"person_id": T, "start": D, "end": D},
    "social_work": {"person_id": T, "kind": T, "start": D, "end": D},
    "sdq_returns": {"person_id": T, "score": W, "reason": T, "date": D},
    "wellbeing_assessments": {"person_id": T, "date": D},
    "assessment_factors": {"person_id": T, "date": D, "factor": T},
    "schools": {"urn": T, "open_date": D, "close_date": D, "pupils": W},
    "link_contacts": {
        "school_urn": T,
        "provider_code": T,
        "school_lead_role": T,
        "camhs_contact_role": T,
        "start": D,
        "end": D,
    },
    "groupings": {"person_id": T, "grouping": T, "from_date": D, "source": T, "referral_id": T},
}
"""Every table the engine reads, with its columns and their kinds."""

OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {
    "children": frozenset({"lsoa", "lsoa2021"}),
    "indirect_activities": frozenset({"time"}),
    "schools": frozenset({"pupils"}),
}
"""The columns a table may be given without (tables made before they were added):
missing, they are read as empty. Without ``lsoa`` and ``lsoa2021`` every child's IMD level
is ``UNKNOWN``; without ``time`` a referral's indirect activities of one day are one;
without ``pupils`` no school's pupils are known (LINK03 has no value)."""

OPTIONAL_TABLES: frozenset[str] = frozenset({"groupings", "assessment_factors"})
"""The tables that may be left out: without ``groupings`` no child has a THRIVE grouping, and
without ``assessment_factors`` no child has a child-in-need assessment factor (CIN01 counts
none).

``groupings`` holds a :class:`~cypmh.model.groupings.GroupingRecord` a row:
``grouping`` is the grouping's value (``getting_help``) and ``source`` is
``agreed`` or ``suggested``."""


def _plain(value: Any) -> Any:
    """A record attribute as a column value: enums by their code, the rest as they are."""
    return value.value if isinstance(value, enum.Enum) else value


def _columns(
    records: Iterable[Any], names: Iterable[str], get: Callable[[Any, str], Any] | None = None
) -> dict[str, list[Any]]:
    names = list(names)
    read = get or (lambda record, name: _plain(getattr(record, name)))
    out: dict[str, list[Any]] = {name: [] for name in names}
    for record in records:
        for name in names:
            out[name].append(read(record, name))
    return out


def columns_from_area(area: Area) -> dict[str, dict[str, list[Any]]]:
    """Every table of :data:`TABLES` as plain Python columns (lists by column name)."""
    sources: dict[str, Iterable[Any]] = {
        "children": area.children,
        "referrals": area.referrals,
        "contacts": area.contacts,
        "indirect_activities": area.indirect_activities,
        "assessments": area.assessments,
        "care_plans": area.care_plans,
        "care_episodes": area.care_episodes,
        "social_work": area.social_work,
        "sdq_returns": area.sdq_returns,
        "wellbeing_assessments": area.wellbeing_assessments,
        "assessment_factors": area.assessment_factors,
        "schools": area.schools,
        "link_contacts": area.link_contacts,
        "groupings": area.groupings,
    }
    tables = {name: _columns(records, TABLES[name]) for name, records in sources.items()}
    pairs = [(c.contact_id, code) for c in area.contacts for code in c.procedures]
    tables["contact_procedures"] = {
        "contact_id": [contact for contact, _ in pairs],
        "procedure": [code for _, code in pairs],
    }
    agreements = [(p.care_plan_id, day) for p in area.care_plans for day in p.agreements]
    tables["care_plan_agreements"] = {
        "care_plan_id": [plan for plan, _ in agreements],
        "date": [day for _, day in agreements],
    }
    return {name: tables[name] for name in TABLES}
