"""Drill-down: the members behind a value are the value's members, on both engines.

Hypothesis builds whole areas (the generic and the dense ones of
``test_engines_agree``) and random settings (:func:`run_settings`: intervention
codes, four-week cohort filters switched off, SDQ ages). For a drawn set of
metrics and a breakdown, under those settings:

- the reference engine's members and the dataframe engine's are the same
  records, with the same dates, values, numerator flags and levels;
- the members *are* the value: a count is the number of members, a
  percentage's numerator and denominator are the members flagged and all
  of them (for a weighted percentage, the sums of their values: LINK03's
  pupils), a median is the median of their values, at every level of the
  breakdown, against :func:`cypmh.metrics.compute` with no disclosure control;
- ``why`` says a referral counts in a population exactly when it is one of
  its members, and gives a reason of its own (not the fallback) whenever
  it does not.
"""

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.metrics import CATALOGUE, MetricOptions, compute
from cypmh.metrics.drilldown import members, members_frames, record_kind
from cypmh.metrics.explain import why
from cypmh.metrics.frames import SUPPORTED, tables_from_area
from cypmh.metrics.results import WHOLE_AREA, Aggregate
from cypmh.metrics.stats import median
from cypmh.pathways import (
    DFE_COLLECTION_AGES,
    PUBLISHED_STATISTICS_AGES,
    FourWeekCohort,
    InterventionCodes,
)
from cypmh.pathways.spells import four_week_spells
from tests.budget import examples
from tests.generative.test_engines_agree import cases, dense_cases

DRILLABLE = sorted(
    m
    for m in SUPPORTED
    if CATALOGUE[m].aggregate
    in (
        Aggregate.COUNT,
        Aggregate.PERCENTAGE,
        Aggregate.WEIGHTED_PERCENTAGE,
        Aggregate.MEDIAN,
        Aggregate.RATE_RATIO,
    )
)
"""The metrics whose value is read straight off their members (the others rest on these)."""


@st.composite
def run_settings(draw, area):
    """Random settings of the kind ``cypmh.toml`` or the command line give.

    Intervention codes are drawn from the procedures the area records (so that they can
    stop a clock) and the shipped two; cohort filters are switched off at random.
    """
    recorded = sorted(
        {p for c in area.contacts for p in c.procedures}
        | {a.procedure for a in area.indirect_activities if a.procedure}
        | InterventionCodes.default().codes
    )
    codes = draw(st.none() | st.lists(st.sampled_from(recorded), unique=True))
    off = draw(st.lists(st.sampled_from([*FourWeekCohort.FILTERS, "spell_start"]), unique=True))
    return MetricOptions(
        interventions=None if codes is None else InterventionCodes(frozenset(codes)),
        cohort=attrs.evolve(FourWeekCohort.default(), disabled=frozenset(off)) if off else None,
        sdq_age_rule=draw(st.sampled_from([DFE_COLLECTION_AGES, PUBLISHED_STATISTICS_AGES])),
    )


def check_members(backend, area, month, seed, chosen, breakdown, options=None):
    tables = tables_from_area(area, backend, shuffle=seed)
    for metric in chosen:
        definition = CATALOGUE[metric]
        reference = members(area, metric, month, options=options)
        frames = members_frames(tables, metric, month, options=options)
        assert reference == frames, f"{backend} {metric}"
        if definition.aggregate is Aggregate.RATE_RATIO:
            continue
        rows = compute(
            area,
            month,
            metrics=[metric],
            breakdowns=[breakdown] if breakdown in definition.breakdowns else [],
            disclosure="none",
            options=options,
        )
        for row in rows:
            mine = (
                reference
                if row.breakdown == WHOLE_AREA
                else [m for m in reference if dict(m.levels)[row.breakdown] == row.level]
            )
            if definition.aggregate is Aggregate.COUNT:
                assert row.value == len(mine), (metric, row)
            elif definition.aggregate is Aggregate.PERCENTAGE:
                assert row.denominator == len(mine), (metric, row)
                assert row.numerator == sum(m.numerator for m in mine), (metric, row)
            elif definition.aggregate is Aggregate.WEIGHTED_PERCENTAGE:
                weighted = [m for m in mine if m.value is not None]
                assert row.denominator == sum(m.value for m in weighted), (metric, row)
                assert row.numerator == sum(m.value for m in weighted if m.numerator), (metric, row)
            else:
                values = [m.value for m in mine if m.value is not None]
                assert row.value == (median(values) if values else None), (metric, row)


@st.composite
def drills(draw):
    case = draw(cases() | dense_cases())
    return (
        case,
        draw(st.lists(st.sampled_from(DRILLABLE), min_size=1, max_size=6, unique=True)),
        draw(st.sampled_from(["age_band", "sex", "provider", "social_care", "ethnicity"])),
        draw(run_settings(case[0])),
    )


@settings(max_examples=examples(30))
@given(drill=drills())
def test_members_agree_on_polars_and_are_the_value(drill):
    (area, month, seed), chosen, breakdown, options = drill
    check_members("polars", area, month, seed, chosen, breakdown, options)


@settings(max_examples=examples(10))
@given(drill=drills())
def test_members_agree_on_pandas(drill):
    (area, month, seed), chosen, breakdown, options = drill
    check_members("pandas", area, month, seed, chosen, breakdown, options)


@st.composite
def why_cases(draw):
    case = draw(cases() | dense_cases())
    return case, draw(run_settings(case[0]))


@settings(max_examples=examples(40))
@given(drawn=why_cases())
def test_why_counts_exactly_the_members_and_always_says_why_not(drawn):
    (area, month, _), options = drawn
    for referral in area.referrals:
        findings = why(area, referral.referral_id, month, options=options)
        if referral.received_date > month.last_day:
            assert len(findings) == 1
            assert "after the period end" in findings[0].reason
            continue
        for finding in findings:
            if finding.counts:
                assert not finding.reason
            else:
                assert finding.reason, finding
                # The family's own explain named the reason; it did not fall back on the docstring.
                assert not finding.reason.startswith("not among"), finding
            kind = record_kind(finding.family, finding.population)
            if finding.family == "access" or kind not in ("referral", "spell", "contact"):
                continue
            metric = finding.metric_ids[0]
            records = {m.record for m in members(area, metric, month, options=options)}
            assert finding.counts == bool(records & mine(area, referral, month, kind, options))


def mine(area, referral, month, kind, options):
    """The records that stand for ``referral`` in a population of ``kind``, worked out apart.

    A spell is named by its person, provider and start (two children's spells at one
    provider can start on one day); it holds the referral when the referral, as at the
    period end, is one of its referrals.
    """
    if kind == "referral":
        return {referral.referral_id}
    if kind == "contact":
        return {c.contact_id for c in area.contacts_of(referral.referral_id)}
    built = four_week_spells(area, month.last_day, cohort=options.cohort)
    return {
        f"{s.person_id}/{s.provider_code}/{s.start.isoformat()}"
        for s in built.spells
        if referral.referral_id in s.referral_ids
    }


@settings(max_examples=examples(20))
@given(case=cases() | dense_cases())
def test_the_people_of_each_population_are_the_same_on_both_engines(case):
    """``population_people`` (what a report's notes on rejected rows read): on tables each
    family is built once and only its people collected; on an area, each population's members
    are listed. Both must name the same people for every population."""
    from cypmh.metrics.people import population_people

    area, month, seed = case
    metrics = [m for m in SUPPORTED if CATALOGUE[m].aggregate is not Aggregate.EXPECTED]
    expected = population_people(area, month, metrics)
    got = population_people(tables_from_area(area, "polars", shuffle=seed), month, metrics)
    assert got == expected
    assert set(expected) == set(metrics)
