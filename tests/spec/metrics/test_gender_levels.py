"""The gender breakdown's levels, as NHS England derives them.

NHSDigital/mental-health-monthly-statistics,
``Mental_Health_Monthly_Statistics/menh_bbrb/notebooks/01_Generic_Prepare/00_generic_prep.py``
lines 353-356 join ``gender_desc`` on ``CASE WHEN GenderIDCode IN ('1','2','3','4') THEN
GenderIDCode WHEN Gender IN ('1','2','9') THEN Gender ELSE 'UNKNOWN' END``, and line 336
makes a missing match ``UNKNOWN``; ``schemas/00_create_common_objects/01_create_common_tables.py``
lines 1000-1006 name the levels (1 Male, 2 Female, 9 Indeterminate, UNKNOWN UNKNOWN). The
extract has ``Gender`` and no ``GenderIDCode``, so a person's level is their ``Gender``
where it is 1, 2 or 9, and UNKNOWN otherwise.

By hand: six children, each with one referral received 1 March 2025 (REJ01a counts
them): genders 1, 2, 2, 9, X and missing, and one with 3 (a gender identity code, which
the publication reads only from ``GenderIDCode``). Levels: 1 -> 1, 2 -> 2, 9 -> 1,
UNKNOWN -> 3 (X, missing and 3).
"""

from datetime import date

from cypmh.metrics.table import level_label
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, referral

GENDERS = {"P1": "1", "P2": "2", "P3": "2", "P4": "9", "P5": "X", "P6": None, "P7": "3"}


def test_gender_levels_are_the_publication_s():
    records = area(
        children=[child(p, gender=g) for p, g in GENDERS.items()],
        referrals=[referral(f"R{p}", date(2025, 3, 1), person_id=p) for p in GENDERS],
    )
    rows = results(records, "REJ01a", breakdowns=("sex",))
    by_level = {level: row.value for (_, b, level), row in rows.items() if b == "sex"}
    assert {k: v for k, v in by_level.items() if v} == {"1": 1, "2": 2, "9": 1, "UNKNOWN": 3}
    assert [level_label("sex", c) for c in ("1", "2", "9", "UNKNOWN")] == [
        "Male",
        "Female",
        "Indeterminate",
        "UNKNOWN",
    ]
