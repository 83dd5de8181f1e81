"""Reading population_groups.csv: each fault names the file, line, column, value and rule."""

import pytest

from cypmh.need.group_population import group_population_from_text, read_group_population
from cypmh.need.population import PopulationError

HEADER = "group,code,age,sex,population\n"


@pytest.mark.parametrize(
    ("row", "column", "value", "rule"),
    [
        ("ethnicity,A,3,male,10", "group", "ethnicity", "must be one of ethnic_category"),
        ("ethnic_category,Z,3,male,10", "code", "Z", "not stated"),
        ("ethnic_category,WBRI,3,male,10", "code", "WBRI", "EthnicCategory code"),
        ("imd_decile,0,3,male,10", "code", "0", "IMD decile, 1 to 10"),
        ("imd_decile,11,3,male,10", "code", "11", "IMD decile, 1 to 10"),
        ("imd_decile,1,91,male,10", "age", "91", "0 to 90"),
        ("imd_decile,1,-1,male,10", "age", "-1", "0 to 90"),
        ("imd_decile,1,3,persons,10", "sex", "persons", "standardised by sex"),
        ("imd_decile,1,3,male,ten", "population", "ten", "whole number"),
        ("imd_decile,1,3,male,-4", "population", "-4", "whole number"),
    ],
)
def test_a_bad_cell_is_named(row, column, value, rule):
    with pytest.raises(PopulationError) as caught:
        group_population_from_text(HEADER + "imd_decile,2,3,male,10\n" + row + "\n", "g.csv")
    error = caught.value
    assert (error.file, error.line, error.column, error.value) == ("g.csv", 3, column, value)
    assert rule in error.rule
    assert str(error).startswith(f"g.csv, line 3, column {column}: {value!r}:")


def test_a_repeated_cell_is_refused():
    text = HEADER + "imd_decile,2,3,male,10\nimd_decile,2,3,m,11\n"
    with pytest.raises(PopulationError, match="line 3, column code: '2': repeats"):
        group_population_from_text(text, "g.csv")


def test_a_layout_that_is_not_this_one_is_refused():
    with pytest.raises(PopulationError, match="line 1: 'age,sex,population': the header must"):
        group_population_from_text("age,sex,population\n3,male,10\n", "g.csv")
    with pytest.raises(PopulationError, match="holds no population"):
        group_population_from_text(HEADER, "g.csv")
    with pytest.raises(PopulationError, match="line 2: has 4 fields"):
        group_population_from_text(HEADER + "imd_decile,2,3,male\n", "g.csv")


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(PopulationError, match=r"no-such\.csv"):
        read_group_population(tmp_path / "no-such.csv")


def test_levels_come_from_the_package_tables():
    # H (Indian) is Asian or Asian British and Non-white British; decile 2 is quintile 01 and
    # the most deprived quintile; 90 and over is "18 or over"; codes 1 and 2 are the sexes.
    text = HEADER + "ethnic_category,H,90+,f,7\nimd_decile,2,17,1,5\n"
    groups = group_population_from_text(text, "g.csv")
    assert groups.cells("ethnicity", 1500) == {"Asian or Asian British": {("18 or over", "2"): 7}}
    assert groups.cells("wnw_ethnicity", 1500) == {"Non-white British": {("18 or over", "2"): 7}}
    assert groups.cells("imd_quintile", 1500) == {"01 Most deprived": {("17", "1"): 5}}
    assert groups.cells("imd_core20", 1500) == {"Most deprived quintile": {("17", "1"): 5}}
