"""Writing an area as an extract folder and reading it back gives the same area."""

import tempfile

import attrs
from hypothesis import given, settings

from cypmh.io.extract import write_extract
from cypmh.io.readers import read_extract
from cypmh.testing import strategies as cst
from tests.budget import examples


@settings(max_examples=examples(60))
@given(cst.areas(max_children=4, max_referrals=3, max_contacts=3))
def test_read_of_write_is_the_identity(area):
    expected = attrs.evolve(area, services=())  # teams are not part of the extract contract
    with tempfile.TemporaryDirectory() as folder:
        write_extract(area, folder)
        result = read_extract(folder, name=area.name)
    assert result.quality.problems == ()
    assert result.area == expected
    for counts in result.quality.files.values():
        assert counts.read == counts.used + counts.rejected
