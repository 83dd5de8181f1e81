"""The data-quality section's counts go through disclosure control (issue 32, section 1).

An SSDA903 file's row counts are counts of children, often 1 to 4: under ``safe`` a
report's data-quality table must not print what the metrics hide. Worked by hand: with
``ssda903/oc2.csv`` cut to 4 rows, ``safe`` (MHSDS rules: under 5 hidden, else rounded to
the nearest 5) shows ``*`` for its read and used counts, where ``none`` shows 4; 12 rows
show as 10.
"""

from cypmh.__main__ import main
from tests.end_to_end.test_cli import run


def _with_oc2_rows(tmp_path, capsys, rows):
    folder = tmp_path / f"area{rows}"
    assert main(["synth", str(folder), "--seed", "1", "--people", "500"]) == 0
    capsys.readouterr()
    path = folder / "ssda903" / "oc2.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > rows
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    return folder


def _oc2_line(text):
    (line,) = [x for x in text.splitlines() if x.startswith("ssda903/oc2.csv ")]
    return line.split()[1:]


def test_row_counts_are_published_under_the_reports_policy(tmp_path, capsys):
    folder = _with_oc2_rows(tmp_path, capsys, 4)
    args = ["report", str(folder), "--period", "2025-03", "--format", "text"]
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert _oc2_line(out) == ["*", "*", "*"]  # read, used, rejected (0 is under 5 too)
    status, out, _ = run(capsys, *args, "--suppression", "none")
    assert _oc2_line(out) == ["4", "4", "0"]
    status, page, _ = run(capsys, *args[:-1], "html")
    assert "<td>ssda903/oc2.csv</td><td class='n'>*</td>" in page.replace('"', "'")
    folder = _with_oc2_rows(tmp_path, capsys, 12)
    status, out, _ = run(capsys, "report", str(folder), "--period", "2025-03", "--format", "text")
    assert _oc2_line(out)[:2] == ["10", "10"]
