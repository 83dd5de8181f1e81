"""The deprivation a command reads: the folder's file, the option, the release stated, refusals."""

import csv
import io

import pytest

from cypmh.__main__ import main
from cypmh.synth.deprivation import DEPRIVATION_FILE
from tests.end_to_end.test_cli import run


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "area"
    assert main(["synth", str(folder), "--seed", "5", "--people", "150"]) == 0
    return folder


def _rows(out):
    return list(csv.DictReader(io.StringIO(out)))


def _copy(extract, folder, *, leave_out=()):
    """The extract's top-level files in a new ``folder``, but those named in ``leave_out``."""
    folder.mkdir()
    for path in extract.iterdir():
        if path.is_file() and path.name not in leave_out:
            (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _rewrite_mpi(folder, rows, columns):
    with (folder / "MHS001MPI.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_the_folders_file_gives_the_imd_quintile_and_states_the_release(capsys, extract):
    status, out, _ = run(capsys, "report", str(extract), "--period", "2025-03", "--metric", "MHS95")
    assert status == 0
    rows = _rows(out)
    quintiles = {r["PRIMARY_LEVEL"] for r in rows if r["BREAKDOWN"] == "England; IMD Quintile"}
    assert quintiles == {"01 Most deprived", "02", "03", "04", "05 Least deprived", "UNKNOWN"}
    said = rows[0]["SETTINGS"]
    assert "deprivation_release: nhs_england: IoD2019" in said
    assert "synthetic" in said


def test_an_imd_breakdown_without_a_file_is_refused(capsys, extract, tmp_path):
    bare = _copy(extract, tmp_path / "bare", leave_out={DEPRIVATION_FILE})
    status, _, err = run(
        capsys, "report", str(bare), "--period", "2025-03", "--breakdown", "imd_core20"
    )
    assert status == 2
    assert "--breakdown imd_core20" in err
    assert "deprivation.csv" in err
    # Not asked for, the run goes on without the IMD breakdowns and says so.
    status, out, _ = run(capsys, "report", str(bare), "--period", "2025-03", "--metric", "MHS95")
    assert status == 0
    assert not [r for r in _rows(out) if "IMD" in r["BREAKDOWN"]]
    assert "deprivation: none: the IMD breakdowns are not available" in _rows(out)[0]["SETTINGS"]


def test_a_release_whose_lsoa_column_the_mpi_lacks_is_refused(capsys, extract, tmp_path):
    """IoD2025 reads LSOA2021; an MPI without it cannot give the IMD breakdowns."""
    folder = _copy(extract, tmp_path / "x")
    mpi = _rows((folder / "MHS001MPI.csv").read_text())
    _rewrite_mpi(folder, mpi, [c for c in mpi[0] if c != "LSOA2011"])
    status, _, err = run(
        capsys, "report", str(folder), "--period", "2025-03", "--breakdown", "imd_decile"
    )
    assert status == 2
    assert "MHS001MPI.csv has no LSOA2011 column" in err


def test_a_file_that_is_not_the_governments_names_itself(capsys, extract, tmp_path):
    bad = tmp_path / "iod.csv"
    bad.write_text("lsoa,decile\nE01000001,1\n", encoding="utf-8")
    status, _, err = run(
        capsys, "report", str(extract), "--period", "2025-03", "--deprivation", str(bad)
    )
    assert status == 1
    assert "iod.csv, line 1" in err
    assert "not the government's layout" in err


def test_the_board_page_shows_the_gradient(capsys, tmp_path):
    out = tmp_path / "trend.html"
    status, _, _ = run(
        capsys,
        "trend",
        "--demo",
        "--from",
        "2025-01",
        "--metric",
        "MHS95",
        "--format",
        "html",
        "--out",
        str(out),
    )
    assert status == 0
    page = out.read_text()
    assert "Deprivation: who is seen and who is turned away" in page
    assert "most deprived fifth of neighbourhoods" in page
    assert "IoD2019 (40 LSOAs of 2011, a synthetic file)" in page
    assert "Referrals rejected (REJ03, %, 12 months), by the child's social-care status" in page


def test_the_panels_status_by_quintile_cells_are_the_published_rej03_rows():
    # Each cell of the panel's REJ03 table is the published row of its status and quintile,
    # hidden where disclosure control hid it: the panel never shows another number.
    from cypmh.metrics import MetricOptions, compute
    from cypmh.report.deprivation_panel import gradient_panel
    from cypmh.synth.area import DEMO_PERIOD, demo_area
    from cypmh.synth.deprivation import synthetic_deprivation

    options = MetricOptions(deprivation=synthetic_deprivation())
    rows = compute(
        demo_area(), DEMO_PERIOD, metrics=["REJ03"], breakdowns=["social_care_imd"], options=options
    )
    panel = gradient_panel(rows, DEMO_PERIOD, "IoD2019")
    published = {r.level: r.shown or "—" for r in rows if r.breakdown == "social_care_imd"}
    quintiles = [level for level, *_ in panel.rows]
    statuses = ["looked_after", "child_protection_plan", "child_in_need", "none"]
    assert [s for s, _ in panel.by_status] == [
        "Looked after",
        "Child protection plan",
        "Child in need",
        "None",
    ]
    for status, (_, shown) in zip(statuses, panel.by_status, strict=True):
        assert list(shown) == [published[f"{status} / {q}"] for q in quintiles]
    assert "*" in {v for _, shown in panel.by_status for v in shown}  # some are hidden


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_lsoas_the_file_lacks_are_counted_on_standard_error(capsys, extract, tmp_path, engine):
    """Three children moved to LSOAs the synthetic file does not hold: counted, never listed."""
    folder = _copy(extract, tmp_path / "x")
    mpi = _rows((folder / "MHS001MPI.csv").read_text())
    for row in [row for row in mpi if row["LSOA2011"]][:3]:
        row["LSOA2011"] = "E01099999"
    _rewrite_mpi(folder, mpi, list(mpi[0]))
    args = ["report", str(folder), "--period", "2025-03", "--metric", "MHS95", "--engine", engine]
    status, out, err = run(capsys, *args)
    assert status == 0
    assert "3 child(ren) have a LSOA2011 that the deprivation file (IoD2019) does not hold" in err
    assert "E01099999" not in out + err
    unknown = [
        r
        for r in _rows(out)
        if r["BREAKDOWN"] == "England; IMD Quintile" and r["PRIMARY_LEVEL"] == "UNKNOWN"
    ]
    assert unknown
