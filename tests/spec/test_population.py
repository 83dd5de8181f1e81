"""Reading populations and prevalence schemes: the three layouts, the choices and the errors.

The files are written here by hand, in the layouts ONS publishes (section 1 of issue 18):
the MYE2 sheet saved as CSV, with its title rows above the header; the MYEB1 long layout;
and a plain ``age, sex, population`` file. Totals are summed by hand in each comment.
"""

import csv
from pathlib import Path

import pytest

from cypmh.need.population import PopulationError
from cypmh.need.population_files import read_population
from cypmh.need.prevalence import SCHEMES, SchemeError, load_scheme, scheme_named

DATA = Path(__file__).parents[2] / "src" / "cypmh" / "codes" / "data"


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _mye2(folder, title="MYE2 - Males: Mid-2022 Population Estimates", name="males.csv"):
    ages = ",".join(str(a) for a in range(90)) + ",90+"
    first = ",".join(["10"] * 18 + ["1"] * 73)  # ages 0-17: 10 each; 18-90+: 1 each
    second = ",".join(["20"] * 18 + ["2"] * 73)
    return _write(
        folder,
        name,
        f"{title}\n\n"
        f"Code,Name,Geography,All ages,{ages}\n"
        f"E08000025,Birmingham,Metropolitan District,253,{first}\n"
        f"E08000026,Coventry,Metropolitan District,506,{second}\n",
    )


def test_mye2_wide_with_the_header_a_few_rows_down(tmp_path):
    # Birmingham: 18 ages x 10 = 180 aged 0-17. Title says Males, Mid-2022.
    population = read_population(_mye2(tmp_path), areas="E08000025")
    assert population.total() == 180
    assert population.of(17, "male") == 10
    assert population.total(ages=range(91)) == 180 + 73
    assert (population.year, population.areas, population.has_sex) == (2022, ("E08000025",), True)


def test_mye2_several_areas_are_summed(tmp_path):
    # 180 + 18 x 20 = 540.
    population = read_population(_mye2(tmp_path), areas=["E08000025", "E08000026"])
    assert population.total() == 540


def test_mye2_males_and_females_together(tmp_path):
    males = read_population(_mye2(tmp_path), areas="E08000025")
    females = read_population(
        _mye2(tmp_path, "MYE2 - Females: Mid-2022", "females.csv"), areas="E08000025"
    )
    both = males.plus(females)
    assert (both.total(), both.total(sex="female"), both.year) == (360, 180, 2022)


def test_mye2_without_a_sex_in_its_title_asks_for_one(tmp_path):
    path = _mye2(tmp_path, title="Population estimates")
    with pytest.raises(PopulationError, match="pass sex="):
        read_population(path, areas="E08000025")
    assert read_population(path, areas="E08000025", sex="persons").has_sex is False


def test_an_area_not_in_the_file_lists_the_codes_it_has(tmp_path):
    with pytest.raises(PopulationError) as caught:
        read_population(_mye2(tmp_path), areas="E06000001")
    message = str(caught.value)
    assert "E06000001" in message
    assert "E08000025, E08000026" in message


def test_several_areas_and_no_choice_is_an_error_naming_them(tmp_path):
    with pytest.raises(PopulationError, match=r"holds 2 areas.*E08000025, E08000026"):
        read_population(_mye2(tmp_path))


def test_the_wrong_year_for_a_sheet_is_an_error(tmp_path):
    with pytest.raises(PopulationError, match="mid-2022 estimate, not 2021"):
        read_population(_mye2(tmp_path), areas="E08000025", year=2021)


def _myeb1(folder):
    rows = ["ladcode23,laname23,country,sex,age,population_2021,population_2022"]
    for code in ("E08000025", "E08000026"):
        for sex in (1, 2):
            for age in range(91):
                rows.append(f"{code},Somewhere,E,{sex},{age},{age + 1},{age + 2}")
    return _write(folder, "myeb1.csv", "\n".join(rows) + "\n")


def test_myeb1_long_takes_the_latest_year_by_default(tmp_path):
    # 2022: age a has a + 2 people of each sex. Ages 0-17 per sex: sum(2..19) = 189; both 378.
    population = read_population(_myeb1(tmp_path), areas="E08000025")
    assert (population.year, population.total(), population.of(0, "female")) == (2022, 378, 2)


def test_myeb1_chosen_year(tmp_path):
    # 2021: a + 1 each: sum(1..18) = 171 per sex, 342 both.
    assert read_population(_myeb1(tmp_path), areas="E08000025", year=2021).total() == 342


def test_myeb1_a_missing_year_lists_the_years(tmp_path):
    with pytest.raises(PopulationError, match="no year 2019; it has 2021, 2022"):
        read_population(_myeb1(tmp_path), areas="E08000025", year=2019)


def test_plain_long(tmp_path):
    path = _write(tmp_path, "p.csv", "age,sex,population\n0,M,5\n0,F,6\n17,male,7\n18,male,100\n")
    population = read_population(path)
    assert (population.total(), population.of(0)) == (18, 11)


@pytest.mark.parametrize(
    ("body", "line", "column", "value"),
    [
        ("age,sex,population\n0,male,5\n1,boy,6\n", 3, "sex", "boy"),
        ("age,sex,population\n0,male,5\n1,male,six\n", 3, "population", "six"),
        ("age,sex,population\n0,male,5\n1,male,-2\n", 3, "population", "-2"),
        ("age,sex,population\n0,male,5\n101,male,2\n", 3, "age", "101"),
        ("age,sex,population\n0,male,2.5\n", 2, "population", "2.5"),
    ],
)
def test_a_bad_cell_names_file_line_column_and_value(tmp_path, body, line, column, value):
    path = _write(tmp_path, "bad.csv", body)
    with pytest.raises(PopulationError) as caught:
        read_population(path)
    error = caught.value
    assert (error.line, error.column, error.value) == (line, column, value)
    assert str(error).startswith(f"{path}, line {line}, column {column}: {value!r}:")


def test_an_unknown_layout_says_which_it_reads(tmp_path):
    with pytest.raises(PopulationError, match="no header found: expected an ONS MYE2"):
        read_population(_write(tmp_path, "x.csv", "a,b\n1,2\n"))


def test_mixing_persons_and_sexes_is_an_error(tmp_path):
    path = _write(tmp_path, "mixed.csv", "age,sex,population\n0,all,5\n1,male,6\n")
    with pytest.raises(PopulationError, match="mixes persons"):
        read_population(path)


# Schemes.


def _csv_rows():
    with (DATA / "prevalence.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_shipped_schemes_take_their_rates_from_prevalence_csv():
    rows = _csv_rows()
    for scheme in SCHEMES.values():
        for band in scheme.bands:
            match = [
                r
                for r in rows
                if r["scheme"] == scheme.name
                and int(r["age_from"]) == band.age_from
                and int(r["age_to"]) == band.age_to
                and r["sex"] == band.sex
            ]
            assert len(match) == 1
            assert float(match[0]["rate_percent"]) == band.rate_percent
            assert match[0]["measure"] == scheme.measure


def test_the_three_required_schemes_and_their_measures():
    assert SCHEMES["ons_2004"].measure == "diagnosed_disorder"
    assert SCHEMES["mhcyp_2017"].measure == "diagnosed_disorder"
    assert SCHEMES["mhcyp_2023"].measure == "probable_disorder"


def test_the_fill_of_mhcyp_2023_is_stated():
    # MHCYP 2023 covers 8 to 10, 11 to 16 and 17 to 19: 0 to 7 take the 8 to 10 rate, 15.7%.
    scheme = SCHEMES["mhcyp_2023"]
    assert scheme.filled_ages == tuple(range(8))
    assert scheme.rate(0) == 15.7
    assert scheme.fill_statement == (
        "The survey does not cover ages 0 to 7: ages 0 to 7 take the 8 to 10 rate (15.7%)."
    )


def test_an_unknown_scheme_lists_the_shipped_ones():
    with pytest.raises(SchemeError, match="ons_2004, mhcyp_2017, mhcyp_2022, mhcyp_2023"):
        scheme_named("mhcyp_1999")


def test_a_scheme_file_of_ones_own(tmp_path):
    path = _write(
        tmp_path,
        "local.csv",
        "scheme,measure,age_from,age_to,sex,rate_percent\nlocal,diagnosed_disorder,5,16,all,10\n",
    )
    scheme = load_scheme(path, fill="none")
    assert (scheme.name, scheme.rate(5), scheme.rate(4), scheme.rate(17)) == (
        "local",
        10.0,
        None,
        None,
    )
    assert "left out of the need" in scheme.fill_statement


def test_a_scheme_file_mixing_measures_is_refused(tmp_path):
    path = _write(
        tmp_path,
        "mixed.csv",
        "measure,age_from,age_to,sex,rate_percent\n"
        "diagnosed_disorder,5,10,all,8\n"
        "probable_disorder,11,16,all,20\n",
    )
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    assert (caught.value.line, caught.value.column) == (3, "measure")
    assert "mixes measures" in str(caught.value)


def test_overlapping_bands_are_refused(tmp_path):
    path = _write(
        tmp_path,
        "overlap.csv",
        "measure,age_from,age_to,sex,rate_percent\nm,5,10,all,8\nm,10,16,all,9\n",
    )
    with pytest.raises(SchemeError, match="overlap"):
        load_scheme(path)
