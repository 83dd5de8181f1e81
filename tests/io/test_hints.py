"""The data-quality hints: each common mistake, planted in a synthetic extract, is named with its count.

Hypothesis picks which referral rows to spoil and how (a date written
DD/MM/YYYY, a Windows-1252 byte, a leading zero dropped from a two-digit
code, a quote opened and never closed). The hints must give, per kind, the
number of rows spoiled that way, found in the same words by both readers;
the unclosed quote is reported at the line where it opens.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.io.readers import ExtractError, read_extract
from cypmh.synth.folder import write_synthetic
from tests.budget import examples

KINDS = ("uk_date", "cp1252", "zero", "quote")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    folder = write_synthetic(tmp_path_factory.mktemp("hints") / "area", seed=4, people=40)
    return (folder / "MHS101Referral.csv").read_bytes()


def spoil(line: bytes, kind: str) -> bytes:
    cells = line.split(b",")
    if kind == "uk_date":  # ReferralRequestReceivedDate, YYYY-MM-DD -> DD/MM/YYYY
        y, m, d = cells[3].split(b"-")
        cells[3] = d + b"/" + m + b"/" + y
    elif kind == "cp1252":  # an e acute in a provider code, as Windows-1252 writes it
        cells[2] = cells[2] + b"\xe9"
    elif kind == "zero":  # PrimReasonReferralMH "05" -> "5"
        cells[6] = cells[6][1:]
    else:  # a quote opened at the start of the last cell, never closed
        cells[-1] = b'"' + cells[-1]
    return b",".join(cells)


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_each_planted_mistake_is_hinted_with_its_count(clean, tmp_path_factory, data):
    lines = clean.rstrip(b"\n").split(b"\n")
    # Rows whose reason code has a leading zero and a date, so every kind applies.
    candidates = [i for i in range(1, len(lines)) if lines[i].split(b",")[6].startswith(b"0")]
    chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=6, unique=True))
    kinds = {i: data.draw(st.sampled_from(KINDS)) for i in chosen}
    # A quote left open swallows the rows after it into its cell: keep one, at most, last.
    quotes = sorted(i for i, k in kinds.items() if k == "quote")
    for i in quotes[:-1]:
        kinds[i] = "uk_date"
    if quotes:
        last = quotes[-1]
        kinds = {i: k for i, k in kinds.items() if i <= last}
    for i, kind in kinds.items():
        lines[i] = spoil(lines[i], kind)
    folder = write_synthetic(tmp_path_factory.mktemp("spoilt") / "area", seed=4, people=40)
    (folder / "MHS101Referral.csv").write_bytes(b"\n".join(lines) + b"\n")

    hints = read_extract(folder).quality.hints()
    mine = [h for h in hints if h.startswith("MHS101Referral.csv:")]
    expected = {k: sum(1 for v in kinds.values() if v == k) for k in KINDS}
    words = {
        "uk_date": "dates written DD/MM/YYYY",
        "cp1252": "text that is not UTF-8",
        "zero": "codes that look like they lost a leading zero",
        "quote": "a quote that is never closed",
    }
    for kind, count in expected.items():
        said = [h for h in mine if words[kind] in h]
        if count == 0:
            assert said == [], (kind, mine)
            continue
        assert len(said) == 1, (kind, mine)
        rows = int(re.search(r": (\d+) rows? ha", said[0]).group(1))
        assert rows == count, (kind, said[0], kinds)
    if quotes:
        # The line where the quote opens: data row i is file line i + 1.
        assert f"opens at line(s) {quotes[-1] + 1}" in next(h for h in mine if words["quote"] in h)

    pytest.importorskip("polars")
    from cypmh.io.frames import read_extract_frames

    assert read_extract_frames(folder, "polars").quality.hints() == hints


def test_a_semicolon_separated_file_is_named_as_such(tmp_path):
    folder = write_synthetic(tmp_path / "area", seed=1, people=10)
    path = folder / "MHS001MPI.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    with pytest.raises(ExtractError, match="the header is separated by semicolons"):
        read_extract(folder)


def test_the_hints_reach_the_html_report(tmp_path):
    from cypmh.__main__ import main

    folder = write_synthetic(tmp_path / "area", seed=1, people=30)
    path = folder / "MHS101Referral.csv"
    head, first, *rest = path.read_bytes().split(b"\n")
    (path).write_bytes(b"\n".join([head, spoil(first, "uk_date"), *rest]))
    out = tmp_path / "report.html"
    args = ["report", str(folder), "--period", "2025-03", "--format", "html", "--out", str(out)]
    assert main(args) == 0
    page = out.read_text(encoding="utf-8")
    assert "What the rejected rows suggest" in page
    # Under the default policy (safe) the hint's count, 1, is under 5: hidden like any count.
    assert "* row has dates written DD/MM/YYYY" in page
    assert main([*args, "--suppression", "none"]) == 0
    assert "1 row has dates written DD/MM/YYYY" in out.read_text(encoding="utf-8")


def test_every_coded_column_gets_the_leading_zero_hint(tmp_path):
    """Each column whose codes keep a leading zero: drop the zero from every such cell, and the
    rows it makes unreadable are put down to the lost zero, in whichever file, by both readers
    (issue 31, section 6). The columns exercised are listed, so that the test cannot pass by
    finding none."""
    import csv

    from cypmh.io.contract import FILES
    from cypmh.io.frames import read_extract_frames

    folder = write_synthetic(tmp_path / "area", seed=2, people=150)
    tried = set()
    for file in FILES:
        path = folder / file.path
        if not path.is_file():
            continue
        original = path.read_text(encoding="utf-8")
        for position, column in enumerate(next(csv.reader(original.splitlines()))):
            rows = list(csv.reader(original.splitlines()))
            zeros = [r for r in rows[1:] if r[position].isdigit() and r[position].startswith("0")]
            if not zeros or len(zeros[0][position]) > 3:
                continue
            for row in zeros:
                row[position] = row[position].lstrip("0") or "0"
            with path.open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            for quality in (
                read_extract(folder).quality,
                read_extract_frames(folder, "polars").quality,
            ):
                bad = [p for p in quality.problems if p.file == file.path and p.column == column]
                if bad:
                    tried.add(column)
                    said = [h for h in quality.hints() if h.startswith(f"{file.path}: ")]
                    assert any("lost a leading zero" in h for h in said), (column, said)
                    count = int(re.search(r"(\d+) rows? ha", said[0]).group(1))
                    assert count == len(bad), (column, said)
            path.write_text(original, encoding="utf-8")
    assert {"ReferRejectReason", "PrimReasonReferralMH", "ConsMechanismMH"} <= tried, tried
