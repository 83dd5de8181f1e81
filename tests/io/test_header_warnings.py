"""A misspelt column is named with the contract column it was probably meant to be."""

import pytest

from cypmh.__main__ import main
from cypmh.io.readers import read_extract
from cypmh.synth import write_synthetic


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


SUGGESTION = (
    "MHS101Referral.csv: column 'ServDischargeDate' is not in the contract: "
    "did you mean 'ServDischDate'? (read as absent: the file has no ServDischDate)"
)
OTHERS = "MHS101Referral.csv: columns not in the contract, ignored: Notes"


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
