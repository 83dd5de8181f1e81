"""Reading the English Indices of Deprivation from GOV.UK's own CSV layout.

The headers are those of File 7 of IoD2019 ("LSOA code (2011)", ..., "Local Authority
District code (2019)", ..., "Index of Multiple Deprivation (IMD) Decile (where 1 is most
deprived 10% of LSOAs)") and of IoD2025 (the same on "LSOA code (2021)" and districts of
2024). Every problem names the file, line and column.
"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.need.deprivation import (
    NHS_ENGLAND,
    Deprivation,
    DeprivationError,
    choose,
    deprivation_from_text,
    read_deprivation,
)
from cypmh.periods import uniq_month_id
from cypmh.synth.deprivation import synthetic_deprivation, synthetic_deprivation_text
from tests.budget import examples

DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
HEAD_2019 = (
    "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    "Local Authority District name (2019),Index of Multiple Deprivation (IMD) Score,"
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)," + f"{DECILE}\n"
)
HEAD_2025 = HEAD_2019.replace("(2011)", "(2021)").replace("(2019)", "(2024)")


def test_iod2019_file_7():
    text = HEAD_2019 + "E01000001,City of London 001A,E09000001,City of London,6.2,29199,9\n"
    read = deprivation_from_text(text, "iod.csv")
    assert (read.release, read.decile("E01000001"), read.synthetic) == ("IoD2019", 9, False)
    assert read.about.lsoa_column == "LSOA2011"


def test_iod2025_is_known_by_its_2021_lsoas():
    text = HEAD_2025 + "E01035000,Somewhere 001A,E06000001,Somewhere,30.1,4000,2\n"
    read = deprivation_from_text(text, "iod.csv")
    assert (read.release, read.about.lsoa_column) == ("IoD2025", "LSOA2021")


def test_a_byte_order_mark_and_blank_lines_are_read():
    text = "\ufeff" + HEAD_2019 + "E01000001,a,E09000001,b,1,1,3\n\n"
    assert deprivation_from_text(text, "iod.csv").decile("E01000001") == 3


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("lsoa,decile\nE01000001,1\n", 1, "", "not the government's layout"),
        ("LSOA code (2011),IMD\nE01000001,1\n", 1, "", "has no IMD decile column"),
        (HEAD_2019 + "E01000001,a,E09000001,b,1,1,11\n", 2, DECILE, "from 1 to 10"),
        (HEAD_2019 + "E01000001,a,E09000001,b,1,1,x\n", 2, DECILE, "from 1 to 10"),
        (HEAD_2019 + ",a,E09000001,b,1,1,3\n", 2, "LSOA code (2011)", "is required"),
        (
            HEAD_2019 + "E01000001,a,E09000001,b,1,1,3\nE01000001,a,E09000001,b,1,1,4\n",
            3,
            "LSOA code (2011)",
            "in the file twice",
        ),
        (HEAD_2019 + "E01000001,a\n", 2, "", "fewer than the header's"),
        (HEAD_2019.replace("(2019)", "(2013)"), 1, "Local Authority District code (2013)", "older"),
        (HEAD_2019.replace("(2011)", "(2001)"), 1, "LSOA code (2001)", "on 2001 LSOAs"),
        (HEAD_2019, None, "", "no LSOAs"),
    ],
)
def test_problems_name_the_file_line_and_column(text, line, column, words):
    with pytest.raises(DeprivationError) as caught:
        deprivation_from_text(text, "iod.csv")
    error = caught.value
    assert error.file == "iod.csv"
    assert (error.line, error.column) == (line, column)
    assert words in str(error)
    assert str(error).startswith("iod.csv")


def test_a_release_that_does_not_fit_the_lsoa_vintage_is_refused(tmp_path):
    path = tmp_path / "iod.csv"
    path.write_text(HEAD_2019 + "E01000001,a,E09000001,b,1,1,3\n", encoding="utf-8")
    with pytest.raises(DeprivationError) as caught:
        read_deprivation(path, release="IoD2025")
    assert caught.value.column == "LSOA code (2011)"
    assert "IoD2025 is on 2021 LSOAs" in str(caught.value)
    assert read_deprivation(path, release="IoD2019").decile("E01000001") == 3


def test_the_synthetic_file_is_labelled_synthetic():
    read = synthetic_deprivation()
    assert read.synthetic
    assert "synthetic" in read.describe()
    assert deprivation_from_text(synthetic_deprivation_text(), "x").deciles == read.deciles
    # Four made-up LSOAs to each decile.
    assert sorted(read.deciles.values()) == sorted(list(range(1, 11)) * 4)


@settings(max_examples=examples(60), deadline=None)
@given(
    deciles=st.dictionaries(
        st.from_regex(r"E01[0-9]{6}", fullmatch=True), st.integers(1, 10), min_size=1
    ),
    vintage=st.sampled_from(["2011", "2021"]),
)
def test_every_row_written_is_read_back(deciles, vintage):
    """A file in the government's layout gives back each LSOA's decile, whatever the rows."""
    head = HEAD_2019 if vintage == "2011" else HEAD_2025
    text = head + "".join(f"{code},n,E09000001,d,1.0,1,{d}\n" for code, d in deciles.items())
    read = deprivation_from_text(text, "iod.csv")
    assert dict(read.deciles) == deciles
    assert read.about.lsoa_vintage == int(vintage)


def test_choose_follows_nhs_england_unless_told():
    march = uniq_month_id(date(2025, 3, 31))
    old, new = (
        Deprivation(release="IoD2019", deciles={}),
        Deprivation(release="IoD2025", deciles={}),
    )
    assert choose([new, old], None, march)[0] is old
    assert choose([new, old], NHS_ENGLAND, march)[0] is old
    assert choose([new, old], "IoD2025", march)[0] is new
    # Only IoD2025 given: it is read, and the words say NHS England's code reads IoD2019.
    chosen, why = choose([new], None, march)
    assert chosen is new
    assert "NHS England's code reads IoD2019" in why
    assert choose([], None, march)[0] is None
    with pytest.raises(DeprivationError, match="IoD2025 was chosen"):
        choose([old], "IoD2025", march)
