"""The code lists match their package tables, and their lookups say what the sources say."""

import pytest

from cypmh import codes
from cypmh.codes import (
    AttendanceClass,
    AttendStatus,
    ClinicalPriority,
    EdPriorityGroup,
    Rater,
    SdqBand,
)
from cypmh.codes.enums import SOURCE_TABLES
from cypmh.errors import InvalidValueError, UnknownCodeError
from tests.helpers import column, rows


@pytest.mark.parametrize("enum_type", list(SOURCE_TABLES), ids=lambda t: t.__name__)
def test_every_table_backed_enum_has_exactly_the_codes_of_its_table(enum_type):
    table, code_column = SOURCE_TABLES[enum_type]
    assert {m.value for m in enum_type} == column(table, code_column)


@pytest.mark.parametrize("enum_type", list(SOURCE_TABLES), ids=lambda t: t.__name__)
def test_every_member_has_a_label_from_its_table(enum_type):
    table, code_column = SOURCE_TABLES[enum_type]
    label_column = "label" if table == "sdq" else "description"
    labels = {row[code_column]: row[label_column] for row in rows(table)}
    for member in enum_type:
        assert member.description == labels[member.value] != ""


def test_attendance_classes_are_those_of_nhs_englands_dashboard():
    # REFERENCE.md section 4 and the table README: attended 5, 6; DNA 3, 7;
    # cancelled 2, 4; 0 not applicable.
    by_class = {c: {s.code for s in AttendStatus if s.attendance is c} for c in AttendanceClass}
    assert by_class == {
        AttendanceClass.ATTENDED: {"5", "6"},
        AttendanceClass.DNA: {"3", "7"},
        AttendanceClass.CANCELLED: {"2", "4"},
        AttendanceClass.NOT_APPLICABLE: {"0"},
    }


def test_eating_disorder_priority_groups_and_the_v5_code():
    # REFERENCE.md 5.4: urgent = 1, 2, 4; routine = 3; code 4 exists from UniqMonthID 1459.
    urgent = {p.code for p in ClinicalPriority if p.ed_group is EdPriorityGroup.URGENT}
    assert urgent == {"1", "2", "4"}
    assert ClinicalPriority.ROUTINE.ed_group is EdPriorityGroup.ROUTINE
    assert not ClinicalPriority.VERY_URGENT.valid_in(1458)
    assert ClinicalPriority.VERY_URGENT.valid_in(1459)


def test_from_code_keeps_leading_zeros_and_names_the_list():
    assert codes.RejectionReason.from_code("02") is codes.RejectionReason.INAPPROPRIATE
    with pytest.raises(UnknownCodeError) as caught:
        codes.RejectionReason.from_code("2", owner="Referral", field="rejection_reason")
    assert caught.value.owner == "Referral"
    assert caught.value.field == "rejection_reason"
    assert caught.value.code_list == "RejectionReason"
    assert "'2'" in str(caught.value)


@pytest.mark.parametrize(
    ("code_set", "table", "code_column"),
    [
        (codes.team_types, "service_team_types", "code"),
        (codes.referral_sources, "referral_sources", "code"),
        (codes.referral_reasons, "referral_reasons", "code"),
        (codes.consultation_mechanisms, "consultation_mechanisms", "code"),
        (codes.ed_treatment_codes, "ed_treatment_codes", "snomed_code"),
    ],
)
def test_code_sets_hold_every_code_of_their_table(code_set, table, code_column):
    assert set(code_set()) == column(table, code_column)
    assert len(code_set().entries) == len(rows(table))


def test_team_type_validity_follows_the_mhsds_versions():
    teams = codes.team_types()
    # F01 (MHST) from v5.0 = 1459; F04 retired after 1488; A03 retired after 1458.
    assert not teams.is_valid("F01", 1458)
    assert teams.is_valid("F01", 1459)
    assert teams.is_valid("F04", 1488)
    assert not teams.is_valid("F04", 1489)
    assert not teams.is_valid("A03", 1459)
    assert "F07" in teams
    assert teams.description("F07") is None  # the label was not found in the sources


def test_consultation_mechanism_versions_have_their_own_labels():
    mechanisms = codes.consultation_mechanisms()
    assert mechanisms.description("01", 1458) == "Face to face communication"
    assert mechanisms.description("01", 1459) == "Face to face"
    assert mechanisms.description("01") == "Face to face"  # latest version
    assert mechanisms.codes(1459) >= {"01", "02", "04", "11"}
    assert "03" not in mechanisms.codes(1459)
    with pytest.raises(UnknownCodeError, match="consultation_mechanisms"):
        mechanisms.entry("11", 1458)


def test_groups_and_attribute_lookups():
    sources = codes.referral_sources()
    assert sources.group("A1") == "Primary Health Care"
    assert sources.description("A1") == "GP"
    # Digital-only mechanisms per the table: 05, 06 (pre-v5), 09, 10, 13.
    assert codes.consultation_mechanisms().where("counts_for_cyp_contact", "digital_only") == {
        "05",
        "06",
        "09",
        "10",
        "13",
    }


def test_unknown_codes_are_refused_with_the_list_named():
    with pytest.raises(UnknownCodeError) as caught:
        codes.team_types().check("Z99", owner="Service", field="team_type")
    assert (
        str(caught.value) == "Service.team_type = 'Z99': not a code in the service_team_types list"
    )


def test_assessment_catalogue_matches_its_tables():
    tools = codes.assessment_tools()
    assert set(tools) == column("assessment_tools", "snomed_code")
    assert sum(t.is_current_view for t in tools.values()) == 36
    assert {c for c, t in tools.items() if t.in_publication_list} == column(
        "mhsds_publication_assessment_list", "Active_Concept_ID_SNOMED"
    )


def test_assessment_ranges_take_the_widest_of_the_two_lists():
    # DIALOG item 1037651000000100: 0-7 in the spreadsheet, 1-8 in the publication list.
    dialog = codes.assessment_tool("1037651000000100")
    assert (dialog.min_score, dialog.max_score) == (0.0, 8.0)
    assert dialog.publication_range == (1.0, 8.0)
    assert dialog.accepts(8)
    assert dialog.accepts(0)
    assert not dialog.accepts(8.5)


def test_assessment_rater_prefers_the_publication_rater():
    tools = codes.assessment_tools()
    for row in rows("assessment_tools"):
        tool = tools[row["snomed_code"]]
        if row["publication_rater"]:
            assert tool.rater is Rater(row["publication_rater"])
        elif row["rater"] in {"Self", "Parent", "Clinician"}:
            assert tool.rater is Rater(row["rater"])
        else:
            assert tool.rater is None


def test_unknown_assessment_tool():
    with pytest.raises(UnknownCodeError, match="assessment_tools"):
        codes.assessment_tool("123456")


@pytest.mark.parametrize(
    ("score", "band"),
    # sdq.csv: 0-13 normal, 14-16 borderline, 17-40 cause for concern; each boundary checked.
    [
        (0, "normal"),
        (13, "normal"),
        (14, "borderline"),
        (16, "borderline"),
        (17, "concern"),
        (40, "concern"),
    ],
)
def test_sdq_bands_at_their_boundaries(score, band):
    assert SdqBand.of(score) is SdqBand(band)


@pytest.mark.parametrize("score", [-1, 41])
def test_sdq_band_outside_the_scale(score):
    with pytest.raises(UnknownCodeError):
        SdqBand.of(score)


@pytest.mark.parametrize("code", ["012345", "12345", "1234567890123456789", "51484002 ", "5e7", ""])
def test_malformed_snomed_codes(code):
    with pytest.raises(InvalidValueError, match="SNOMED CT"):
        codes.check_snomed_code(code, owner="Contact", field="procedures")


@pytest.mark.parametrize(
    ("age", "label"),
    # age_bands.csv, scheme mhsds_cyp: 0-5, 6-10, 11-14, 15, 16, 17; each edge checked.
    [
        (0, "0 to 5"),
        (5, "0 to 5"),
        (6, "6 to 10"),
        (10, "6 to 10"),
        (11, "11 to 14"),
        (14, "11 to 14"),
        (15, "15"),
        (16, "16"),
        (17, "17"),
    ],
)
def test_cyp_age_bands(age, label):
    assert codes.age_band(age).label == label


def test_ages_outside_the_bands():
    assert codes.age_band(18) is None  # the CYP bands stop at 17
    assert codes.age_band(18, "mhsds_higher_level").label == "18 and over"
    assert codes.age_band(17, "mhsds_higher_level").label == "Under 18"
    assert codes.age_band(125, "mhsds_higher_level") is None  # the code's upper bound is 124
    with pytest.raises(UnknownCodeError, match="scheme"):
        codes.age_bands("no_such_scheme")


def test_every_age_from_0_to_17_is_in_exactly_one_cyp_band():
    for age in range(18):
        assert sum(band.contains(age) for band in codes.age_bands()) == 1
