"""Write an :class:`~cypmh.model.Area` as an extract folder (the inverse of the reader).

The folder follows the extract contract (:mod:`cypmh.io.contract`): health files at the top,
SSDA903 files in ``ssda903/``, schools in ``schools/``. Reading the folder back
gives the same area (services are not part of the contract and are dropped).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date
from os import PathLike
from pathlib import Path

from cypmh.io.contract import spec
from cypmh.model import Area

__all__ = ["SOCIAL_CARE_SHAPES", "write_extract"]

SOCIAL_CARE_SHAPES = ("ssda903", "ssd")
"""How social care's periods and children are written: the contract's ``ssda903/`` files, or
the Standard Safeguarding Dataset's tables in ``ssd/`` (:mod:`cypmh.io.feeds`)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    code = getattr(value, "code", None)
    return str(code if code is not None else value)


def _write(folder: Path, path: str, rows: Iterable[Sequence[object]]) -> None:
    """Write the contract file ``path``, with its columns, into ``folder``."""
    _write_table(folder, path, spec(path).columns, rows)


def write_extract(area: Area, folder: str | PathLike[str], *, social_care: str = "ssda903") -> Path:
    """Write ``area`` into ``folder`` (created if needed); return the folder's path.

    ``social_care="ssd"`` writes the children in social care and their
    child-in-need and child-protection periods as the SSD's tables
    (``ssd/ssd_person.csv``, ``ssd_cin_episodes``, ``ssd_cp_plans``) in place of
    ``ssda903/header.csv`` and ``social_work.csv``, and the looked-after episodes
    as ``ssd_cla_episodes`` as well as the SSDA903 return's ``episodes.csv``, as a
    council running the SSD has both. Dated SDQs go to ``ssd_sdq_scores`` and the
    undated OC2 returns stay in ``oc2.csv``; assessment factors go to
    ``ssd_cin_assessments`` (one per child and day) and ``ssd_assessment_factors``
    (their codes as a JSON array). Read back, the area is the same.
    """
    if social_care not in SOCIAL_CARE_SHAPES:
        raise ValueError(f"social_care must be one of {', '.join(SOCIAL_CARE_SHAPES)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    _write(
        out,
        "MHS001MPI.csv",
        (
            (
                c.person_id,
                c.birth_date,
                c.gender,
                c.ethnic_category,
                c.la_district,
                c.lsoa,
                c.school_urn,
                c.lsoa2021,
            )
            for c in area.children
        ),
    )
    _write(
        out,
        "MHS101Referral.csv",
        (
            (
                r.referral_id,
                r.person_id,
                r.provider_code,
                r.received_date,
                r.source,
                r.priority,
                r.primary_reason,
                r.team_type,
                r.rejection_date,
                r.rejection_reason,
                r.closure_date,
                r.closure_reason,
                r.discharge_date,
            )
            for r in area.referrals
        ),
    )
    _write(
        out,
        "MHS201CareContact.csv",
        (
            (
                c.contact_id,
                c.referral_id,
                c.person_id,
                c.date,
                c.attend_status,
                c.consultation_mechanism,
            )
            for c in area.contacts
        ),
    )
    _write(
        out,
        "MHS202CareActivity.csv",
        ((c.contact_id, p) for c in area.contacts for p in c.procedures),
    )
    _write(
        out,
        "MHS204IndirectActivity.csv",
        (
            (a.referral_id, a.person_id, a.date, a.procedure, a.time)
            for a in area.indirect_activities
        ),
    )
    _write(
        out,
        "MHS606CodedScoreAssessmentRefer.csv",
        ((a.referral_id, a.person_id, a.tool_code, a.score, a.date) for a in area.assessments),
    )
    _write(
        out,
        "MHS008CarePlanType.csv",
        (
            (p.care_plan_id, p.person_id, p.plan_type, p.created, p.last_updated)
            for p in area.care_plans
        ),
    )
    _write(
        out,
        "MHS009CarePlanAgreement.csv",
        ((p.care_plan_id, day) for p in area.care_plans for day in p.agreements),
    )
    _write(
        out,
        "thrive.csv",
        (
            (g.person_id, g.grouping.label, g.from_date, g.source.value, g.referral_id)
            for g in area.groupings
        ),
    )
    in_care = {e.person_id for e in area.care_episodes} | {s.person_id for s in area.sdq_returns}
    in_care |= {s.person_id for s in area.social_work} | {
        w.person_id for w in area.wellbeing_assessments
    }
    in_care |= {f.person_id for f in area.assessment_factors}
    if social_care == "ssd":
        _write_ssd(area, out, in_care)
    else:
        _write(
            out,
            "ssda903/header.csv",
            (
                (c.person_id, c.birth_date, c.gender, c.ethnic_category)
                for c in area.children
                if c.person_id in in_care
            ),
        )
    _write(
        out,
        "ssda903/episodes.csv",
        (
            (
                e.person_id,
                e.start,
                e.end,
                e.reason_new_episode,
                e.legal_status,
                e.category_of_need,
                e.placement,
                e.reason_ceased,
            )
            for e in area.care_episodes
        ),
    )
    _write(
        out,
        "ssda903/oc2.csv",
        (
            (s.person_id, s.score, s.reason, s.date)
            for s in area.sdq_returns
            if social_care == "ssda903" or s.date is None
        ),
    )
    if social_care == "ssda903":
        _write(
            out,
            "ssda903/social_work.csv",
            ((s.person_id, s.kind, s.start, s.end) for s in area.social_work),
        )
    _write(
        out,
        "ssda903/mh_assessments.csv",
        ((w.person_id, w.date) for w in area.wellbeing_assessments),
    )
    if social_care == "ssda903":
        _write(
            out,
            "ssda903/assessment_factors.csv",
            ((f.person_id, f.date, f.factor) for f in area.assessment_factors),
        )
    _write(
        out,
        "schools/schools.csv",
        (
            (s.urn, s.name, s.phase, s.local_authority, s.open_date, s.close_date, s.pupils)
            for s in area.schools
        ),
    )
    _write(
        out,
        "schools/link_contacts.csv",
        (
            (
                k.school_urn,
                k.provider_code,
                k.school_lead_role,
                k.camhs_contact_role,
                k.start,
                k.end,
            )
            for k in area.link_contacts
        ),
    )
    return out


def _write_table(
    folder: Path, path: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    file = folder / path
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)


_SSD_SEX = {"1": "M", "2": "F"}


def _write_ssd(area: Area, out: Path, in_care: set[str]) -> None:
    """The social-care children, periods and episodes as SSD tables (with the SSD's columns)."""
    _write_table(
        out,
        "ssd/ssd_person.csv",
        ("pers_person_id", "pers_sex", "pers_ethnicity", "pers_dob", "pers_common_child_id"),
        (
            (c.person_id, _SSD_SEX.get(c.gender or "", "U"), c.ethnic_category, c.birth_date, "")
            for c in area.children
            if c.person_id in in_care
        ),
    )
    _write_table(
        out,
        "ssd/ssd_cin_episodes.csv",
        (
            "cine_referral_id",
            "cine_person_id",
            "cine_referral_date",
            "cine_referral_nfa",
            "cine_close_date",
        ),
        (
            (f"R{n}", s.person_id, s.start, "N", s.end)
            for n, s in enumerate(area.social_work)
            if s.kind.value == "CIN"
        ),
    )
    _write_table(
        out,
        "ssd/ssd_cp_plans.csv",
        ("cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
        (
            (f"P{n}", s.person_id, s.start, s.end)
            for n, s in enumerate(area.social_work)
            if s.kind.value == "CPP"
        ),
    )
    _write_table(
        out,
        "ssd/ssd_cla_episodes.csv",
        (
            "clae_cla_episode_id",
            "clae_person_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_start_reason",
            "clae_cla_primary_need_code",
            "clae_cla_episode_ceased_date",
            "clae_cla_episode_ceased_reason",
        ),
        (
            (
                f"E{n}",
                e.person_id,
                e.start,
                e.reason_new_episode,
                e.category_of_need,
                e.end,
                e.reason_ceased,
            )
            for n, e in enumerate(area.care_episodes)
        ),
    )
    _write_table(
        out,
        "ssd/ssd_sdq_scores.csv",
        (
            "csdq_table_id",
            "csdq_person_id",
            "csdq_sdq_completed_date",
            "csdq_sdq_score",
            "csdq_sdq_reason",
        ),
        (
            (f"S{n}", s.person_id, s.date, s.score, s.reason)
            for n, s in enumerate(area.sdq_returns)
            if s.date is not None
        ),
    )
    assessed: dict[tuple[str, date], list[str]] = {}
    for f in area.assessment_factors:
        assessed.setdefault((f.person_id, f.date), []).append(f.factor)
    _write_table(
        out,
        "ssd/ssd_cin_assessments.csv",
        ("cina_assessment_id", "cina_person_id", "cina_assessment_auth_date"),
        ((f"A{n}", pid, day) for n, (pid, day) in enumerate(assessed)),
    )
    _write_table(
        out,
        "ssd/ssd_assessment_factors.csv",
        ("cinf_table_id", "cinf_assessment_id", "cinf_assessment_factors_json"),
        ((f"F{n}", f"A{n}", json.dumps(codes)) for n, codes in enumerate(assessed.values())),
    )
