"""Properties of coded identifiers (``cypmh.tables.coded``): equality and order survive.

The dataframe engine may be given every id as a whole number in place of its text
(``cypmh report`` does so on Polars). That is sound only if two cells hold the same
number exactly when they hold the same id, across every table of the id's kind, and
if the numbers sort as the ids do, so that a tie broken by the smaller id picks the
same row. ``tests/generative/test_engines_agree.py`` checks the metrics themselves.
"""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.tables.coded import ID_COLUMNS, code_ids
from tests.budget import examples

# Ids that share prefixes and differ in case, digits and punctuation, so that order by
# text and order by any simpler rule (length, number) disagree.
ids = st.text(alphabet="aA0-/1z", min_size=0, max_size=4) | st.none()


@st.composite
def tables(draw):
    """The id columns of a few tables, with ids shared between them."""
    pool = draw(st.lists(ids, min_size=1, max_size=8))
    cell = st.sampled_from(pool)
    return {
        "referrals": pl.DataFrame(
            {
                "referral_id": draw(st.lists(cell, max_size=6)),
            },
            schema={"referral_id": pl.String},
        ).with_columns(person_id=pl.col("referral_id")),
        "contacts": pl.DataFrame(
            {
                "contact_id": draw(st.lists(cell, max_size=6)),
            },
            schema={"contact_id": pl.String},
        ).with_columns(referral_id=pl.col("contact_id"), person_id=pl.lit("p")),
        "contact_procedures": pl.DataFrame(
            {"contact_id": draw(st.lists(cell, max_size=4))}, schema={"contact_id": pl.String}
        ),
    }


def pairs(given_tables, coded, kind):
    """Every cell of ``kind``: (text, code)."""
    out = []
    for table, column in ID_COLUMNS[kind]:
        if table in given_tables:
            texts = given_tables[table][column].to_list()
            codes = coded[table][column].to_list()
            out += list(zip(texts, codes, strict=True))
    return out


@settings(max_examples=examples(300))
@given(tables())
def test_codes_keep_equality_order_and_missing_values(given_tables):
    coded = code_ids(given_tables)
    for kind in ("person_id", "referral_id", "contact_id"):
        cells = pairs(given_tables, coded, kind)
        for text, code in cells:
            assert (text is None) == (code is None)
        known = [(t, c) for t, c in cells if t is not None]
        for text_a, code_a in known:
            for text_b, code_b in known:
                assert (text_a == text_b) == (code_a == code_b)
                assert (text_a < text_b) == (code_a < code_b)
        # Dense from 0: the numbers are the ids' places in sorted order.
        assert sorted({c for _, c in known}) == list(range(len({t for t, _ in known})))
    for table, frame in given_tables.items():
        assert coded[table].height == frame.height
        assert coded[table].columns == frame.columns


def test_in_place_replaces_the_callers_tables():
    """``in_place`` codes the given dict itself, so the text tables can be let go at once."""
    given_tables = {"contacts": pl.DataFrame({"contact_id": ["b", "a", "b"]})}
    out = code_ids(given_tables, in_place=True)
    assert out is given_tables
    assert given_tables["contacts"]["contact_id"].to_list() == [1, 0, 1]
    assert given_tables["contacts"]["contact_id"].dtype == pl.UInt32


def test_coded_frames_are_polars_only(tmp_path):
    from cypmh.io.extract import write_extract
    from cypmh.io.frames import read_extract_frames
    from cypmh.synth.examples import example_area

    folder = write_extract(example_area(), tmp_path / "x")
    with pytest.raises(ValueError, match="Polars only"):
        read_extract_frames(folder, "duckdb", coded=True)
    coded = read_extract_frames(folder, "polars", coded=True).tables
    plain = read_extract_frames(folder, "polars").tables
    assert coded["contacts"]["referral_id"].dtype == pl.UInt32
    # Hand-checked on the example area: its referrals' ids, sorted, are numbered 0 to 4.
    assert sorted(coded["referrals"]["referral_id"].to_list()) == [0, 1, 2, 3, 4]
    order = plain["referrals"]["referral_id"].to_list()
    assert coded["referrals"]["referral_id"].to_list() == [sorted(order).index(x) for x in order]
