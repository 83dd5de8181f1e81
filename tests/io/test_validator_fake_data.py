"""The sector validator's own fake SSDA903 data (tests/data/csc903_fake) reads as an extract.

The files are the DfE's column sets as a council's system exports them (see the
folder's README). What must hold, from the standards rather than from cypmh's output:
no fatal error; no column unknown (all are the DfE's); every row read is used or
reported; both readers give the same report; both engines the same SDQ figures.
The data's own errors are open episodes with a reason for ceasing, which the validator's
rule 148 flags and keeps ("Date episode ceased and reason episode ceased must both be
coded, or both left blank"): cypmh keeps them too, as open episodes, and says how many in a
warning (counted here from the file itself). No row is rejected.
"""

import csv
import shutil
from pathlib import Path

from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import read_extract
from cypmh.metrics import compute
from cypmh.metrics.frames import compute_frames

FAKE = Path(__file__).parent.parent / "data" / "csc903_fake"
HEALTH = {
    "MHS001MPI.csv": "Person_ID,PersonBirthDate\n",
    "MHS101Referral.csv": "UniqServReqID,Person_ID,OrgIDProv,ReferralRequestReceivedDate\n",
    "MHS201CareContact.csv": "UniqCareContID,UniqServReqID,Person_ID,CareContDate,AttendStatus\n",
}


def fake_folder(tmp_path: Path) -> Path:
    root = tmp_path / "extract"
    (root / "ssda903").mkdir(parents=True)
    for name, text in HEALTH.items():
        (root / name).write_text(text, encoding="utf-8")
    for name in ("header", "episodes", "oc2"):
        shutil.copy(FAKE / f"{name}.csv", root / "ssda903" / f"{name}.csv")
    return root


def _lines(name: str) -> int:
    return sum(1 for line in (FAKE / f"{name}.csv").read_text().splitlines()[1:] if line)


def test_reads_with_every_row_accounted_for(tmp_path):
    root = fake_folder(tmp_path)
    result = read_extract(root)
    quality = result.quality
    assert not [w for w in quality.warnings if "not in the contract" in w]
    for name in ("header", "episodes", "oc2"):
        counts = quality.files[f"ssda903/{name}.csv"]
        assert counts.read == _lines(name)
        assert counts.read == counts.used + counts.rejected
    assert quality.problems == ()
    with (FAKE / "episodes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    open_with_reason = [
        i + 2 for i, r in enumerate(rows) if r["REC"].strip() and not r["DEC"].strip()
    ]
    assert len(open_with_reason) == 1413  # the trial's count
    assert (
        f"ssda903/episodes.csv: 1413 row(s) have a reason ceased (REC) but no date ceased (DEC); "
        "read as open episodes, as the sector validator's rule 148 flags and keeps them "
        f"(first at line {min(open_with_reason)})"
    ) in quality.warnings
    open_episodes = [e for e in result.area.care_episodes if e.end is None]
    assert len(open_episodes) == sum(1 for r in rows if not r["DEC"].strip())
    assert len(result.area.children) == _lines("header")
    assert read_extract_frames(root, "polars").quality == quality


def test_both_engines_give_the_same_sdq_figures(tmp_path):
    root = fake_folder(tmp_path)
    area = read_extract(root).area
    tables = read_extract_frames(root, "polars").tables
    for month in ("2017-03", "2018-03"):
        options = {"metrics": ["SDQ01", "SDQ02"], "disclosure": "none"}
        reference = [
            (r.metric_id, r.value, r.numerator, r.denominator)
            for r in compute(area, month, **options)
        ]
        framed = [
            (r.metric_id, r.value, r.numerator, r.denominator)
            for r in compute_frames(tables, month, **options)
        ]
        assert reference == framed
