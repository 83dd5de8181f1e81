"""An area's social-care periods as a Children in Need census or DfE API files, for tests.

:func:`dfe_api_payloads` writes the same referrals and plans, with the children's dated
SDQ scores, as the DfE API files a council keeps (:mod:`cypmh.io.feeds.dfe_api`).
:func:`cin_census_xml` writes the census a council would submit for the area's children
in need and on child protection plans (:mod:`cypmh.io.cin_census` reads it). The census
nests each plan in a referral, where ``social_work.csv`` lists them side by side, so the
writer puts each plan in the child-in-need referral that covers its start, or else in a
referral of the plan's own dates. Such a referral gives a child-in-need period that
never changes the child's status (a plan outranks it on every day it covers), so the
statuses read from the census are the area's. Periods of one child and kind that start
on one day are written as one, to the later end: the census has one referral per start,
and the union covers the same days. A child's assessment factors go in referrals of their
own that ended in no further action (one per assessment day), which give no period.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import attrs

from cypmh.codes import SocialWorkType
from cypmh.model import Area, SocialWorkInvolvement

__all__ = ["PURGED_CHILD", "cin_census_xml", "dfe_api_payloads"]

PURGED_CHILD = "PURGED-CHILD"
"""The child the first API file sends and the second purges (so no reader should see it)."""

_SEX = {"1": "M", "2": "F"}


@attrs.define
class _Referral:
    start: date
    end: date | None
    plans: list[tuple[date, date | None]] = attrs.field(factory=list)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _later(a: date | None, b: date | None) -> date | None:
    return None if a is None or b is None else max(a, b)


def _merged(periods: Iterable[SocialWorkInvolvement]) -> dict[date, date | None]:
    """The periods' ends by start, periods with one start merged to the later end."""
    ends: dict[date, date | None] = {}
    for p in periods:
        ends[p.start] = _later(ends[p.start], p.end) if p.start in ends else p.end
    return ends


def _referrals(periods: Iterable[SocialWorkInvolvement]) -> list[_Referral]:
    own = list(periods)
    cin = _merged(p for p in own if p.kind is SocialWorkType.CHILD_IN_NEED)
    referrals = {start: _Referral(start, end) for start, end in cin.items()}
    cpp = _merged(p for p in own if p.kind is SocialWorkType.CHILD_PROTECTION_PLAN)
    for start, end in sorted(cpp.items()):
        home = next((r for r in referrals.values() if r.covers(start)), None)
        if home is None:
            home = referrals.setdefault(start, _Referral(start, end))
            home.end = _later(home.end, end)
        home.plans.append((start, end))
    return [referrals[start] for start in sorted(referrals)]


def _assessed(area: Area) -> dict[str, dict[date, list[str]]]:
    """Each child's assessment factors, by the assessment's day."""
    found: dict[str, dict[date, list[str]]] = {}
    for f in area.assessment_factors:
        found.setdefault(f.person_id, {}).setdefault(f.date, []).append(f.factor)
    return found


def cin_census_xml(area: Area, reference_date: date = date(2026, 3, 31)) -> bytes:
    """The area's child-in-need and child-protection periods as one CIN census file."""
    by_child: dict[str, list[SocialWorkInvolvement]] = {}
    for period in area.social_work:
        by_child.setdefault(period.person_id, []).append(period)
    assessed = _assessed(area)
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        "<Message>",
        "  <Header><CollectionDetails><Collection>CIN</Collection>",
        f"    <ReferenceDate>{reference_date.isoformat()}</ReferenceDate>",
        "  </CollectionDetails></Header>",
        "  <Children>",
    ]
    for child_id in sorted(by_child.keys() | assessed.keys()):
        child = area.child(child_id)
        out += [
            "    <Child>",
            "      <ChildIdentifiers>",
            f"        <LAchildID>{escape(child_id)}</LAchildID>",
            f"        <PersonBirthDate>{child.birth_date.isoformat()}</PersonBirthDate>",
            f"        <Sex>{_SEX.get(child.gender or '', 'U')}</Sex>",
            "      </ChildIdentifiers>",
            "      <ChildCharacteristics>",
            f"        <Ethnicity>{escape(child.ethnic_category or '')}</Ethnicity>",
            "      </ChildCharacteristics>",
        ]
        for day, codes in sorted(assessed.get(child_id, {}).items()):
            out += [
                "      <CINdetails>",
                f"        <CINreferralDate>{day}</CINreferralDate>",
                "        <ReferralNFA>true</ReferralNFA>",
                "        <Assessments>",
                f"          <AssessmentAuthorisationDate>{day}</AssessmentAuthorisationDate>",
                "          <FactorsIdentifiedAtAssessment>",
                *(f"            <AssessmentFactors>{c}</AssessmentFactors>" for c in codes),
                "          </FactorsIdentifiedAtAssessment>",
                "        </Assessments>",
                "      </CINdetails>",
            ]
        for referral in _referrals(by_child.get(child_id, ())):
            out += [
                "      <CINdetails>",
                f"        <CINreferralDate>{referral.start}</CINreferralDate>",
            ]
            if referral.end is not None:
                out.append(f"        <CINclosureDate>{referral.end}</CINclosureDate>")
            out.append("        <ReferralNFA>false</ReferralNFA>")
            for start, end in referral.plans:
                out += [
                    "        <ChildProtectionPlans>",
                    f"          <CPPstartDate>{start}</CPPstartDate>",
                ]
                if end is not None:
                    out.append(f"          <CPPendDate>{end}</CPPendDate>")
                out.append("        </ChildProtectionPlans>")
            out.append("      </CINdetails>")
        out.append("    </Child>")
    out += ["  </Children>", "</Message>", ""]
    return "\n".join(out).encode("utf-8")


def dfe_api_payloads(area: Area) -> tuple[bytes, bytes]:
    """The area's periods and dated SDQ scores as two DfE API files: a full one, then a partial one.

    The full file sends every child with a social-care period or a dated SDQ score:
    their details, their referrals (as :func:`cin_census_xml` nests them) and their
    dated scores. It also sends :data:`PURGED_CHILD`, and a plan of the first child
    that never was; the partial file purges both, and sends the first child's
    details again unchanged. Read in order, the files give the area's periods and
    scored dated SDQs, and no more (an SDQ's reason has no field in the API).
    """
    by_child: dict[str, list[SocialWorkInvolvement]] = {}
    for period in area.social_work:
        by_child.setdefault(period.person_id, []).append(period)
    scores: dict[str, list[dict[str, Any]]] = {}
    for sdq in area.sdq_returns:
        if sdq.date is not None and sdq.score is not None:
            scores.setdefault(sdq.person_id, []).append(
                {"date": sdq.date.isoformat(), "score": sdq.score}
            )
    assessed = _assessed(area)
    full: list[dict[str, Any]] = []
    for child_id in sorted(by_child.keys() | scores.keys() | assessed.keys()):
        child = area.child(child_id)
        episodes: list[dict[str, Any]] = [
            {
                "social_care_episode_id": f"{child_id}-A{n}",
                "referral_date": day.isoformat(),
                "referral_no_further_action_flag": True,
                "child_and_family_assessments": [
                    {
                        "child_and_family_assessment_id": f"{child_id}-A{n}-1",
                        "start_date": day.isoformat(),
                        "authorisation_date": day.isoformat(),
                        "factors": codes,
                        "purge": False,
                    }
                ],
                "purge": False,
            }
            for n, (day, codes) in enumerate(sorted(assessed.get(child_id, {}).items()))
        ]
        for n, referral in enumerate(_referrals(by_child.get(child_id, ()))):
            episode_id = f"{child_id}-E{n}"
            episodes.append(
                {
                    "social_care_episode_id": episode_id,
                    "referral_date": referral.start.isoformat(),
                    "closure_date": _iso(referral.end),
                    "referral_no_further_action_flag": False,
                    "child_protection_plans": [
                        {
                            "child_protection_plan_id": f"{episode_id}-K{m}",
                            "start_date": start.isoformat(),
                            "end_date": _iso(end),
                            "purge": False,
                        }
                        for m, (start, end) in enumerate(referral.plans)
                    ],
                    "purge": False,
                }
            )
        full.append(
            {
                "la_child_id": child_id,
                "mis_child_id": f"MIS-{child_id}",
                "purge": False,
                "child_details": {
                    "date_of_birth": child.birth_date.isoformat(),
                    "sex": _SEX.get(child.gender or "", "U"),
                    "ethnicity": child.ethnic_category,
                    "purge": False,
                },
                "health_and_wellbeing": {
                    "sdq_assessments": scores.get(child_id, []),
                    "purge": False,
                },
                "social_care_episodes": episodes,
            }
        )
    partial: list[dict[str, Any]] = [
        {"la_child_id": PURGED_CHILD, "mis_child_id": "MIS-0", "purge": True}
    ]
    extra = {"child_protection_plan_id": "NEVER", "start_date": "2020-01-01", "purge": False}
    for record in full:
        if record["social_care_episodes"]:
            first = record["social_care_episodes"][0]
            first.setdefault("child_protection_plans", []).append(extra)
            partial.append(
                {
                    "la_child_id": record["la_child_id"],
                    "mis_child_id": record["mis_child_id"],
                    "child_details": record["child_details"],
                    "social_care_episodes": [
                        {
                            "social_care_episode_id": first["social_care_episode_id"],
                            "child_protection_plans": [
                                {"child_protection_plan_id": "NEVER", "purge": True}
                            ],
                        }
                    ],
                }
            )
            break
    full.append(
        {
            "la_child_id": PURGED_CHILD,
            "mis_child_id": "MIS-0",
            "child_details": {"date_of_birth": "2015-01-01", "sex": "F"},
            "social_care_episodes": [
                {"social_care_episode_id": "X", "referral_date": "2020-01-01"}
            ],
        }
    )
    return (json.dumps(full, indent=1).encode(), json.dumps(partial, indent=1).encode())


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
