"""A misspelt column is named with the contract column it was probably meant to be."""

import pytest

from cypmh.__main__ import main
from cypmh.io.readers import read_extract
from cypmh.synth.folder import write_synthetic


@pytest.fixture
def misspelt(tmp_path):
    folder = write_synthetic(tmp_path / "area", seed=2, people=40)
    path = folder / "MHS101Referral.csv"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    assert "ServDischDate" in head.split(",")
    head = head.replace("ServDischDate", "ServDischargeDate") + ",Notes"
    rest = "".join(line + ",x\n" for line in rest.splitlines())
    path.write_text(head + "\n" + rest, encoding="utf-8")
    return folder


# The synthetic MHS101Referral.csv has 13 columns, ServDischDate the 13th; Notes is added as
# the 14th. Warnings give positions, never the names (input text).
SUGGESTION = (
    "MHS101Referral.csv: column 13 is not in the contract but looks like ServDischDate "
    "misspelt (read as absent: the file has no ServDischDate)"
)
OTHERS = "MHS101Referral.csv: 1 column not in the contract, ignored (column 14)"


def test_the_reference_reader_suggests_the_contract_name(misspelt):
    warnings = read_extract(misspelt).quality.warnings
    assert SUGGESTION in warnings
    assert OTHERS in warnings


def test_the_frame_reader_says_the_same(misspelt):
    pytest.importorskip("polars")
    from cypmh.io.frames import read_extract_frames

    warnings = read_extract_frames(misspelt, "polars").quality.warnings
    assert SUGGESTION in warnings
    assert OTHERS in warnings


def test_the_report_says_it_on_standard_error(misspelt, capsys):
    status = main(["report", str(misspelt), "--period", "2025-03", "--engine", "reference"])
    _, err = capsys.readouterr()
    assert status == 0
    assert f"Warning: {SUGGESTION}" in err


def test_a_synthetic_extract_has_no_such_warning(tmp_path):
    folder = write_synthetic(tmp_path / "clean", seed=2, people=40)
    assert not [w for w in read_extract(folder).quality.warnings if "contract" in w]


def test_validate_names_the_unknown_columns(misspelt, capsys):
    """The names stay in validate, which is record-level."""
    status = main(["validate", str(misspelt)])
    out, _ = capsys.readouterr()
    assert status == 0
    assert "MHS101Referral.csv column 13: 'ServDischargeDate'" in out
    assert "MHS101Referral.csv column 14: 'Notes'" in out


def test_no_report_carries_a_column_name(misspelt, capsys, tmp_path):
    for fmt in ("text", "html", "csv", "json"):
        status = main(["report", str(misspelt), "--period", "2025-03", "--format", fmt])
        out, _ = capsys.readouterr()
        assert status == 0
        assert "ServDischargeDate" not in out, fmt
        assert "Notes" not in out, fmt
