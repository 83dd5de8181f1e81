"""Each SSDA903 collection year's episode codes (issue 36, section 1: SSDA903 2025/26 and 2026/27).

The code lists are the sector validator's, year by year (data-to-insight/csc-validator-be-903,
``lac_validator/rules/lac<year>/rule_146.py`` for PLACE; 143, 144, 145 and 149 for RNE, LS,
CIN and REC, unchanged since ``lac2022_23``). ``lac2026_27`` changes no code list: it adds
the DoLO rules 700 to 710. The lists below are typed from those files, so that the package
table is checked against the source and not against itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given, settings

from cypmh.codes.ssda903 import code_fits, collection_year, episode_codes, year_name
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import read_extract
from tests.io.test_ssda903_as_exported import HEALTH

# fmt: off
PLACE_2022_23 = [
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5",
    "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
]
# lac2024_25/rule_146.py adds "k3" (in lower case there; cypmh reads codes in upper case).
PLACE_2024_25 = [*PLACE_2022_23, "K3"]
# lac2025_26/rule_146.py: H5, P2 and Z1 gone; Z11 to Z14 new.
PLACE_2025_26 = [
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
]
# fmt: on
PLACE_BY_YEAR = {
    2023: PLACE_2022_23,
    2024: PLACE_2022_23,  # lac2023_24 has no rule_146: 2022/23's list holds
    2025: PLACE_2024_25,
    2026: PLACE_2025_26,
    2027: PLACE_2025_26,  # lac2026_27 has no rule_146 either
}
LS = ["C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"]  # rule_144


def test_each_year_lists_the_validators_placement_codes():
    every = sorted({c for codes in PLACE_BY_YEAR.values() for c in codes} | {"XX"})
    for year, codes in PLACE_BY_YEAR.items():
        fitting = {c for c in every if code_fits("PLACE", c, year, year)}
        assert fitting == set(codes), year_name(year)
    assert {c for (f, c) in episode_codes() if f == "LS"} == set(LS)


def test_years_before_the_validators_rules_take_2022_23s_list():
    # The validator starts at 2022/23; an episode of 2019/20 is read against that list.
    assert code_fits("PLACE", "H5", 2020, 2020)
    assert not code_fits("PLACE", "Z12", 2020, 2020)


def test_collection_years_are_named_by_their_31_march():
    assert [collection_year(date(2025, m, 1)) for m in (3, 4)] == [2025, 2026]
    assert year_name(2026) == "2025/26"


YEARS = st.integers(2018, 2030)
CODES = st.sampled_from(sorted({c for codes in PLACE_BY_YEAR.values() for c in codes} | {"XX"}))


@given(CODES, YEARS, YEARS, YEARS, YEARS)
def test_a_code_fits_a_span_when_it_fits_one_of_its_years(code, a, b, c, d):
    """Fitting a span is fitting at least one year of it, so a wider span never fits less."""
    first, last = min(a, b), max(a, b)
    by_year = any(code_fits("PLACE", code, y, y) for y in range(first, last + 1))
    assert code_fits("PLACE", code, first, last) == by_year
    wide = (min(first, c, d), max(last, c, d))
    assert not by_year or code_fits("PLACE", code, *wide)


def _folder(tmp_path: Path, episodes: str) -> Path:
    root = tmp_path / "extract"
    (root / "ssda903").mkdir(parents=True)
    for name, text in HEALTH.items():
        (root / name).write_text(text, encoding="utf-8")
    children = sorted({line.split(",")[0] for line in episodes.splitlines()[1:]})
    header = "CHILD,SEX,DOB\n" + "".join(f"{c},1,01/05/2012\n" for c in children)
    (root / "ssda903" / "header.csv").write_text(header, encoding="utf-8")
    (root / "ssda903" / "episodes.csv").write_text(episodes, encoding="utf-8")
    return root


# Worked by hand. The latest date is 01/06/2025, so the file's collection year is 2025/26
# and an open episode covers its start's year to 2025/26.
#   line 2  H5 from 01/06/2024 to 01/05/2025: 2024/25 and 2025/26; H5 holds in 2024/25: fits
#   line 3  H5 from 01/06/2025, open: 2025/26 only; H5 left in 2025/26: flagged
#   line 4  Z12 from 01/05/2024 to 01/12/2024: 2024/25 only; Z12 starts in 2025/26: flagged
#   line 5  Z12 from 01/04/2025, open: 2025/26: fits
#   line 6  K3 from 01/06/2023 to 01/09/2023: 2023/24; K3 starts in 2024/25: flagged
#   line 7  LS XX: no year lists it: flagged
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC
C1,01/06/2024,S,C2,N1,H5,01/05/2025,E11
C2,01/06/2025,S,C2,N1,H5,,
C3,01/05/2024,S,C2,N1,Z12,01/12/2024,E11
C4,01/04/2025,S,C2,N1,Z12,,
C5,01/06/2023,S,C2,N1,K3,01/09/2023,E11
C6,01/06/2023,S,XX,N1,U1,,
"""


def test_codes_are_read_against_the_years_each_episode_covers(tmp_path):
    root = _folder(tmp_path, EPISODES)
    read = read_extract(root)
    assert read_extract_frames(root, "polars").quality == read.quality
    assert not read.quality.problems
    # Flagged and kept, with the code as given.
    assert len(read.area.care_episodes) == 6
    assert {e.placement for e in read.area.care_episodes} == {"H5", "Z12", "K3", "U1"}
    warnings = [w for w in read.quality.warnings if "DfE's list" in w]
    assert warnings == [
        "ssda903/episodes.csv: 1 row(s) have a LS code that the DfE's list does not hold for "
        "the collection year(s) the episode covers (first at line 7: XX in 2023/24 to 2025/26); "
        "read as given, as the sector validator's rule 144 flags and keeps them",
        "ssda903/episodes.csv: 3 row(s) have a PLACE code that the DfE's list does not hold "
        "for the collection year(s) the episode covers (first at line 3: H5 in 2025/26); read "
        "as given, as the sector validator's rule 146 flags and keeps them",
    ]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(date(2021, 1, 1), date(2027, 12, 31)),
            st.integers(0, 800),
            st.booleans(),
            CODES,
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 10**6),
)
def test_both_readers_flag_the_same_rows(tmp_path_factory, spans, salt):
    """Whatever the dates and codes, the two readers flag the same rows with the same words."""
    lines = ["CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC"]
    for i, (start, days, ended, code) in enumerate(spans):
        end = date.fromordinal(start.toordinal() + days) if ended else None
        dec = f"{end:%d/%m/%Y},E11" if end else ","
        lines.append(f"C{i},{start:%d/%m/%Y},S,C2,N1,{code},{dec}")
    root = _folder(tmp_path_factory.mktemp(f"y{salt}"), "\n".join(lines) + "\n")
    read = read_extract(root)
    assert read_extract_frames(root, "polars").quality == read.quality
    flagged = sum(
        int(w.split(": ")[1].split(" ")[0]) for w in read.quality.warnings if "DfE's list" in w
    )
    expected = 0
    year_end = max(collection_year(d) for d in _dates(spans))
    for start, days, ended, code in spans:
        last = collection_year(date.fromordinal(start.toordinal() + days)) if ended else year_end
        expected += not any(
            code in PLACE_BY_YEAR.get(min(max(y, 2023), 2027), ())
            for y in range(collection_year(start), last + 1)
        )
    assert flagged == expected


def _dates(spans):
    for start, days, ended, _ in spans:
        yield start
        if ended:
            yield date.fromordinal(start.toordinal() + days)


def test_the_returns_other_tables_are_named_as_not_read(tmp_path):
    """The 2026-27 DoLo table, and any other file of the return, is named: never passed over."""
    root = _folder(tmp_path, "CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC\nC1,01/06/2026,S,C2,N1,K2,,\n")
    dolo = "CHILD,DOB,DOLO_START,DOLO_END\nC1,01/05/2012,01/07/2026,\n"
    (root / "ssda903" / "DoLo.csv").write_text(dolo, encoding="utf-8")
    (root / "ssda903" / "reviews.csv").write_text(
        "CHILD,DOB,REVIEW,REVIEW_CODE\n", encoding="utf-8"
    )
    read = read_extract(root)
    assert read_extract_frames(root, "polars").quality == read.quality
    named = [w.split(": ")[0] for w in read.quality.warnings if ": not read: " in w]
    assert named == ["ssda903/DoLo.csv", "ssda903/reviews.csv"]
