"""Generative tests: the dataframe engine on each backend agrees with the reference engine.

As in ehrQL: Hypothesis builds whole areas (``cypmh.testing.strategies``),
and for every metric the frame engine supports, with every breakdown, the
rows from the dataframe engine must equal the reference engine's: counts
exactly, floats within 1e-9. Each backend's tables are shuffled with a
drawn seed, so nothing can rely on the order rows were written in.
"""

import math
import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh import (
    Area,
    AssessmentFactor,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    IndirectActivity,
    LinkContact,
    Referral,
    School,
    SdqReturn,
    WellbeingAssessment,
)
from cypmh.codes import AttendStatus, ClinicalPriority, SdqReason, assessment_tools
from cypmh.metrics import BREAKDOWNS, MetricOptions, compute
from cypmh.metrics.families import last_31_march
from cypmh.metrics.frames import SUPPORTED, compute_frames, tables_from_area
from cypmh.need.deprivation import Deprivation
from cypmh.need.group_population import GroupPopulation
from cypmh.need.population import Population
from cypmh.pathways.looked_after import add_months
from cypmh.periods import Month
from cypmh.tables.coded import as_categories, code_ids
from cypmh.testing import strategies as cst
from tests.budget import examples

months = st.builds(Month, year=st.integers(2018, 2026), month=st.integers(1, 12))

# Each example computes every metric with all seven breakdowns. Most of the
# time goes into planning queries, not running them, so it hardly depends on
# the data: about 4 s an example on Polars, 2 s on pandas, 7 s on DuckDB,
# 80 s on SQLFrame (whose sqlglot trees are copied at every step) and about a
# minute on PySpark. The slower backends run fewer examples; SQLFrame is also
# checked on the whole demo area below.
EXAMPLES = {"polars": 25, "pandas": 12, "duckdb": 6, "sqlframe": 2, "spark": 3}


@st.composite
def cases(draw):
    """An area dense around a reporting month, the month, and a shuffle seed."""
    month = draw(months)
    area = draw(cst.areas(max_children=5, max_referrals=3, max_contacts=5, period=month))
    return area, month, draw(st.integers(0, 2**16))


# Outcome scales for the dense areas: the self- and parent-rated RCADS depression
# codes share one preferred term (so a pair's tool depends on the tie rule), a
# scale that is better when higher (ORS), one scored raw (PHQ-9), and a clinician-
# and a parent-rated scale (CGAS, better when higher, and a HoNOSCA parent scale),
# so that every rater's pairs have members.
OUTCOME_TOOLS = sorted(
    (
        t
        for t in assessment_tools().values()
        if t.in_cyp_outcomes
        and (
            t.preferred_term.startswith(
                "RCADS (Revised Childrens Anxiety and Depression Scale) - D"
            )
            or t.preferred_term
            in {
                "Outcome Rating Scale total score",
                "Patient health questionnaire 9 score",
                "Childrens global assessment scale score",
            }
            or t.snomed_code == "989881000000104"  # HoNOSCA, parent-rated, scale 1
        )
    ),
    key=lambda t: t.snomed_code,
)


WEIGHTED_TOOLS = OUTCOME_TOOLS + 3 * [t for t in OUTCOME_TOOLS if t.rater.value != "Self"]
"""The scales a referral's scores come from: parent- and clinician-rated ones as often as
self-rated ones, so that every rater's pairs have members in a few dozen areas."""


def _scores(tool):
    """Four scores of ``tool`` within its range, far enough apart to change its band."""
    low, high = tool.min_score, tool.max_score
    return sorted({low, min(high, low + 3), min(high, low + 12), min(high, low + 20), high})


URN = "100001"
"""The dense areas' one school."""

ASD_ASSESSMENT = "1085671000000109"
"""An intervention code cypmh ships (the four-week clock's default set)."""


@st.composite
def dense_cases(draw):
    """Areas where outcomes, SDQ and LAC01 have members: the area, the reporting month, a seed.

    The generic areas rarely discharge a referral in the month with two counted
    contacts and paired scores, or keep a child in care for a whole year. Here
    every referral ends near the month, dates and scores come from short lists
    so that same-day and same-value ties are common, and each child may have a
    period of care that began a year or more before the SDQ year's end.
    """
    month = draw(months)
    end = month.last_day
    few_days = [month.first_day - timedelta(days=d) for d in (0, 1, 40, 90, 200)]
    # Received in the month, or up to two years and more before it (MRS09's long waits).
    receipts = [month.first_day, *few_days[2:], *(end - timedelta(days=d) for d in (600, 800))]
    children, referrals, contacts, indirect, scores = [], [], [], [], []
    episodes, sdqs, wellbeing, plans, factors = [], [], [], [], []
    for i in range(draw(st.integers(1, 4))):
        pid = f"P{i}"
        # One child in five a young adult (18-24 at the month's end: MHS109's people).
        if draw(st.integers(0, 4)) == 4:
            birth = draw(st.dates(end - timedelta(days=25 * 365), end - timedelta(days=18 * 365)))
        else:
            birth = draw(st.dates(end - timedelta(days=18 * 365), end - timedelta(days=3 * 365)))
        children.append(
            Child(
                person_id=pid,
                birth_date=birth,
                gender=draw(st.sampled_from(["1", "2", "9", None])),
                la_district=draw(st.sampled_from([None, "E08000001", "E08000001", "W06000001"])),
                school_urn=draw(st.sampled_from([None, URN])),
                lsoa=draw(st.sampled_from([None, *LSOAS])),
                lsoa2021=draw(st.sampled_from([None, *LSOAS])),
            )
        )
        receipts_here = []
        for j in range(draw(st.integers(0, 2))):
            rid = f"R{i}{j}"
            received = draw(st.sampled_from(receipts))
            if received < birth:
                continue
            discharge = draw(
                st.sampled_from(
                    [end, month.first_day, month.first_day, end + timedelta(days=1), None]
                )
            )
            rejected = draw(st.sampled_from([None, None, None, received, month.first_day]))
            referrals.append(
                Referral(
                    referral_id=rid,
                    person_id=pid,
                    provider_code=draw(st.sampled_from(["RXT", "R1A"])),
                    received_date=received,
                    # Eating-disorder referrals (reason 12, with a priority), referrals from a
                    # school (C2): the ED waits and LINK02 read them.
                    source=draw(st.sampled_from([None, None, "C2"])),
                    primary_reason=draw(st.sampled_from([None, "12"])),
                    priority=draw(st.sampled_from([None, *ClinicalPriority])),
                    team_type=draw(st.sampled_from([None, "C01", "C01", "A14"])),
                    rejection_date=rejected,
                    discharge_date=None
                    if rejected and discharge and discharge < rejected
                    else discharge,
                )
            )
            receipts_here.append(received)
            # The months' days after receipt, and days after it: waits within 4 weeks, and of 4
            # to 12 (35 days), which the ED wait bands count.
            soon = [received + timedelta(days=d) for d in (0, 5, 20, 35)]
            inside = sorted({d for d in [*few_days, *soon] if received <= d <= end})
            for k in range(draw(st.integers(1, 5))):
                contacts.append(
                    Contact(
                        contact_id=f"C{i}{j}{k}",
                        referral_id=rid,
                        person_id=pid,
                        date=draw(st.sampled_from(inside)),
                        attend_status=draw(
                            st.sampled_from(
                                [AttendStatus.ATTENDED_ON_TIME] * 2 + [AttendStatus.DID_NOT_ATTEND]
                            )
                        ),
                        consultation_mechanism=draw(
                            st.sampled_from(["01", "01", "02", "05", None])
                        ),
                        # Family therapy, a NICE-concordant eating-disorder treatment.
                        procedures=draw(st.sampled_from([(), (), ("51484002",)])),
                    )
                )
            if draw(st.booleans()):
                # Now and then coded with an intervention (an ASD assessment), which stops
                # NHS England's four-week clock but not WAIT08's.
                indirect.append(
                    IndirectActivity(
                        referral_id=rid,
                        person_id=pid,
                        date=draw(st.sampled_from(inside)),
                        procedure=draw(st.sampled_from([None, None, ASD_ASSESSMENT])),
                    )
                )
            # One or two scales a referral, so that its scores pair.
            tools = draw(st.lists(st.sampled_from(WEIGHTED_TOOLS), min_size=1, max_size=2))
            for _ in range(draw(st.integers(0 if discharge is None else 2, 8))):
                tool = draw(st.sampled_from(tools))
                scores.append(
                    CodedAssessment(
                        referral_id=rid,
                        person_id=pid,
                        tool_code=tool.snomed_code,
                        score=float(draw(st.sampled_from(_scores(tool)))),
                        date=draw(st.sampled_from(inside)),
                    )
                )
        # A care plan, agreed or not, updated or not: with a counted contact and a
        # baseline score it stops the four-week clock (MRS08). NHS England counts a plan
        # from its last update, so one never updated never counts.
        if draw(st.booleans()):
            # Near the start of one of the child's referrals, or on a day of the months before.
            near = [d + timedelta(days=5) for d in receipts_here if d + timedelta(days=5) <= end]
            created = draw(st.sampled_from(few_days + near))
            plans.append(
                CarePlan(
                    care_plan_id=f"CP{i}",
                    person_id=pid,
                    plan_type="12",
                    created=created,
                    last_updated=draw(st.sampled_from([None, created, created + timedelta(10)])),
                    agreements=(draw(st.sampled_from([None, created])),),
                )
            )
        # Assessment factors about the child's mental health (4A, 15A) or not (4B, 21), on
        # the edges of CIN01's window (the 12 months ending 12 months before the month's
        # end) and 10 days before a contact of the receipts 600 days back (CIN01a's seen).
        cohort = (add_months(month.first_day, -23), add_months(month.first_day, -11))
        edges = [cohort[0] - timedelta(days=1), cohort[0], add_months(end, -18)]
        edges += [cohort[1] - timedelta(days=1), cohort[1], end - timedelta(days=610)]
        for day, code in draw(
            st.lists(
                st.tuples(st.sampled_from(edges), st.sampled_from(["4A", "15A", "4B", "21"])),
                max_size=2,
                unique=True,
            )
        ):
            if day >= birth:
                factors.append(AssessmentFactor(person_id=pid, date=day, factor=code))
        if draw(st.integers(0, 3)) > 0:
            year_end = last_31_march(end)
            start = draw(
                st.sampled_from(
                    [
                        add_months(year_end, -13),
                        add_months(end, -7),
                        add_months(end, -6),
                        add_months(end, -18),
                    ]
                )
            )
            if start >= birth:
                episodes.append(
                    CareEpisode(
                        person_id=pid,
                        start=start,
                        end=draw(st.sampled_from([None, end, start + timedelta(days=100)])),
                    )
                )
                # The undated OC2 return, and dated SDQs on the days either side of the
                # year's edges (the previous 31 March is last year's; 1 April is this year's).
                days = [None] if draw(st.integers(0, 3)) > 0 else []
                days += draw(
                    st.lists(
                        st.sampled_from(
                            [
                                add_months(year_end, -12),
                                add_months(year_end, -12) + timedelta(days=1),
                                add_months(year_end, -5),
                                year_end,
                                year_end + timedelta(days=1),
                            ]
                        ),
                        max_size=3,
                        unique=True,
                    )
                )
                for day in days:
                    score = draw(st.sampled_from([3, 14, 16, 30, None]))
                    sdqs.append(
                        SdqReturn(person_id=pid, score=score, date=day)
                        if score is not None
                        else SdqReturn(person_id=pid, reason=next(iter(SdqReason)), date=day)
                    )
                for months_in in draw(st.lists(st.sampled_from([1, 3, 4, 5, 6, 7]), max_size=2)):
                    wellbeing.append(
                        WellbeingAssessment(person_id=pid, date=add_months(start, months_in))
                    )
    area = Area(
        name="dense",
        children=tuple(children),
        referrals=tuple(referrals),
        contacts=tuple(contacts),
        indirect_activities=tuple(indirect),
        assessments=tuple(scores),
        care_episodes=tuple(episodes),
        sdq_returns=tuple(sdqs),
        wellbeing_assessments=tuple(wellbeing),
        assessment_factors=tuple(factors),
        care_plans=tuple(plans),
        schools=(School(urn=URN, name="A school"),),
        link_contacts=tuple(
            LinkContact(school_urn=URN, provider_code="RXT", start=few_days[-1])
            for _ in range(draw(st.integers(0, 1)))
        ),
    )
    return area, month, draw(st.integers(0, 2**16))


def same(reference, frames):
    """Whether two result rows agree: equal fields, floats within 1e-9."""
    for field in ("metric_id", "breakdown", "level", "unit", "numerator", "denominator", "base"):
        if getattr(reference, field) != getattr(frames, field):
            return False
    for field in ("value", "lower_ci", "upper_ci"):
        a, b = getattr(reference, field), getattr(frames, field)
        if (a is None) != (b is None):
            return False
        if a is not None and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return False
    return True


LSOAS = ("E01000001", "E01000002", "E01000003", "E01035001")
"""The LSOAs the areas' children live in (cypmh.testing.records draws from the same few)."""


def deprivation_of(seed):
    """A made-up deprivation file of ``seed``: IoD2019 or IoD2025, one LSOA left out."""
    rng = random.Random(seed)
    codes = sorted({*LSOAS, "E01000004", "E01035002"})
    kept = rng.sample(codes, len(codes) - 1)
    release = "IoD2019" if seed % 2 else "IoD2025"
    return Deprivation(release=release, deciles={code: rng.randint(1, 10) for code in kept})


def population_of(seed):
    """A population for the metrics that need one: each age 0-17 of each sex, from ``seed``."""
    rng = random.Random(seed)
    counts = {(age, sex): rng.randint(0, 400) for age in range(19) for sex in ("male", "female")}
    return Population(counts=counts, source="generated")


def group_population_of(seed):
    """A population by group for the standardised rates: some cells 0, some missing."""
    rng = random.Random(f"groups:{seed}")
    groups = [("ethnic_category", code) for code in ("A", "C", "H", "N", "S")]
    groups += [("imd_decile", str(decile)) for decile in range(1, 11)]
    counts = {
        (group, code, age, sex): rng.choice((0, rng.randint(1, 300)))
        for group, code in groups
        for age in range(19)
        for sex in ("male", "female")
        if rng.random() < 0.9
    }
    return GroupPopulation(counts=counts, source="generated")


def check(backend, area, month, seed, *, coded=False):
    metrics = sorted(SUPPORTED)
    breakdowns = tuple(BREAKDOWNS)
    options = MetricOptions(
        population=population_of(seed),
        deprivation=deprivation_of(seed),
        population_groups=group_population_of(seed),
    )
    expected = compute(
        area, month, metrics=metrics, breakdowns=breakdowns, disclosure="none", options=options
    )
    tables = tables_for(area, backend, seed, coded=coded)
    got = compute_frames(
        tables, month, metrics=metrics, breakdowns=breakdowns, disclosure="none", options=options
    )
    assert_same_rows(expected, got, backend)


def tables_for(area, backend, seed, *, coded=False):
    """The area's tables on ``backend``, shuffled by ``seed``; ``coded`` as a coded reading."""
    tables = tables_from_area(area, backend, shuffle=seed)
    if coded:  # as a coded reading holds them: ids numbers, codes categories
        tables = {name: as_categories(t, name) for name, t in code_ids(tables).items()}
    return tables


def assert_same_rows(expected, got, backend):
    """The dataframe engine's rows ``got`` are the reference's ``expected``, one by one."""
    assert len(got) == len(expected)
    for reference, frames in zip(expected, got, strict=True):
        assert same(reference, frames), f"{backend}:\n reference {reference}\n frames    {frames}"


def backend_test(backend, *marks):
    @settings(max_examples=examples(EXAMPLES[backend]))
    @given(case=cases() | dense_cases())
    def test(case):
        check(backend, *case)

    test.__name__ = f"test_{backend}_agrees_with_reference"
    test.__doc__ = f"The dataframe engine on {backend} gives the reference engine's rows."
    for mark in marks:
        test = mark(test)
    return test


test_polars_agrees_with_reference = backend_test("polars")
test_pandas_agrees_with_reference = backend_test("pandas")
test_duckdb_agrees_with_reference = backend_test("duckdb")
# SQLFrame on DuckDB stands in for the PySpark DataFrame API in `make test`.
test_sqlframe_agrees_with_reference = backend_test("sqlframe")
# Real PySpark in local mode: `make test-spark`, and CI.
test_spark_agrees_with_reference = backend_test("spark", pytest.mark.spark)


@settings(max_examples=examples(EXAMPLES["polars"]))
@given(case=cases() | dense_cases())
def test_polars_with_coded_ids_agrees_with_reference(case):
    """With every id a whole number and every code a category (cypmh.tables.coded), as a
    coded reading holds them, Polars still gives the reference rows.

    The ids' numbers keep their order, so every tie broken by the smaller id
    (MHS95's earliest contact, a pair's latest score) picks the same row.
    """
    check("polars", *case, coded=True)


def test_sqlframe_agrees_on_the_demo_area():
    """The demo area (every family has members) gives the reference rows on SQLFrame too."""
    from cypmh.synth.area import DEMO_PERIOD, demo_area

    check("sqlframe", demo_area(), Month.parse(DEMO_PERIOD), 7)
