"""For period P, an event dated after P's last day has not happened yet (issue 15).

The property: on any generated area and period, every metric of both engines
gives the same rows on the full area and on the area cut at the period end.
The cut is written here, record by record, from the rules in
:mod:`cypmh.model.asat` (not by calling it): dated events after the end are
removed (THRIVE groupings, assessment factors and dated SDQs after it too; an undated
SDQ return is kept), end dates after it are blanked,
agreements after it are dropped.

The generator (``areas(period=...)``) puts events up to two months after the
period end; the coverage tests below check that it really produces the cases
that broke the national numbers (a referral closed before the end and
discharged after it, a plan updated after the end, an agreement after it),
and that the property fails when an engine is made to read past the end.
"""

from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from cypmh.metrics import MetricOptions, compute
from cypmh.need.group_population import GroupPopulation
from cypmh.need.population import Population
from cypmh.periods import Month
from cypmh.testing import strategies as cst
from tests.budget import examples
from tests.generative.test_engines_agree import deprivation_of

months = st.builds(Month, year=st.integers(2018, 2026), month=st.integers(1, 12))
BREAKDOWNS = ("age_band", "social_care", "school_link", "provider", "thrive", "referral_source")


@st.composite
def cases(draw):
    month = draw(months)
    area = draw(cst.areas(max_children=5, max_referrals=3, max_contacts=5, period=month))
    return area, month


def cut(area, end: date):
    """The area with nothing after ``end``: the test's own statement of the rules."""

    def before(day):
        return day is not None and day <= end

    def blank_after(record, *names):
        changes = {}
        for name in names:
            day = getattr(record, name)
            if day is not None and day > end:
                changes[name] = None
                reason = {"rejection_date": "rejection_reason", "closure_date": "closure_reason"}
                if name in reason:
                    changes[reason[name]] = None
                if name == "end" and hasattr(record, "reason_ceased"):
                    changes["reason_ceased"] = None
        return attrs.evolve(record, **changes)

    referrals = tuple(
        blank_after(r, "rejection_date", "closure_date", "discharge_date")
        for r in area.referrals
        if before(r.received_date)
    )
    plans = tuple(
        attrs.evolve(
            blank_after(p, "last_updated"),
            agreements=[a for a in p.agreements if a is None or a <= end],
        )
        for p in area.care_plans
        if before(p.created)
    )
    return attrs.evolve(
        area,
        referrals=referrals,
        contacts=tuple(c for c in area.contacts if before(c.date)),
        indirect_activities=tuple(a for a in area.indirect_activities if before(a.date)),
        assessments=tuple(a for a in area.assessments if before(a.date)),
        wellbeing_assessments=tuple(w for w in area.wellbeing_assessments if before(w.date)),
        assessment_factors=tuple(f for f in area.assessment_factors if before(f.date)),
        sdq_returns=tuple(s for s in area.sdq_returns if s.date is None or before(s.date)),
        care_plans=plans,
        care_episodes=tuple(blank_after(e, "end") for e in area.care_episodes if before(e.start)),
        social_work=tuple(blank_after(s, "end") for s in area.social_work if before(s.start)),
        link_contacts=tuple(blank_after(k, "end") for k in area.link_contacts if before(k.start)),
        groupings=tuple(g for g in area.groupings if before(g.from_date)),
    )


# Every age of each sex, so that the metrics that read a population are read as at too.
POPULATION = Population(
    counts={(age, sex): 50 + age for age in range(19) for sex in ("male", "female")},
    source="test",
)
# And every age of each sex of a few ethnic categories and deciles, for the standardised rates.
GROUPS = GroupPopulation(
    counts={
        (group, code, age, sex): 20 + age
        for group, codes in (("ethnic_category", "ACHN"), ("imd_decile", "1234567890"))
        for code in (c if c != "0" else "10" for c in codes)
        for age in range(19)
        for sex in ("male", "female")
    },
    source="test",
)
OPTIONS = MetricOptions(
    population=POPULATION, population_groups=GROUPS, deprivation=deprivation_of(1)
)


def reference(area, month):
    return compute(area, month, breakdowns=BREAKDOWNS, disclosure="none", options=OPTIONS)


@settings(max_examples=examples(80), suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_reference_engine_reads_nothing_after_the_period_end(case):
    area, month = case
    assert reference(area, month) == reference(cut(area, month.last_day), month)


def frames(area, month):
    from cypmh.metrics.frames import SUPPORTED, compute_frames, tables_from_area

    return compute_frames(
        tables_from_area(area, "polars"),
        month,
        metrics=sorted(SUPPORTED),
        breakdowns=BREAKDOWNS,
        disclosure="none",
        options=OPTIONS,
    )


@settings(max_examples=examples(12), suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_frame_engine_reads_nothing_after_the_period_end(case):
    pytest.importorskip("polars")
    area, month = case
    assert frames(area, month) == frames(cut(area, month.last_day), month)


# The property can fail: the generator makes the cases, and an engine that reads past the
# period end is caught.


def _finds(condition):
    # The first example found is enough (no shrinking): each is a few milliseconds, so the
    # search stops early and its budget can stay large under the dev profile too. (Many
    # families of the dataframe engine now also bound their own reads by the period end,
    # so an engine without the as-at view differs from the right one less often.)
    quick = settings(max_examples=max(1000, examples(2000)), phases=[Phase.generate], database=None)
    return find(cases(), lambda case: condition(*case), settings=quick)


def closed_then_discharged(area, month):
    """A referral closed by the period end and discharged after it."""
    return any(
        r.closure_date is not None
        and r.closure_date <= month.last_day < (r.discharge_date or date.min)
        for r in area.referrals
    )


def test_the_generator_closes_before_the_end_and_discharges_after_it():
    area, _ = _finds(closed_then_discharged)
    assert area.referrals


def test_the_generator_updates_and_agrees_plans_after_the_end():
    _finds(
        lambda area, month: any(
            (p.last_updated or date.min) > month.last_day >= p.created for p in area.care_plans
        )
    )
    _finds(
        lambda area, month: any(
            any(a is not None and a > month.last_day for a in p.agreements)
            and p.created <= month.last_day
            for p in area.care_plans
        )
    )


def test_an_engine_reading_past_the_end_is_caught(monkeypatch):
    import cypmh.metrics.engine as engine

    monkeypatch.setattr(engine, "as_at", lambda area, day: area)
    area, _ = _finds(
        lambda area, month: reference(area, month) != reference(cut(area, month.last_day), month)
    )
    assert area.referrals


def test_a_frame_engine_reading_past_the_end_is_caught(monkeypatch):
    pytest.importorskip("polars")
    import cypmh.metrics.frames.engine as engine

    monkeypatch.setattr(engine, "as_at_tables", lambda tables, day: tables)
    area, _ = _finds(
        lambda area, month: (
            closed_then_discharged(area, month)
            and frames(area, month) != frames(cut(area, month.last_day), month)
        )
    )
    assert area.referrals
