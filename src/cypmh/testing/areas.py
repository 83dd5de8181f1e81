"""Whole, consistent areas: every record tied to the others as the model requires."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from cypmh.model import (
    Area,
    Child,
)
from cypmh.periods import Month
from cypmh.testing.records import (
    assessment_factors,
    care_episodes,
    care_plans,
    children,
    coded_assessments,
    contacts,
    indirect_activities,
    link_contacts,
    referrals,
    schools,
    sdq_returns,
    services,
    social_work_involvements,
    wellbeing_assessments,
)
from cypmh.testing.thrive_strategies import grouping_records
from cypmh.testing.values import (
    EARLIEST,
    LATEST,
    dates_from,
    identifiers,
    labels,
    maybe,
    ods_codes,
)

__all__ = ["areas"]


@st.composite
def areas(
    draw: st.DrawFn,
    *,
    max_children: int = 4,
    max_referrals: int = 3,
    max_contacts: int = 4,
    period: Month | None = None,
) -> Area:
    """Whole, consistent areas.

    Up to ``max_children`` children, each with up to ``max_referrals``
    referrals, each with up to ``max_contacts`` contacts (and some indirect
    activity, assessments, care plans, social care records, schools and link
    contacts). Keys are unique and every reference resolves.

    With ``period``, every event falls in the 15 months before that month's
    end or the 2 months after, and the children are 1 to 17 years old then:
    areas dense in what the metrics of that month count.
    """
    if period is None:
        first, until = date(2016, 1, 1), LATEST
        born = dates_from(EARLIEST, date(2024, 12, 31))
    else:
        first = date(period.year - 1, period.month, 1) - timedelta(days=90)
        until = period.last_day + timedelta(days=60)
        born = dates_from(date(first.year - 17, 1, 1), date(first.year - 1, 1, 1))
    provider_codes = draw(st.lists(ods_codes(), min_size=1, max_size=2, unique=True))
    providers = st.sampled_from(provider_codes)
    school_list = draw(st.lists(schools(), max_size=3, unique_by=lambda s: s.urn))
    urn_choice = maybe(st.sampled_from([s.urn for s in school_list])) if school_list else st.none()
    person_ids = draw(st.lists(identifiers(), max_size=max_children, unique=True))

    kids: list[Child] = []
    parts: dict[str, list[Any]] = {
        name: []
        for name in (
            "referrals",
            "contacts",
            "indirect_activities",
            "assessments",
            "care_plans",
            "care_episodes",
            "social_work",
            "sdq_returns",
            "wellbeing_assessments",
            "assessment_factors",
            "groupings",
        )
    }
    for pid in person_ids:
        child = draw(children(pid, born=born, school_urn=urn_choice))
        kids.append(child)
        birth = child.birth_date
        for _ in range(draw(st.integers(0, max_referrals))):
            referral = draw(
                referrals(
                    pid,
                    referral_id=f"R{len(parts['referrals']) + 1}",
                    provider_code=draw(providers),
                    after=max(birth, first),
                    until=until,
                )
            )
            parts["referrals"].append(referral)
            for _ in range(draw(st.integers(0, max_contacts))):
                parts["contacts"].append(
                    draw(
                        contacts(referral, contact_id=f"C{len(parts['contacts']) + 1}", until=until)
                    )
                )
            parts["indirect_activities"] += draw(
                st.lists(indirect_activities(referral, until=until), max_size=1)
            )
            parts["assessments"] += draw(
                st.lists(coded_assessments(referral, until=until), max_size=2)
            )
        for _ in range(draw(st.integers(0, 1))):
            parts["care_plans"].append(
                draw(
                    care_plans(
                        pid,
                        care_plan_id=f"CP{len(parts['care_plans']) + 1}",
                        after=max(birth, first),
                        until=until,
                    )
                )
            )
        early = max(birth, first - timedelta(days=400))
        parts["care_episodes"] += draw(
            st.lists(care_episodes(pid, after=early, until=until), max_size=2)
        )
        parts["social_work"] += draw(
            st.lists(social_work_involvements(pid, after=early, until=until), max_size=2)
        )
        parts["sdq_returns"] += draw(
            st.lists(
                sdq_returns(pid, after=birth, until=until), max_size=3, unique_by=lambda s: s.date
            )
        )
        parts["wellbeing_assessments"] += draw(
            st.lists(wellbeing_assessments(pid, after=max(birth, first), until=until), max_size=1)
        )
        parts["assessment_factors"] += draw(
            st.lists(
                assessment_factors(pid, after=max(birth, early), until=until),
                max_size=3,
                unique_by=lambda f: (f.date, f.factor),
            )
        )
        own = [r for r in parts["referrals"] if r.person_id == pid]
        parts["groupings"] += draw(
            st.lists(
                grouping_records(pid, after=max(birth, first), until=until, referrals=own),
                max_size=3,
                unique_by=lambda g: (g.from_date, g.source),
            )
        )

    service_list = draw(
        st.lists(
            services(provider_code=providers),
            max_size=3,
            unique_by=lambda s: (s.provider_code, s.team_id),
        )
    )
    links = [
        draw(link_contacts(school.urn, provider_code=draw(providers), until=until))
        for school in school_list
        for _ in range(draw(st.integers(0, 2)))
    ]
    # No child is born after the extract's end (the latest event date, as the readers
    # take it): a child with no events of their own is born by then at the latest.
    events = [
        *(x.received_date for x in parts["referrals"]),
        *(x.date for x in parts["contacts"]),
        *(x.date for x in parts["indirect_activities"]),
        *(x.date for x in parts["assessments"]),
        *(x.created for x in parts["care_plans"]),
        *(x.start for x in parts["care_episodes"]),
        *(x.start for x in parts["social_work"]),
        *(x.date for x in parts["wellbeing_assessments"]),
        *(x.date for x in parts["assessment_factors"]),
        *(x.from_date for x in parts["groupings"]),
    ]
    if events:
        end = max(events)
        kids = [attrs.evolve(k, birth_date=min(k.birth_date, end)) for k in kids]
    return Area(
        name=draw(labels()),
        children=tuple(kids),
        services=tuple(service_list),
        schools=tuple(school_list),
        link_contacts=tuple(links),
        **{name: tuple(records) for name, records in parts.items()},
    )
