"""Every model class survives ``structure(unstructure(x)) == x`` and a JSON round trip."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypmh import from_json, structure, to_json, unstructure
from cypmh.model import MODEL_CLASSES
from cypmh.testing.strategies import STRATEGIES


def test_there_is_a_strategy_for_every_model_class():
    assert set(STRATEGIES) == set(MODEL_CLASSES)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_structure_unstructure_round_trip(cls, data):
    value = data.draw(STRATEGIES[cls](), label=cls.__name__)
    assert structure(unstructure(value), cls) == value


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_json_round_trip(cls, data):
    value = data.draw(STRATEGIES[cls](), label=cls.__name__)
    text = to_json(value)
    assert from_json(text, cls) == value
    # Only JSON's own types come out: a second trip through json changes nothing.
    assert json.loads(json.dumps(json.loads(text))) == unstructure(value)
