"""The four-week clock's intervention codes from the SNOMED CT UK release's RF2 refset files.

NHS England (``menh_bbrb/notebooks/02_Specific_Prepare/02_4w_waits/4w_waits_prep.py``, views
``SNOMED_4ww_RefSets`` and ``snomed_4ww_refset``) takes each member's latest row by
``effectiveTime`` and keeps the active members of the psychological therapies
(1853461000000105), psychosocial interventions (1853481000000101) and medication and physical
therapy (1853451000000107) sets, and of the assessment procedures set (1853441000000109) only
the two named codes 1085671000000109 and 1914891000000100.

The file below is worked by hand:

- 1001 (therapies): one row, active -> in.
- 1002 (psychosocial): active in 2023, inactivated in 2024 -> out (its latest row is inactive).
- 1003 (medication): inactive in 2023, active again in 2024 -> in.
- 1004 (assessments, not named): active -> out (only the named assessments count).
- 1085671000000109 (assessments, named): active -> in.
- 1914891000000100 (named): not in the file at all -> in (the named codes stand unless the
  file's assessment set marks them inactive).
- 1005 in another refset (999...): skipped -> out.
"""

import pytest

from cypmh.errors import InvalidValueError
from cypmh.pathways import InterventionCodes

HEADER = "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId"
ROWS = [
    ("a1", "20230401", "1", "999000011000000103", "1853461000000105", "1001"),
    ("a2", "20230401", "1", "999000011000000103", "1853481000000101", "1002"),
    ("a2", "20240401", "0", "999000011000000103", "1853481000000101", "1002"),
    ("a3", "20240401", "1", "999000011000000103", "1853451000000107", "1003"),
    ("a3", "20230401", "0", "999000011000000103", "1853451000000107", "1003"),
    ("a4", "20230401", "1", "999000011000000103", "1853441000000109", "1004"),
    ("a5", "20230401", "1", "999000011000000103", "1853441000000109", "1085671000000109"),
    ("a6", "20230401", "1", "999000011000000103", "999000000000000000", "1005"),
]


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "der2_Refset_SimpleFull_GB1000000_20240401.txt"
    lines = [header, *("\t".join(r) for r in rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_active_members_of_the_three_sets_and_the_named_assessments(tmp_path):
    codes = InterventionCodes.from_file(write(tmp_path, ROWS))
    assert codes.codes == {"1001", "1003", "1085671000000109", "1914891000000100"}
    assert not codes.is_default


def test_a_named_assessment_marked_inactive_is_left_out(tmp_path):
    rows = [
        *ROWS,
        ("a5", "20240401", "0", "999000011000000103", "1853441000000109", "1085671000000109"),
    ]
    codes = InterventionCodes.from_file(write(tmp_path, rows))
    assert codes.codes == {"1001", "1003", "1914891000000100"}


def test_a_plain_list_of_the_shipped_codes_is_the_default(tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("1914891000000100\n1085671000000109  # ASD\n", encoding="utf-8")
    assert InterventionCodes.from_file(path).is_default


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a1", "20230401", "1", "m", "1853461000000105")], "line 2 has 5 tab-separated cells"),
        ([("a1", "2023-04-01", "1", "m", "1853461000000105", "1001")], "effectiveTime"),
        ([("a1", "20230401", "yes", "m", "1853461000000105", "1001")], "active: 'yes'"),
        (
            [("a1", "20230401", "1", "m", "999", "1001")],
            "has no row of the MHSDS intervention reference sets",
        ),
    ],
)
def test_a_bad_file_names_its_line_and_column(tmp_path, rows, message):
    with pytest.raises(InvalidValueError, match=message):
        InterventionCodes.from_file(write(tmp_path, rows))


def test_an_empty_list_is_refused(tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(InvalidValueError, match="has no SNOMED CT code in it"):
        InterventionCodes.from_file(path)
