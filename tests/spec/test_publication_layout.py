"""Output that joins to the publication (issue 15, section 3).

Each measure's ``REPORTING_PERIOD_START`` follows its ``freq`` in
``menh_bbrb/notebooks/measure_metadata.py`` (``12M``, ``Q`` or ``M``).

Dashboards join cypmh's CSV to NHS England's published file on ``BREAKDOWN``,
``PRIMARY_LEVEL`` and ``MEASURE_ID``. The names below are the publication's,
from NHSDigital/mental-health-monthly-statistics,
``Mental_Health_Monthly_Statistics/menh_bbrb/notebooks/breakdown_metadata.py``
(breakdown names) and ``menh_bbrb/schemas/00_create_common_objects/01_create_common_tables.py``
(``age_band_desc``, ``ethnicity_desc``).
"""

from datetime import date

import pytest

from cypmh import codes
from cypmh.io.lines import ExtractError
from cypmh.metrics import BREAKDOWNS, MetricOptions, compute
from cypmh.periods import Month
from cypmh.report.kpi import JOIN_KEY, read_published, to_csv, to_records
from cypmh.synth.deprivation import synthetic_deprivation
from cypmh.synth.examples import example_area
from tests.spec.pathways.timeline import area, child, contact, referral

MARCH = Month.parse("2025-03")


def records_of(records_area, month=MARCH, **options):
    rows = compute(records_area, month, **options)
    return to_records(rows, month)


def test_breakdowns_have_the_publications_names():
    deprivation = MetricOptions(deprivation=synthetic_deprivation())
    found = {
        r["BREAKDOWN"]
        for r in records_of(example_area(), breakdowns=list(BREAKDOWNS), options=deprivation)
    }
    assert found == {
        "England",
        "Provider",
        "England; Age Band",
        "England; Gender",
        # breakdown_metadata.py line 176, wnw_eth_bd
        "England; Ethnicity (White British/Non-White British)",
        "England; Upper Ethnicity",
        # menh_bbrb/notebooks/breakdown_metadata.py, serv_team_type_ref_to_bd
        "England; Service or Team Type Referred To",
        # breakdown_metadata.py lines 212, 230, 248 and 284 (the IMD ones with a file)
        "England; IMD Decile",
        "England; IMD Quintile",
        "England; IMD Core20",
        "England; Primary reason for referral",
        # cypmh's own breakdowns, in the same style
        "England; Source of Referral",
        "England; Social Care Status",
        "England; Social Care Status; IMD Quintile",
        "England; School Link",
        "England; THRIVE Grouping",
    }


def test_every_age_band_is_written_and_no_other():
    """``age_band_desc``'s CYP groups: 0 to 5, 6 to 10, 11 to 14, 15, 16, 17."""
    rows = [
        r
        for r in records_of(example_area(), breakdowns=["age_band"], metrics=["MHS95"])
        if r["BREAKDOWN"] == "England; Age Band"
    ]
    assert [r["PRIMARY_LEVEL"] for r in rows] == ["0 to 5", "6 to 10", "11 to 14", "15", "16", "17"]


@pytest.mark.parametrize(
    ("code", "month", "group"),
    [
        ("A", 1500, "White or White British"),
        ("D", 1500, "Mixed"),
        ("K", 1500, "Asian or Asian British"),
        ("N", 1500, "Black or Black British"),
        ("R", 1500, "Other Ethnic Groups"),
        ("Z", 1500, "Not Stated"),
        ("99", 1500, "Not Known"),
        ("T", 1390, "White or White British"),  # T, U, V: FirstMonth = LastMonth = 1390
        ("T", 1391, "UNKNOWN"),
        ("WBRI", 1500, "UNKNOWN"),  # an SSDA903 code is not an MHSDS one
        (None, 1500, "UNKNOWN"),  # COALESCE(ETH.UpperEthnicity, 'UNKNOWN')
    ],
)
def test_upper_ethnicity_is_the_publications_group(code, month, group):
    assert codes.upper_ethnicity(code, month) == group


def test_the_ethnicity_breakdown_reports_upper_groups():
    """Two children, ethnic categories H and M, each with a counted contact: one in each group.

    Under no disclosure control, every group valid in the month is written: 1 for Asian or
    Asian British, 1 for Black or Black British, 0 for the rest and UNKNOWN.
    """
    r1 = referral("R1", date(2025, 1, 6), person_id="P1")
    r2 = referral("R2", date(2025, 1, 6), person_id="P2")
    records = area(
        children=[
            child("P1", born=date(2012, 1, 1), ethnic_category="H"),
            child("P2", born=date(2012, 1, 1), ethnic_category="M"),
        ],
        referrals=[r1, r2],
        contacts=[contact("C1", r1, date(2025, 2, 1)), contact("C2", r2, date(2025, 2, 1))],
    )
    rows = records_of(records, metrics=["MHS95"], breakdowns=["ethnicity"], disclosure="none")
    levels = {r["PRIMARY_LEVEL"]: r["MEASURE_VALUE"] for r in rows if r["BREAKDOWN"] != "England"}
    assert levels == {
        "Asian or Asian British": "1",
        "Black or Black British": "1",
        "Mixed": "0",
        "Not Known": "0",
        "Not Stated": "0",
        "Other Ethnic Groups": "0",
        "White or White British": "0",
        "UNKNOWN": "0",
    }


@pytest.mark.parametrize(
    ("metric_id", "start", "why"),
    [
        ("MHS95", "2024-04-01", "12-month rolling: April 2024 to March 2025"),
        ("MHS130", "2025-01-01", "first contacts in the 3 months to the period end"),
        ("MHS133", "2025-01-01", "at the period end, but labelled with MHS130's quarter (freq Q)"),
        ("MHS135", "2025-01-01", "at the period end, but labelled with MHS130's quarter (freq Q)"),
        ("MRS08", "2025-01-01", "clock stops in the 3 months to the period end"),
        ("MRS09", "2025-03-01", "still waiting at the period end: the month itself (freq M)"),
        ("ED86", "2024-04-01", "cypmh's ED86 is the 12-month rolling run"),
        ("REJ01", "2025-03-01", "a monthly measure"),
    ],
)
def test_reporting_period_start_follows_each_measures_window(metric_id, start, why):
    (whole,) = records_of(example_area(), metrics=[metric_id])
    assert (whole["REPORTING_PERIOD_START"], whole["REPORTING_PERIOD_END"]) == (
        start,
        "2025-03-31",
    ), why


def test_empty_cells_are_zero_at_england_level_and_hidden_below_it():
    """March 2030: nothing has happened in the example area, so nearly every population is empty.

    Every England row is written, with no blank values: ``0`` for an empty population (a
    median or percentage of no one included) when the England row is not suppressed
    (``national``, or no disclosure control). A level below it with no members is ``*``.
    """
    later = Month.parse("2030-03")
    national = records_of(example_area(), month=later, national=True, disclosure="mhsds")
    assert all(r["MEASURE_VALUE"] != "" for r in national)
    median = next(r for r in national if r["MEASURE_ID"] == "MHS131")
    assert median["MEASURE_VALUE"] == "0"
    plain = records_of(example_area(), month=later, disclosure="none")
    assert {r["MEASURE_VALUE"] for r in plain if r["MEASURE_ID"] in ("MHS130", "MHS131")} == {"0"}
    below = records_of(example_area(), month=later, breakdowns=["age_band"], metrics=["MHS130"])
    assert [r["MEASURE_VALUE"] for r in below if r["BREAKDOWN"] != "England"] == ["*"] * 6


def test_a_published_file_in_cp1252_with_uk_dates_is_read(tmp_path):
    """NHS England's files: cp1252 (here a pound sign and an en dash) and DD/MM/YYYY dates."""
    header = ",".join(
        [
            "REPORTING_PERIOD_START",
            "REPORTING_PERIOD_END",
            "STATUS",
            "BREAKDOWN",
            "PRIMARY_LEVEL",
            "PRIMARY_LEVEL_DESCRIPTION",
            "SECONDARY_LEVEL",
            "SECONDARY_LEVEL_DESCRIPTION",
            "MEASURE_ID",
            "MEASURE_NAME",
            "MEASURE_VALUE",
        ]
    )
    line = "01/04/2024,31/03/2025,Final,England; Age Band,0 to 5,0 to 5,NONE,NONE,MHS95,"
    line += "CYP \u2013 access \u00a3,1234"
    path = tmp_path / "published.csv"
    path.write_bytes(f"{header}\r\n{line}\r\n".encode("cp1252"))
    (record,) = read_published(path)
    assert record["REPORTING_PERIOD_START"] == "2024-04-01"
    assert record["REPORTING_PERIOD_END"] == "2025-03-31"
    assert record["MEASURE_NAME"] == "CYP \u2013 access \u00a3"
    assert tuple(record[k] for k in JOIN_KEY) == ("England; Age Band", "0 to 5", "MHS95")


def test_cypmhs_own_file_reads_back_and_joins_on_the_publications_key(tmp_path):
    records = records_of(example_area(), breakdowns=list(BREAKDOWNS), disclosure="none")
    path = tmp_path / "cypmh.csv"
    path.write_text(to_csv(records), encoding="utf-8")
    back = read_published(path)
    keys = [tuple(r[k] for k in JOIN_KEY) for r in back]
    assert len(keys) == len(set(keys))  # one row per key, so the join is one to one
    assert keys == [tuple(r[k] for k in JOIN_KEY) for r in records]


def test_a_file_that_is_not_the_layout_or_has_a_bad_date_is_named(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ExtractError, match="not the publication's layout"):
        read_published(path)
    good = tmp_path / "good.csv"
    good.write_text(to_csv(records_of(example_area(), metrics=["MHS95"])))
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text().replace("2024-04-01", "2024-13-01"))
    with pytest.raises(ExtractError, match=r"line 2, REPORTING_PERIOD_START: '2024-13-01'"):
        read_published(bad)
