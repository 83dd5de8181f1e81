"""KPI files: an area's own KPIs, read and checked (``cypmh.metrics.kpis``).

The expected values are worked out by hand from the file each test writes: the line
numbers count the file's lines from 1 (the text starts with a newline, so the
``[[kpi]]`` header is line 2), and each message names the file, that line, the KPI and
the part at fault. The example KPIs are worked by hand on a small area, day by day.

Two properties: random conditions written into a file read back as they parse, and
records dated after the period end never change a KPI's value.
"""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh import clauses as cl
from cypmh.__main__ import main
from cypmh.clauses.text import parse, to_text
from cypmh.metrics import MetricOptions, compute
from cypmh.metrics.kpis import (
    BASES,
    EXAMPLE,
    WINDOWS,
    DeclaredKpi,
    KpiFileError,
    kpi_value,
    read_kpis,
)
from cypmh.tables.schema import Kind
from cypmh.testing.clauses import conditions
from tests.budget import examples
from tests.property.test_as_at import cases as as_at_cases
from tests.property.test_as_at import cut as as_at_cut

JNT = """
[[kpi]]
id = "JNT09"
name = "Referrals of looked-after children seen within 4 weeks"
base = "referrals"
window = "month"
date = "ReferralRequestReceivedDate"
where = "social_care_status = 'looked_after'"
value = "percentage"
numerator = [
    "ReferRejectionDate is null",
    "days_between(ReferralRequestReceivedDate, first_contact_date) <= 28",
]
improvement = "increase"
"""


def write(tmp_path, text):
    path = tmp_path / "kpis.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_kpi_is_read_into_clauses_over_its_base(tmp_path):
    (kpi,) = read_kpis(write(tmp_path, JNT))
    assert (kpi.id, kpi.base, kpi.months, kpi.value, kpi.improvement) == (
        "JNT09",
        "referrals",
        1,
        "percentage",
        "increase",
    )
    assert kpi.line == 2  # the [[kpi]] header
    # The rows: received in the month (the window on `date`), and `where`.
    received = cl.Column("ReferralRequestReceivedDate")
    looked_after = cl.Compare("==", cl.Column("social_care_status"), cl.Lit("looked_after"))
    assert kpi.member == cl.All((cl.Within(received, 1), looked_after))
    # The numerator: both conditions of the list.
    assert kpi.numerator == cl.All(
        (
            cl.IsNull(cl.Column("ReferRejectionDate")),
            cl.Compare("<=", cl.DaysBetween(received, cl.Column("first_contact_date")), cl.Lit(28)),
        )
    )


def test_the_shipped_example_declares_the_three_joint_kpis():
    found = {k.id: k for k in read_kpis(EXAMPLE)}
    assert list(found) == ["JNT01", "JNT02", "JNT03"]
    assert (found["JNT01"].base, found["JNT01"].months, found["JNT01"].value) == (
        "referrals",
        1,
        "percentage",
    )
    # Children entering care: the 12 months on care_start, assessed by 183 days.
    assert (found["JNT02"].base, found["JNT02"].date, found["JNT02"].months) == (
        "children",
        "care_start",
        12,
    )
    assert found["JNT02"].numerator == cl.Compare(
        "<=", cl.DaysBetween(cl.Column("care_start"), cl.Column("assessment_date")), cl.Lit(183)
    )
    # Rejected referrals of children in care, counted by reason.
    assert (found["JNT03"].value, found["JNT03"].by) == ("count", "ReferRejectReason")


def _fault(tmp_path, text):
    with pytest.raises(KpiFileError) as caught:
        read_kpis(write(tmp_path, text))
    return caught.value


@pytest.mark.parametrize(
    ("old", "new", "line", "part", "rule"),
    [
        # An unknown column in a condition, with the nearest name.
        (
            "social_care_status = 'looked_after'",
            "social_care_stat = 'looked_after'",
            8,
            "where",
            (
                "\"social_care_stat = 'looked_after'\": social care stat: no such column",
                "did you mean social_care_status?",
            ),
        ),
        # A type mismatch: a date compared with a number.
        (
            '"ReferRejectionDate is null",',
            '"ReferRejectionDate > 3",',
            11,
            "numerator",
            "compares a date with a whole number",
        ),
        # A coded value that the derived column never takes (CIN is not cypmh's word).
        (
            "social_care_status = 'looked_after'",
            "social_care_status = 'LAC'",
            8,
            "where",
            "'LAC' is not a value of social_care_status",
        ),
        # An unknown base, with the nearest name.
        ('base = "referrals"', 'base = "referral"', 5, "base", "did you mean referrals?"),
        # A window that is not one of the three.
        ('window = "month"', 'window = "6 months"', 6, "window", "is not a window"),
        # A date that is not a date column.
        ('date = "ReferralRequestReceivedDate"', 'date = "ServTeamType"', 7, "date", "not a date"),
        # A percentage with no numerator.
        ('value = "percentage"', 'value = "median"', 10, "numerator", "but a median has none"),
        # An unknown key.
        ('improvement = "increase"', 'improvment = "increase"', 14, "improvment", "improvement"),
    ],
)
def test_a_fault_names_the_file_line_kpi_and_part(tmp_path, old, new, line, part, rule):
    assert old in JNT
    fault = _fault(tmp_path, JNT.replace(old, new))
    assert (fault.line, fault.kpi, fault.part) == (line, "JNT09", part)
    for said in (rule,) if isinstance(rule, str) else rule:
        assert said in fault.rule
    assert str(fault).startswith(f"{tmp_path / 'kpis.toml'}, line {line}: KPI JNT09, {part}: ")


def test_an_id_the_catalogue_uses_is_refused(tmp_path):
    fault = _fault(tmp_path, JNT.replace('id = "JNT09"', 'id = "mhs95"'))
    assert (fault.line, fault.part) == (3, "id")
    assert "'mhs95' is taken" in fault.rule


def test_two_kpis_with_one_id_are_refused_at_the_second(tmp_path):
    fault = _fault(tmp_path, JNT + JNT)
    # The first copy takes lines 1-14; the second's blank line is 15, its header 16, its id 17.
    assert (fault.line, fault.part) == (17, "id")


def test_a_toml_mistake_gives_its_line(tmp_path):
    fault = _fault(tmp_path, JNT.replace('value = "percentage"', "value = percentage"))
    assert (fault.line, fault.kpi, fault.part) == (9, None, "TOML")


def test_a_file_without_kpis_is_refused(tmp_path):
    assert "declares no KPI" in _fault(tmp_path, "# nothing here\n").rule


def test_a_median_needs_a_number(tmp_path):
    median = JNT.replace('value = "percentage"', 'value = "median"\nof = "first_contact_date"')
    median = median.replace(
        'numerator = [\n    "ReferRejectionDate is null",\n'
        '    "days_between(ReferralRequestReceivedDate, first_contact_date) <= 28",\n]\n',
        "",
    )
    fault = _fault(tmp_path, median)
    assert (fault.line, fault.part) == (10, "of")
    assert "'first_contact_date' is not a number" in fault.rule


def test_the_command_checks_a_file_and_names_the_fault(tmp_path, capsys):
    good = write(tmp_path, JNT)
    assert main(["kpis", str(good)]) == 0
    out = capsys.readouterr().out
    assert "JNT09    Referrals of looked-after children seen within 4 weeks" in out
    assert "rows: ReferralRequestReceivedDate is in the reporting month" in out
    assert out.endswith("1 KPIs checked.\n")
    bad = write(tmp_path, JNT.replace('base = "referrals"', 'base = "referral"'))
    assert main(["kpis", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"Error: {bad}, line 5: KPI JNT09, base: 'referral' is not a base" in err
    assert "Traceback" not in err


PLAIN = {
    name: kind
    for name, kind in BASES["referrals"].kinds().items()
    if not BASES["referrals"].column(name).values  # coded columns take their own values
}


@settings(max_examples=examples(60), deadline=None)
@given(conditions(PLAIN))
def test_any_condition_written_into_a_file_reads_back_the_same(tmp_path_factory, clause):
    """Whatever condition an area writes (as to_text writes it), the file gives it back."""
    try:
        text = to_text(clause, birth="PersonBirthDate")
    except cl.ClauseError:  # an age over another column than the birth date: not writable
        return
    path = tmp_path_factory.mktemp("kpis") / "kpis.toml"
    body = JNT.replace("\"social_care_status = 'looked_after'\"", json.dumps(text))
    path.write_text(body, encoding="utf-8")
    (kpi,) = read_kpis(path)
    # The file gives what the text parses to (to_text and parse are held to the clause
    # itself by tests/generative/test_clauses_agree.py).
    assert kpi.where == parse(text, BASES["referrals"].kinds(), birth="PersonBirthDate")


# The example KPIs on a hand-made area, over records (cypmh.metrics.kpis.rows). March 2025:
# the month is 2025-03-01 to 2025-03-31, the 12 months 2024-04-01 to 2025-03-31.


def _example_area():
    from cypmh import SocialWorkInvolvement, WellbeingAssessment
    from cypmh.codes import RejectionReason, SocialWorkType
    from tests.spec.pathways.timeline import area, child, contact, episode, referral

    r1 = referral("R1", date(2025, 3, 3), person_id="P1")  # child in need; seen on day 17
    r2 = referral(  # looked after; rejected
        "R2",
        date(2025, 3, 10),
        person_id="P3",
        rejection_date=date(2025, 3, 12),
        rejection_reason=next(iter(RejectionReason)),
    )
    r3 = referral("R3", date(2025, 3, 5), person_id="P2")  # no social worker
    r4 = referral("R4", date(2025, 2, 20), person_id="P1")  # received in February
    return area(
        children=[
            child("P1", date(2010, 6, 1)),
            child("P2", date(2012, 1, 1)),
            child("P3", date(2011, 5, 5)),
            child("P4", date(2013, 2, 2)),
            child("P5", date(2012, 7, 7)),
        ],
        referrals=[r1, r2, r3, r4],
        contacts=[contact("C1", r1, date(2025, 3, 20))],
        social_work=[
            SocialWorkInvolvement(
                person_id="P1", kind=SocialWorkType.CHILD_IN_NEED, start=date(2024, 1, 1)
            )
        ],
        care_episodes=[
            episode(date(2024, 8, 1), person_id="P3"),
            episode(date(2024, 10, 1), person_id="P4"),
            episode(date(2024, 5, 10), person_id="P5"),
        ],
        wellbeing_assessments=[WellbeingAssessment(person_id="P3", date=date(2024, 12, 15))],
    )


def test_the_example_kpis_worked_by_hand():
    kpis = {k.id: k for k in read_kpis(EXAMPLE)}
    area = _example_area()
    # JNT01: received in March with a social worker on the day: R1 (child in need) and R2
    # (looked after since 2024-08-01); R3 has none, R4 is February's. Seen within 28 days
    # and not rejected: R1 only (first contact 2025-03-20, 17 days). 1 of 2 = 50%.
    jnt01 = kpi_value(area, kpis["JNT01"], "2025-03")
    assert (jnt01.value, jnt01.numerator, jnt01.denominator) == (50.0, 1, 2)
    # JNT02: entered care in the 12 months and in care 183 days or more by 2025-03-31:
    # P3 (2024-08-01, 242 days) and P5 (2024-05-10, 325 days); P4 (2024-10-01) has 181.
    # Assessed within 183 days: P3 (2024-12-15, 136 days); P5 never. 1 of 2 = 50%.
    jnt02 = kpi_value(area, kpis["JNT02"], "2025-03")
    assert (jnt02.value, jnt02.numerator, jnt02.denominator) == (50.0, 1, 2)
    # JNT03: rejected in the 12 months, looked after when referred: R2. One.
    jnt03 = kpi_value(area, kpis["JNT03"], "2025-03")
    assert (jnt03.value, jnt03.denominator) == (1, 1)
    # As at the period end: in February, R2 does not exist yet and JNT03 counts none.
    assert kpi_value(area, kpis["JNT03"], "2025-02").value == 0


@pytest.mark.parametrize(
    "engine",
    [
        "reference",
        "polars",
        "duckdb",
        "pandas",
        "sqlframe",  # the PySpark DataFrame API over DuckDB, in `make test`
        pytest.param("spark", marks=pytest.mark.spark),  # `make test-spark`, and CI
    ],
)
def test_the_example_kpis_worked_by_hand_on_every_engine(engine):
    """The same hand-made area and the same hand-worked values, through compute() on each engine.

    Beside the whole area (worked out above): JNT01's two referrals are of a child in
    need (R1, seen: 1 of 1 = 100%) and a looked-after child (R2, rejected: 0 of 1 = 0%),
    both aged 11 to 14 on the day received (P1 14, P3 13). JNT02's two children (P3
    13, P5 12 at the period end) are both looked after then: 1 of 2. JNT03's one
    rejection has reason 01 (a duplicate), its own ``by`` level.
    """
    if engine != "reference":
        pytest.importorskip("pyspark" if engine == "spark" else engine)
    kpis = read_kpis(EXAMPLE)
    rows = compute(
        _example_area(),
        "2025-03",
        metrics=["JNT01", "JNT02", "JNT03"],
        breakdowns=["social_care", "age_band"],
        disclosure="none",
        options=MetricOptions(kpis=kpis),
        engine=engine,
    )
    got = {
        (r.metric_id, r.breakdown, r.level): (r.value, r.numerator, r.denominator)
        for r in rows
        if r.denominator or r.numerator
    }
    assert got == {
        ("JNT01", "Total", "Total"): (50.0, 1, 2),
        ("JNT01", "social_care", "child_in_need"): (100.0, 1, 1),
        ("JNT01", "social_care", "looked_after"): (0.0, 0, 1),
        ("JNT01", "age_band", "11 to 14"): (50.0, 1, 2),
        ("JNT02", "Total", "Total"): (50.0, 1, 2),
        ("JNT02", "social_care", "looked_after"): (50.0, 1, 2),
        ("JNT02", "age_band", "11 to 14"): (50.0, 1, 2),
        ("JNT03", "Total", "Total"): (1.0, 1, None),
        ("JNT03", "social_care", "looked_after"): (1.0, 1, None),
        ("JNT03", "age_band", "11 to 14"): (1.0, 1, None),
        ("JNT03", "by", "01"): (1.0, 1, None),
    }


def test_a_folder_names_its_kpi_file_and_every_command_reads_it(tmp_path, capsys):
    """kpis = "FILE" under [run] in the folder's cypmh.toml: report, trend and members compute them.

    On the demo's extract, written out: the file's JNT03 (rejections of looked-after
    children in the 12 months) comes out of report, trend and members alike; a fault in
    the file stops the command with its line, and no traceback.
    """
    folder = tmp_path / "extract"
    assert main(["synth", str(folder), "--people", "300"]) == 0
    kpi_file = folder / "area-kpis.toml"
    kpi_file.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "cypmh.toml").write_text('[run]\nkpis = "area-kpis.toml"\n', encoding="utf-8")
    capsys.readouterr()
    csv = ["--metric", "JNT03", "--format", "csv", "--suppression", "none"]
    assert main(["report", str(folder), "--period", "2025-03", *csv]) == 0
    report = capsys.readouterr().out
    assert ",JNT03," in report
    assert "kpis: file sha256:" in report
    assert main(["trend", str(folder), "--from", "2025-01", "--to", "2025-03", *csv]) == 0
    assert ",JNT03," in capsys.readouterr().out
    assert main(["members", str(folder), "--period", "2025-03", "--metric", "JNT03"]) == 0
    assert "JNT03,referral," in capsys.readouterr().out
    kpi_file.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('base = "children"', 'base = "child"')
    )
    assert main(["report", str(folder), "--period", "2025-03", "--format", "csv"]) == 1
    err = capsys.readouterr().err
    assert "area-kpis.toml, line 30: KPI JNT02, base: 'child' is not a base" in err
    assert "Traceback" not in err


DATES = [name for name, kind in PLAIN.items() if kind is Kind.DATE]


# A condition that reads one column whole (is it recorded?) shows any value read past the
# period end; every generated area is tried with one for each column, and with a random tree.
_READS = [cl.IsNull(cl.Column(name)) for name in BASES["referrals"].kinds()]


def _counting(where, on="ReferralRequestReceivedDate", months=12):
    return DeclaredKpi(
        id="T1", name="drawn", base="referrals", months=months, date=on, where=where, value="count"
    )


@settings(max_examples=examples(60), deadline=None)
@given(as_at_cases(), conditions(PLAIN, max_leaves=4), st.sampled_from(DATES), st.data())
def test_records_after_the_period_end_never_change_a_kpi(case, where, on, data):
    """A declared KPI reads the area as at the period end, as the catalogue does.

    On a generated area with events up to two months after the period end, a KPI of
    random conditions over referrals, one per column asking whether it is recorded, and
    every example KPI have the same value on the area and on it cut at the end
    (tests/property/test_as_at.py writes the cut out rule by rule).
    """
    area, month = case
    months = data.draw(st.sampled_from(sorted(WINDOWS.values())))
    kpis = [_counting(where, on, months), *map(_counting, _READS), *read_kpis(EXAMPLE)]
    cut = as_at_cut(area, month.last_day)
    for kpi in kpis:
        assert kpi_value(cut, kpi, month) == kpi_value(area, kpi, month), cl.words(kpi.member)
