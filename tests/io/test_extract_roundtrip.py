"""Writing an area as an extract folder and reading it back gives the same area."""

import tempfile
from datetime import date

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


@settings(max_examples=examples(40))
@given(cst.areas(max_children=4, max_referrals=2, max_contacts=2))
def test_the_ssd_shape_reads_back_as_the_same_area(area):
    # Social care's children and periods written as the SSD's tables (ssd/), the
    # looked-after episodes as both the SSDA903 return and ssd_cla_episodes.
    expected = attrs.evolve(area, services=())
    with tempfile.TemporaryDirectory() as folder:
        write_extract(area, folder, social_care="ssd")
        result = read_extract(folder, name=area.name)
    assert result.quality.problems == ()
    # The SSD keeps child-in-need and protection periods in two tables, so they come back
    # in that order, and its dated SDQs (ssd_sdq_scores) after the OC2 returns (oc2.csv);
    # everything else, and every period and return, is as written.
    unordered = {"social_work": (), "sdq_returns": ()}
    assert attrs.evolve(result.area, **unordered) == attrs.evolve(expected, **unordered)
    assert sorted(result.area.social_work, key=_order) == sorted(area.social_work, key=_order)
    assert sorted(result.area.sdq_returns, key=_sdq_order) == sorted(
        area.sdq_returns, key=_sdq_order
    )


def _sdq_order(sdq):
    return (sdq.person_id, sdq.date or date.min, sdq.date is not None)


def _order(period):
    return (period.person_id, period.kind.value, period.start, period.end or date.max)
