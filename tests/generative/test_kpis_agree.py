"""Generative tests: a KPI an area declares gives the same rows on every engine.

Hypothesis draws whole areas (as the engine-agreement tests do, dense ones too) and a
handful of random declared KPIs: a random base, window, value (count, percentage,
median, 90th percentile), random condition trees over the base's columns for
``where`` and ``numerator`` (``cypmh.testing.clauses.conditions``), a days-between of
two of the base's dates for ``of``, and sometimes a ``by`` column. Every engine must
give the reference engine's rows with every breakdown the KPI has, and with ids coded
as a coded reading holds them; the reference engine's whole-area value must be the
plain reading of the KPI over the base's rows (``kpi_value``); and every engine must
name the same members.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh import clauses as cl
from cypmh.metrics import MetricOptions, compute, members
from cypmh.metrics.definition import DeclaredKpi
from cypmh.metrics.drilldown import month_frames
from cypmh.metrics.families import Context
from cypmh.metrics.frames import tables_from_area
from cypmh.metrics.kpis import BASES, VALUES, kpi_value
from cypmh.metrics.kpis.frames import ANCHOR, base_frame
from cypmh.metrics.kpis.rows import rows_of
from cypmh.model.asat import as_at
from cypmh.tables.exprs import day_number
from cypmh.tables.schema import Kind
from cypmh.testing.clauses import conditions
from tests.budget import examples
from tests.generative.test_engines_agree import assert_same_rows, cases, dense_cases, tables_for

# A handful of KPIs an example; Polars takes about 1 s for one, DuckDB 3 s.
EXAMPLES = {"polars": 30, "pandas": 12, "duckdb": 8}


@st.composite
def declared_kpis(draw, index):
    """One random KPI, ``K<index>``, as read_kpis would make it."""
    name = draw(st.sampled_from(sorted(BASES)))
    base = BASES[name]
    kinds = base.kinds()
    dates = sorted(n for n, k in kinds.items() if k is Kind.DATE)
    value = draw(st.sampled_from(VALUES))
    where = draw(conditions(kinds, max_leaves=3))
    numerator = draw(conditions(kinds, max_leaves=3)) if value == "percentage" else None
    of = None
    if value in ("median", "p90"):
        of = cl.DaysBetween(
            cl.Column(draw(st.sampled_from(dates))), cl.Column(draw(st.sampled_from(dates)))
        )
    coded = sorted(n for n, k in kinds.items() if k in (Kind.TEXT, Kind.INTEGER))
    by = draw(st.none() | st.sampled_from(coded))
    return DeclaredKpi(
        id=f"K{index}",
        name=f"drawn KPI {index}",
        base=name,
        months=draw(st.sampled_from((1, 3, 12))),
        date=draw(st.sampled_from(dates)),
        where=where,
        value=value,
        numerator=numerator,
        of=of,
        by=by,
        records=base.records,
        breakdowns=(*base.breakdowns, *(("by",) if by else ())),
        inputs=base.reads,
    )


@st.composite
def kpi_sets(draw):
    """One to three random KPIs, over one base or several."""
    return tuple(draw(declared_kpis(i)) for i in range(draw(st.integers(1, 3))))


def check(backend, case, kpis, *, coded=False):
    area, month, seed = case
    options = MetricOptions(kpis=kpis)
    ids = [k.id for k in kpis]
    breakdowns = sorted({b for k in kpis for b in k.breakdowns})
    expected = compute(
        area, month, metrics=ids, breakdowns=breakdowns, disclosure="none", options=options
    )
    tables = tables_for(area, backend, seed, coded=coded)
    got = compute(
        tables, month, metrics=ids, breakdowns=breakdowns, disclosure="none", options=options
    )
    assert_same_rows(expected, got, backend)
    # The whole area's value is the plain reading of the KPI over its base's rows.
    for kpi in kpis:
        whole = next(r for r in expected if r.metric_id == kpi.id and r.breakdown == "Total")
        plain = kpi_value(area, kpi, month)
        assert whole.value == plain.value or (
            whole.value is not None
            and plain.value is not None
            and abs(whole.value - plain.value) < 1e-9
        ), cl.words(kpi.member)


def backend_test(backend):
    @settings(max_examples=examples(EXAMPLES[backend]), deadline=None)
    @given(case=cases() | dense_cases(), kpis=kpi_sets())
    def test(case, kpis):
        check(backend, case, kpis)

    test.__name__ = f"test_declared_kpis_on_{backend}_agree_with_reference"
    test.__doc__ = f"Random declared KPIs on {backend} give the reference engine's rows."
    return test


test_declared_kpis_on_polars_agree_with_reference = backend_test("polars")
test_declared_kpis_on_pandas_agree_with_reference = backend_test("pandas")
test_declared_kpis_on_duckdb_agree_with_reference = backend_test("duckdb")


@settings(max_examples=examples(EXAMPLES["polars"]), deadline=None)
@given(case=cases() | dense_cases(), kpis=kpi_sets())
def test_declared_kpis_with_coded_ids_agree_with_reference(case, kpis):
    """With ids numbers and codes categories, as a coded reading holds them."""
    check("polars", case, kpis, coded=True)


@settings(max_examples=examples(15), deadline=None)
@given(case=cases() | dense_cases(), kpi=declared_kpis(0))
def test_every_engine_names_a_declared_kpis_members(case, kpi):
    """``members`` of a declared KPI: the same records, levels and numerators on each engine."""
    area, month, seed = case
    options = MetricOptions(kpis=(kpi,))
    expected = members(area, kpi.id, month, options=options)
    for backend in ("polars", "duckdb"):
        tables = tables_from_area(area, backend, shuffle=seed)
        got = members(tables, kpi.id, month, options=options)
        assert got == expected, backend


def test_a_declared_kpi_with_an_id_the_catalogue_uses_is_refused():
    """An id the catalogue uses cannot be declared (here MHS95, its own definition)."""
    from cypmh.errors import InvalidValueError
    from cypmh.synth.examples import example_area

    kpi = DeclaredKpi(
        id="MHS95",
        name="clash",
        base="children",
        months=1,
        date="care_start",
        where=cl.IsNull(cl.Column("care_start")),
        value="count",
        breakdowns=BASES["children"].breakdowns,
    )
    with pytest.raises(InvalidValueError, match="MHS95"):
        compute(example_area(), "2025-03", metrics=["MHS95"], options=MetricOptions(kpis=(kpi,)))


def _plain(found, kind):
    """A reference row's value as the frame holds it: a date as its day number."""
    return day_number(found) if kind is Kind.DATE and found is not None else found


@settings(max_examples=examples(40), deadline=None)
@given(case=cases() | dense_cases(), backend=st.sampled_from(("polars", "duckdb")))
def test_every_row_of_every_base_is_the_same_on_frames(case, backend):
    """Each base's rows over frames (cypmh.metrics.kpis.frames) are the reference's, cell by cell.

    Every column of every base, the contract's and the derived ones (age at referral,
    first counted contact, social-care status, THRIVE grouping, school link, counted,
    care start, assessment), for every record as at the period end: a derived column
    worked out differently on frames shows here even where no drawn KPI reads it.
    """
    area, month, seed = case
    options = MetricOptions()
    ctx = Context(area=as_at(area, month.last_day), month=month, options=options)
    frames_ctx = month_frames(tables_from_area(area, backend, shuffle=seed), month, options)
    for name, base in BASES.items():
        expected = {
            observed.record: {
                c.name: _plain(cl.value(cl.Column(c.name), row, month), c.kind)
                for c in base.columns
            }
            for row, observed in rows_of(ctx, name)
        }
        frame = base_frame(frames_ctx, name).collect()
        got = {
            str(row[ANCHOR[name]]): {c.name: row[c.name] for c in base.columns}
            for row in frame.iter_rows(named=True)
        }
        assert got == expected, name
