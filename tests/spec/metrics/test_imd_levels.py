"""The IMD breakdowns (decile, quintile, Core20), as NHS England derives them.

NHSDigital/mental-health-monthly-statistics at 7b4d7421, ``Mental_Health_Monthly_Statistics/
menh_bbrb/``:

- ``notebooks/01_Generic_Prepare/00_generic_prep.py`` lines 341-348: the person's
  ``LSOA2011`` joined to the indices with ``IMD_YEAR = '2019'``, and a person with no match
  ``UNKNOWN`` (``COALESCE(DEC.IMD_Decile, 'UNKNOWN')``);
- ``schemas/00_create_common_objects/01_create_common_tables.py`` lines 1117-1128
  (``imd_desc``): decile 1 is "01 Most deprived", 2-5 "0n More deprived", 6-9 "0n Less
  deprived", 10 "10 Least deprived"; quintiles pair the deciles (1-2 "01 Most deprived",
  3-4 "02", 5-6 "03", 7-8 "04", 9-10 "05 Least deprived"); Core20 is "Most deprived
  quintile" for deciles 1-2 and "Other 4 quintiles" for the rest;
- ``notebooks/breakdown_metadata.py`` names the breakdowns "England; IMD Decile",
  "England; IMD Quintile" and "England; IMD Core20".

By hand, March 2025: six children, each with one referral received on 1 March 2025, so
that REJ01a (referrals received in the month) counts each once. A made-up IoD2019 file
gives LSOA E01000001 decile 1, E01000002 decile 2, E01000003 decile 6 and E01000004
decile 10:

- P1 E01000001 (decile 1), P2 E01000002 (2), P3 E01000003 (6), P4 E01000004 (10);
- P5 has an LSOA the file lacks (E01099999), P6 none: both UNKNOWN.

Deciles: 01 Most deprived 1, 02 More deprived 1, 06 Less deprived 1, 10 Least deprived 1,
UNKNOWN 2, the rest 0. Quintiles: 01 Most deprived 2 (P1, P2), 03 1, 05 Least deprived 1,
UNKNOWN 2. Core20: Most deprived quintile 2, Other 4 quintiles 2, UNKNOWN 2.

With IoD2025 chosen, the 2021 LSOA is read instead: each child's ``lsoa2021`` below is the
2021 code of the next child's 2011 one, so P1 (E01000002 in 2021) reads decile 2, and so on.
"""

from datetime import date

import pytest

from cypmh.metrics import MetricOptions
from cypmh.need.deprivation import Deprivation
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, referral

LSOAS = {
    "P1": "E01000001",
    "P2": "E01000002",
    "P3": "E01000003",
    "P4": "E01000004",
    "P5": "E01099999",
    "P6": None,
}
DECILES = {"E01000001": 1, "E01000002": 2, "E01000003": 6, "E01000004": 10}
LATER = {"P1": "E01000002", "P2": "E01000003", "P3": "E01000004", "P4": None, "P5": None}


def _records():
    return area(
        children=[child(p, lsoa=code, lsoa2021=LATER.get(p)) for p, code in LSOAS.items()],
        referrals=[referral(f"R{p}", date(2025, 3, 1), person_id=p) for p in LSOAS],
    )


def _levels(rows, breakdown):
    return {level: row.value for (_, b, level), row in rows.items() if b == breakdown and row.value}


def test_deciles_quintiles_and_core20_of_the_2011_lsoa():
    options = MetricOptions(deprivation=Deprivation(release="IoD2019", deciles=DECILES))
    rows = results(
        _records(),
        "REJ01a",
        breakdowns=("imd_decile", "imd_quintile", "imd_core20"),
        options=options,
    )
    assert _levels(rows, "imd_decile") == {
        "01 Most deprived": 1,
        "02 More deprived": 1,
        "06 Less deprived": 1,
        "10 Least deprived": 1,
        "UNKNOWN": 2,
    }
    assert _levels(rows, "imd_quintile") == {
        "01 Most deprived": 2,
        "03": 1,
        "05 Least deprived": 1,
        "UNKNOWN": 2,
    }
    assert _levels(rows, "imd_core20") == {
        "Most deprived quintile": 2,
        "Other 4 quintiles": 2,
        "UNKNOWN": 2,
    }
    # Every level of the lookup is published, with or without members.
    deciles = {level for (_, b, level) in rows if b == "imd_decile"}
    assert len(deciles) == 11


def test_iod2025_reads_the_2021_lsoa():
    """P1-P3 read the deciles 2, 6, 10 of their 2021 LSOAs; P4-P6 have none: UNKNOWN 3."""
    options = MetricOptions(deprivation=Deprivation(release="IoD2025", deciles=DECILES))
    rows = results(_records(), "REJ01a", breakdowns=("imd_decile",), options=options)
    assert _levels(rows, "imd_decile") == {
        "02 More deprived": 1,
        "06 Less deprived": 1,
        "10 Least deprived": 1,
        "UNKNOWN": 3,
    }


def test_the_release_nhs_england_reads_wins_over_another_given():
    """Both files given, no choice: March 2025 reads IoD2019, as NHS England's code does."""
    options = MetricOptions(
        deprivation=(
            Deprivation(release="IoD2025", deciles={}),
            Deprivation(release="IoD2019", deciles=DECILES),
        )
    )
    rows = results(_records(), "REJ01a", breakdowns=("imd_core20",), options=options)
    assert _levels(rows, "imd_core20")["Most deprived quintile"] == 2


def test_without_a_file_the_imd_breakdowns_give_no_rows():
    rows = results(_records(), "REJ01a", breakdowns=("imd_decile",))
    assert not [key for key in rows if key[1] == "imd_decile"]


def test_members_by_an_imd_level_need_a_file(engine):
    from cypmh.errors import InvalidValueError
    from cypmh.metrics import members

    with pytest.raises(InvalidValueError, match="need a deprivation file"):
        members(
            _records(), "REJ01a", "2025-03", engine=engine, breakdown="imd_decile", level="UNKNOWN"
        )
