"""The White British / non-White British breakdown, as NHS England derives it.

NHSDigital/mental-health-monthly-statistics, ``Mental_Health_Monthly_Statistics/menh_bbrb/``:
``schemas/00_create_common_objects/01_create_common_tables.py`` lines 1075-1097 give each
ethnic category its ``WNWEthnicity`` (A White British; Z and 99 Missing/invalid; every
other code Non-white British; T, U and V valid in UniqMonthID 1390 only);
``notebooks/01_Generic_Prepare/00_generic_prep.py`` line 333 makes a code with no valid
row ``UNKNOWN``; ``notebooks/breakdown_metadata.py`` line 176 names the breakdown
"England; Ethnicity (White British/Non-White British)".

By hand, March 2025: seven children, each with a referral received 1 March 2025 (REJ01a
counts them), of ethnic categories A, B, H, Z, 99, T (not valid after 1390) and none:
White British 1 (A), Non-white British 2 (B, H), Missing/invalid 2 (Z, 99), UNKNOWN 2
(T, none).
"""

from datetime import date

from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, referral

CATEGORIES = {"P1": "A", "P2": "B", "P3": "H", "P4": "Z", "P5": "99", "P6": "T", "P7": None}


def test_white_british_against_the_rest():
    records = area(
        children=[child(p, ethnic_category=c) for p, c in CATEGORIES.items()],
        referrals=[referral(f"R{p}", date(2025, 3, 1), person_id=p) for p in CATEGORIES],
    )
    rows = results(records, "REJ01a", breakdowns=("wnw_ethnicity",))
    by_level = {level: row.value for (_, b, level), row in rows.items() if b == "wnw_ethnicity"}
    assert by_level == {
        "White British": 1,
        "Non-white British": 2,
        "Missing/invalid": 2,
        "UNKNOWN": 2,
    }
