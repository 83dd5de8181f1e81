"""Each building block's two versions, side by side in one module, give the same answer.

The object version of a block reads records; its frame twin reads the dataframe
engine's tables. The engines-agree tests hold whole metrics equal; these hold the
blocks themselves equal, on every backend the tests install, so that a change to
one twin that the other lacks fails here with the block's name.
"""

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.codes import ClinicalPriority
from cypmh.model import CareEpisode, Child, Referral
from cypmh.pathways import FourWeekCohort
from cypmh.pathways.looked_after import periods_of_care, periods_of_care_frame
from tests.budget import examples
from tests.generative.test_engines_agree import cases, dense_cases

EPOCH = date(1970, 1, 1)


@st.composite
def episodes(draw):
    """Care episodes of up to three children, overlapping, touching, apart and open."""
    found = []
    for person in ("P0", "P1", "P2")[: draw(st.integers(1, 3))]:
        start = date(2024, 1, 1)
        for _ in range(draw(st.integers(1, 5))):
            length = draw(st.sampled_from([None, 0, 1, 7, 30]))
            end = None if length is None else start + timedelta(days=length)
            found.append(CareEpisode(person_id=person, start=start, end=end))
            # The next one starts inside this one, on its last day, the day after (apart:
            # a new period), or later.
            step = draw(st.sampled_from([-1, 0, 1, 2, 40]))
            start = (end or start) + timedelta(days=step) if end else start + timedelta(days=3)
    draw(st.randoms()).shuffle(found)  # the order of the records must not matter
    return found


def _day(value):
    return (value - EPOCH).days if value is not None else None


def _frame(backend, found):
    import polars as pl

    native = pl.DataFrame(
        {
            "person_id": [e.person_id for e in found],
            "start": [_day(e.start) for e in found],
            "start_ymd": [int(e.start.strftime("%Y%m%d")) for e in found],
            "end": [_day(e.end) for e in found],
        },
        schema={"person_id": pl.String, "start": pl.Int64, "start_ymd": pl.Int64, "end": pl.Int64},
    )
    return _native(backend, native)


def _native(backend, native):
    """A Polars frame as a lazy narwhals frame of ``backend``."""
    import narwhals as nw

    if backend == "pandas":
        return nw.from_native(native.to_pandas(use_pyarrow_extension_array=False)).lazy()
    if backend == "duckdb":
        import duckdb

        return nw.from_native(duckdb.from_arrow(native.to_arrow()))
    return nw.from_native(native.lazy())


@pytest.mark.parametrize("backend", ["polars", "pandas", "duckdb"])
@settings(max_examples=examples(60), deadline=None)
@given(found=episodes())
def test_periods_of_care_twins_agree(backend, found):
    expected = sorted(
        (p.person_id, _day(p.start), _day(p.end))
        for person in sorted({e.person_id for e in found})
        for p in periods_of_care([e for e in found if e.person_id == person])
    )
    frame = periods_of_care_frame(_frame(backend, found)).collect().to_polars()
    got = sorted(
        (row["person_id"], row["start"], None if row["end"] is None else int(row["end"]))
        for row in frame.iter_rows(named=True)
    )
    assert got == expected


@st.composite
def contact_rows(draw):
    """Contacts of every attendance, mechanism (known, retired, unknown) and provider."""
    from cypmh.codes import AttendStatus
    from cypmh.model import Contact

    found = []
    for i in range(draw(st.integers(1, 12))):
        found.append(
            (
                Contact(
                    contact_id=f"C{i}",
                    referral_id="R1",
                    person_id="P1",
                    date=draw(st.dates(date(2020, 1, 1), date(2026, 12, 31))),
                    attend_status=draw(st.sampled_from(list(AttendStatus))),
                    consultation_mechanism=draw(
                        st.sampled_from(
                            [None, "01", "02", "03", "04", "05", "06", "09", "11", "12"]
                        )
                    ),
                ),
                draw(st.sampled_from(["RXT", "DFC", "S9X2N"])),
            )
        )
    return found


@pytest.mark.parametrize("backend", ["polars", "pandas", "duckdb"])
@settings(max_examples=examples(60), deadline=None)
@given(rows=contact_rows(), digital=st.sampled_from([frozenset(), frozenset({"DFC", "S9X2N"})]))
def test_counted_contact_twins_agree(backend, rows, digital):
    import narwhals as nw
    import polars as pl

    from cypmh.pathways import ContactRule
    from cypmh.periods import uniq_month_id

    rule = ContactRule(digital_providers=digital)
    expected = [rule.counts(contact, provider) for contact, provider in rows]
    native = pl.DataFrame(
        {
            "attend_status": [c.attend_status.value for c, _ in rows],
            "consultation_mechanism": [c.consultation_mechanism for c, _ in rows],
            "provider_code": [p for _, p in rows],
            "month": [uniq_month_id(c.date) for c, _ in rows],
            "row": list(range(len(rows))),
        },
        schema={
            "attend_status": pl.String,
            "consultation_mechanism": pl.String,
            "provider_code": pl.String,
            "month": pl.Int64,
            "row": pl.Int64,
        },
    )
    frame = _native(backend, native)
    got = (
        frame.with_columns(rule.counts_frame(nw.col("month")).fill_null(False).alias("counted"))
        .sort("row")
        .select("counted")
        .collect()
        .to_polars()["counted"]
        .to_list()
    )
    assert got == expected


@pytest.mark.parametrize("backend", ["polars", "pandas", "duckdb"])
@settings(max_examples=examples(100), deadline=None)
@given(case=st.data())
def test_cyp_cohort_twins_agree(backend, case):
    from cypmh.metrics.blocks.bases import FrameContext
    from cypmh.metrics.blocks.settle import Settled
    from cypmh.metrics.families.members import Context, cyp_referrals, cyp_referrals_frame
    from cypmh.metrics.frames import prepare_tables, tables_from_area
    from cypmh.metrics.options import MetricOptions
    from cypmh.model.asat import as_at, as_at_tables
    from cypmh.tables.exprs import day_number

    area, month, _ = case.draw(cases() | dense_cases())
    english = case.draw(st.booleans())
    ctx = Context(area=as_at(area, month.last_day), month=month, options=MetricOptions())
    expected = sorted(r.referral_id for r, _ in cyp_referrals(ctx, english=english))
    prepared = prepare_tables(tables_from_area(area, backend))
    frame_ctx = FrameContext(
        tables=Settled(as_at_tables(prepared, day_number(month.last_day))),
        month=month,
        options=MetricOptions(),
    )
    got = cyp_referrals_frame(frame_ctx, english=english).select("referral_id").collect()
    assert sorted(got.to_polars()["referral_id"].to_list()) == expected


@st.composite
def cohort_rows(draw):
    """Referrals with their children, across every four-week cohort filter's values."""
    cohort = FourWeekCohort.default()
    teams = sorted(
        {None, "C01", "A14", *cohort.spa_team_types, *cohort.eip_team_types}
        | set(cohort.excluded_team_types)
        | set(cohort.eating_disorder_allowed_team_types),
        key=str,
    )
    reasons = sorted(
        {None, "01", *cohort.eating_disorder_reasons, *cohort.psychosis_reasons}, key=str
    )
    rows = []
    for i in range(draw(st.integers(1, 10))):
        received = date(2025, 1, 1)
        child = Child(
            person_id=f"P{i}",
            birth_date=received - timedelta(days=draw(st.integers(0, 25 * 365))),
            la_district=draw(st.sampled_from([None, "", "E08000001", "W06000001"])) or None,
        )
        referral = Referral(
            referral_id=f"R{i}",
            person_id=child.person_id,
            provider_code=draw(st.sampled_from(["RXT", *sorted(cohort.digital_providers)])),
            received_date=received,
            team_type=draw(st.sampled_from(teams)),
            primary_reason=draw(st.sampled_from(reasons)),
            priority=draw(st.sampled_from([None, *ClinicalPriority])),
        )
        rows.append((referral, child))
    disabled = draw(st.frozensets(st.sampled_from(cohort.FILTERS)))
    return rows, attrs.evolve(cohort, disabled=disabled)


@pytest.mark.parametrize("backend", ["polars", "pandas", "duckdb"])
@settings(max_examples=examples(100), deadline=None)
@given(drawn=cohort_rows())
def test_four_week_cohort_twins_agree(backend, drawn):
    import polars as pl

    rows, cohort = drawn
    expected = [cohort.exclusion(referral, child) is not None for referral, child in rows]
    native = pl.DataFrame(
        {
            "row": list(range(len(rows))),
            "referral_id": [r.referral_id for r, _ in rows],
            "provider_code": [r.provider_code for r, _ in rows],
            "team_type": [r.team_type for r, _ in rows],
            "primary_reason": [r.primary_reason for r, _ in rows],
            "priority": [r.priority.value if r.priority else None for r, _ in rows],
            "received_date_ymd": [int(r.received_date.strftime("%Y%m%d")) for r, _ in rows],
            "birth_date_ymd": [int(c.birth_date.strftime("%Y%m%d")) for _, c in rows],
            "la_district": [c.la_district for _, c in rows],
        },
        schema={
            "row": pl.Int64,
            "referral_id": pl.String,
            "provider_code": pl.String,
            "team_type": pl.String,
            "primary_reason": pl.String,
            "priority": pl.String,
            "received_date_ymd": pl.Int64,
            "birth_date_ymd": pl.Int64,
            "la_district": pl.String,
        },
    )
    frame = _native(backend, native)
    got = (
        frame.with_columns(cohort.excluded_frame().fill_null(False).alias("out"))
        .sort("row")
        .select("out")
        .collect()
        .to_polars()["out"]
        .to_list()
    )
    assert got == expected


@given(st.one_of(cases(), dense_cases()))
@settings(max_examples=examples(60), deadline=None)
def test_thrive_open_referral_twins_agree(case):
    """THR01's open referral (the clause NOT_ENDED, read as at the period end), the THRIVE
    timeline's (:func:`cypmh.thrive.children_with_open_referral`, which ``distribution``
    and ``flow_matrix`` read) and a journey's state name the same children on the period end.

    It found the timeline ending a referral at its discharge where it had been rejected
    earlier (it read ``Referral.end_date``, the spells' COALESCE), so a child rejected in
    the month and discharged after it counted as open.

    The two live in layers that do not import each other (``thrive`` sits below the
    clauses' readers); this holds them equal instead.
    """
    from cypmh import clauses as cl
    from cypmh.metrics.families.thrive import NOT_ENDED
    from cypmh.model.asat import as_at
    from cypmh.pathways import JourneyState, journey_of
    from cypmh.thrive import children_with_open_referral

    area, month, _ = case
    on = month.last_day
    seen = as_at(area, on)
    by_clause = {r.person_id for r in seen.referrals if cl.holds(NOT_ENDED, r, month)}
    assert children_with_open_referral(area, on) == by_clause
    ended = {JourneyState.NOT_YET_RECEIVED, JourneyState.REJECTED, JourneyState.CLOSED}
    by_journey = {
        r.person_id
        for r in area.referrals
        if journey_of(area, r.referral_id).state_on(on) not in ended
    }
    assert by_journey == by_clause


@st.composite
def indirect_rows(draw):
    """Indirect activity of two referrals over three days, at two times or none, repeated."""
    from cypmh.model import IndirectActivity

    return [
        IndirectActivity(
            referral_id=draw(st.sampled_from(["R1", "R2"])),
            person_id="P1",
            date=date(2024, 1, draw(st.integers(1, 3))),
            time=draw(st.sampled_from([None, "09:00:00", "14:30:00"])),
        )
        for _ in range(draw(st.integers(0, 10)))
    ]


@pytest.mark.parametrize("backend", ["polars", "pandas", "duckdb"])
@settings(max_examples=examples(60), deadline=None)
@given(found=indirect_rows())
def test_distinct_indirect_twins_agree(backend, found):
    """One activity a referral, day and time (missing times together) on both twins."""
    import polars as pl

    from cypmh.pathways import distinct_indirect, distinct_indirect_frame

    expected = sorted((a.referral_id, _day(a.date), a.time or "") for a in distinct_indirect(found))
    native = pl.DataFrame(
        {
            "referral_id": [a.referral_id for a in found],
            "date": [_day(a.date) for a in found],
            "time": [a.time for a in found],
        },
        schema={"referral_id": pl.String, "date": pl.Int64, "time": pl.String},
    )
    frame = distinct_indirect_frame(_native(backend, native)).collect().to_polars()
    got = sorted(
        (row["referral_id"], row["date"], row["time"] or "") for row in frame.iter_rows(named=True)
    )
    assert got == expected
    # The count of each referral and day never grows, and a day with activity keeps one.
    assert {(r, d) for r, d, _ in got} == {(a.referral_id, _day(a.date)) for a in found}
