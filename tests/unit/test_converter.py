"""The converter: codes as code strings, dates as ISO, strict structuring with paths."""

import json
from datetime import date

import pytest

from cypmh import (
    Area,
    CarePlan,
    Child,
    Contact,
    Referral,
    StructureError,
    from_json,
    structure,
    to_json,
    unstructure,
)
from cypmh.codes import AttendStatus, RejectionReason


def small_area() -> Area:
    return Area(
        name="Example",
        children=(Child(person_id="P1", birth_date=date(2010, 1, 1)),),
        referrals=(
            Referral(
                referral_id="R1",
                person_id="P1",
                provider_code="RXT",
                received_date=date(2024, 1, 1),
                rejection_date=date(2024, 1, 9),
                rejection_reason=RejectionReason.INAPPROPRIATE,
            ),
        ),
        contacts=(
            Contact(
                contact_id="C1",
                referral_id="R1",
                person_id="P1",
                date=date(2024, 1, 5),
                attend_status=AttendStatus.ATTENDED_ON_TIME,
                consultation_mechanism="01",
                procedures=("51484002",),
            ),
        ),
    )


def test_codes_are_written_as_code_strings_and_dates_as_iso():
    data = unstructure(small_area())
    assert data["referrals"][0]["rejection_reason"] == "02"
    assert data["referrals"][0]["received_date"] == "2024-01-01"
    assert data["contacts"][0]["attend_status"] == "5"
    assert data["contacts"][0]["procedures"] == ["51484002"]
    json.dumps(data)  # plain JSON types only


def test_json_round_trip_of_an_area():
    area = small_area()
    assert from_json(to_json(area, indent=2), Area) == area


def problems_of(data, cls):
    with pytest.raises(StructureError) as caught:
        structure(data, cls)
    return caught.value.problems


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "birth_date",
            "2012-02-30",
            "$.birth_date: '2012-02-30' is not a date (YYYY-MM-DD): day is out of range for month",
        ),
        ("birth_date", "20120201", "$.birth_date: '20120201' is not a date (YYYY-MM-DD)"),
        (
            "birth_date",
            "2012-02-01T00:00",
            "$.birth_date: '2012-02-01T00:00' is not a date (YYYY-MM-DD)",
        ),
        ("gender", 1, "$.gender: 1 is not a string"),
        ("school_urn", "10000", "$.school_urn: '10000': a school URN is 6 digits"),
    ],
)
def test_bad_child_fields_are_reported_with_their_path(field, value, expected):
    data = {"person_id": "P1", "birth_date": "2012-02-01", field: value}
    assert problems_of(data, Child) == (expected,)


def test_every_bad_field_is_reported_not_just_the_first():
    data = {"person_id": 7, "birth_date": "yesterday", "colour": "blue"}
    assert set(problems_of(data, Child)) == {
        "$.person_id: 7 is not a string",
        "$.birth_date: 'yesterday' is not a date (YYYY-MM-DD)",
        "$: unknown field(s): colour",
    }


def test_a_missing_required_field():
    assert problems_of({"person_id": "P1"}, Child) == ("$.birth_date: required field missing",)


def test_codes_are_not_converted_from_numbers_or_short_forms():
    data = unstructure(small_area())
    data["contacts"][0]["attend_status"] = 5
    data["referrals"][0]["rejection_reason"] = "2"
    assert set(problems_of(data, Area)) == {
        "$.referrals[0].rejection_reason: '2' is not a RejectionReason code (one of '01', '02', '03')",
        "$.contacts[0].attend_status: 5 is not a AttendStatus code (one of '0', '2', '3', '4', '5', '6', '7')",
    }


def test_model_rules_are_reported_with_the_path_of_the_field():
    data = unstructure(small_area())
    data["contacts"][0]["consultation_mechanism"] = "1"
    assert problems_of(data, Area) == (
        "$.contacts[0].consultation_mechanism: '1': not a code in the consultation_mechanisms list",
    )


def test_area_rules_are_reported_with_the_path_of_the_record():
    data = unstructure(small_area())
    data["contacts"][0]["date"] = "2023-12-31"  # the day before the referral was received
    assert problems_of(data, Area) == (
        "$.contacts[0].date: 2023-12-31: must not be before its referral was received (2024-01-01)",
    )


def test_numbers_are_not_read_from_strings_or_booleans():
    data = {
        "care_plan_id": "CP1",
        "person_id": "P1",
        "plan_type": "12",
        "created": "2024-01-01",
        "agreements": ["yes"],
    }
    assert problems_of(data, CarePlan) == ("$.agreements[0]: 'yes' is not a date (YYYY-MM-DD)",)
    score = {
        "referral_id": "R",
        "person_id": "P",
        "tool_code": "987191000000101",
        "date": "2024-01-01",
    }
    from cypmh import CodedAssessment

    assert problems_of({**score, "score": "2"}, CodedAssessment) == (
        "$.score: '2' is not a finite number",
    )
    assert problems_of({**score, "score": True}, CodedAssessment) == (
        "$.score: True is not a finite number",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([1, 2], "$: expected an object of named fields, not list"),
        ({"children": "P1"}, "$.children: expected a list, not str"),
        ({"children": [3]}, "$.children[0]: expected an object of named fields, not int"),
    ],
)
def test_wrong_shapes(data, expected):
    assert problems_of(data, Area) == (expected,)


def test_bad_json_text():
    with pytest.raises(StructureError, match="not valid JSON"):
        from_json("{", Area)
