"""Errors name the class, field, value and rule, derive from CypmhError and pickle."""

import pickle
from datetime import date

import pytest

from cypmh import errors


def test_every_error_is_a_cypmh_error():
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.CypmhError)


def test_invalid_value_message_names_everything():
    err = errors.InvalidValueError(
        "Referral", "closure_date", date(2020, 1, 1), "must not be before X"
    )
    assert str(err) == "Referral.closure_date = 2020-01-01: must not be before X"
    assert err.detail == "2020-01-01: must not be before X"
    assert isinstance(err, ValueError)


def test_area_error_lists_problems_and_counts_the_rest():
    problems = [
        errors.InvalidValueError("Area", f"contacts[{i}].date", i, "rule") for i in range(12)
    ]
    message = str(errors.AreaError(problems))
    assert message.startswith("12 problems in the area:")
    assert "contacts[9].date" in message
    assert "contacts[10].date" not in message
    assert message.endswith("... and 2 more")


@pytest.mark.parametrize(
    "error",
    [
        errors.InvalidValueError("A", "b", 1, "rule"),
        errors.UnknownCodeError("A", "b", "X", "some_list"),
        errors.AreaError([errors.InvalidValueError("Area", "x", 1, "rule")]),
        errors.StructureError("Area", ["$.x: bad"]),
        errors.NotInAreaError("children", "person_id", "P9"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_survive_pickling(error):
    # Errors cross process boundaries (multiprocessing, Spark): they must pickle.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
