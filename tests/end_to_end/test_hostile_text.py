"""No input text reaches a report (issue 32, section 2).

Hypothesis names the extract folder, an extra column of a file, and the population file's
area code with hostile text: spreadsheet formulas (``=``, ``+``, ``-``, ``@``), markup, ANSI
escape codes and an identifier-like record. ``cypmh report`` (every format), ``trend`` and
``need`` must carry none of it: the folder's name and the area code are replaced by neutral
words unless they are plain labels or GSS codes, unknown columns are named by position, and
no CSV cell begins with a formula character unless it is a number. A file saved without its
header row (its first record read as the header) must not print that record either.
"""

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.__main__ import main
from cypmh.synth.folder import write_synthetic
from tests.budget import examples

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd",
    "-2+3+cmd",
    "<script>alert(1)</script>",
    "\x1b[31mRED\x1b[0m",
    "SECRET0042ID",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _hostile_folder(tmp, folder_name, column_name, area_code, headerless):
    folder = write_synthetic(Path(tmp) / folder_name, seed=7, people=40)
    path = folder / "MHS101Referral.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += "," + column_name.replace(",", ";").replace('"', "'")
    lines[1:] = [line + ",x" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    population = folder / "population.csv"
    rows = list(csv.reader(io.StringIO(population.read_text(encoding="utf-8"))))
    rows[0].append("area_code")
    for row in rows[1:]:
        row.append(area_code)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    population.write_text(buffer.getvalue(), encoding="utf-8")
    if headerless:  # the optional thrive.csv saved without its header row
        thrive = folder / "thrive.csv"
        thrive.write_text(
            "\n".join(thrive.read_text(encoding="utf-8").splitlines()[1:]) + "\n",
            encoding="utf-8",
        )
    return folder


def _outputs(capsys, folder, tmp):
    written = []
    for command, fmt, extra in [
        ("report", "csv", []),
        ("report", "json", []),
        ("report", "html", []),
        ("report", "text", []),
        ("trend", "csv", ["--from", "2025-01"]),
        ("need", "text", []),
    ]:
        out = Path(tmp) / f"out.{command}.{fmt}"
        status = main([command, str(folder), "--format", fmt, *extra, "--out", str(out)])
        _, err = capsys.readouterr()
        written.append(
            (command, fmt, status, out.read_text(encoding="utf-8") if out.exists() else "", err)
        )
    return written


@settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    folder_text=st.sampled_from([*HOSTILE[:-1], "Testshire"]),
    column_text=st.sampled_from(HOSTILE),
    code_text=st.sampled_from(HOSTILE),
    headerless=st.booleans(),
)
def test_no_input_text_reaches_a_report(capsys, folder_text, column_text, code_text, headerless):
    with tempfile.TemporaryDirectory() as tmp:
        folder = _hostile_folder(tmp, folder_text, column_text, code_text, headerless)
        first_record = (folder / "thrive.csv").read_text(encoding="utf-8").split("\n")[0]
        for command, fmt, status, text, err in _outputs(capsys, folder, tmp):
            where = (command, fmt, folder_text, column_text, code_text)
            if headerless:  # refused, naming the missing contract columns, not the record
                assert status == 1, where
                assert "thrive.csv: required column(s) missing" in err, where
                assert first_record not in err, where
            else:
                assert status == 0, (where, err)
                assert text, where
            for hostile in {column_text, code_text} | ({folder_text} - {"Testshire"}):
                assert hostile not in text, where
                assert hostile not in err, where
            assert "\x1b" not in text + err, where
            if fmt == "csv" and text:
                for row in csv.reader(io.StringIO(text)):
                    for cell in row:
                        assert not cell.startswith(FORMULA_START) or _is_number(cell), where
            if fmt == "json" and text:
                json.loads(text)
        # The check can fail: a plain label is kept.
        if folder_text == "Testshire" and not headerless:
            assert "Testshire" in _outputs(capsys, folder, tmp)[0][3]


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # capsys is read each time
)
@given(
    name=st.sampled_from(['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-1+1"])
    | st.text(alphabet='<>\x1b\r\t=+@"|;', min_size=1, max_size=5).map(lambda t: "ok" + t)
)
def test_an_area_name_that_is_not_a_plain_label_is_refused(capsys, name):
    # --area-name starts every whole-area row: a formula, markup or escape code in it is
    # refused (a usage error, exit 2), never written.
    for command in ("report", "trend"):
        assert main([command, "--demo", "--area-name", name]) == 2
        _, err = capsys.readouterr()
        assert "is not a plain label" in err
        assert "\x1b" not in err


def test_a_plain_area_name_labels_the_whole_area_rows(capsys):
    assert main(["report", "--demo", "--area-name", "Testshire CAMHS (North)"]) == 0
    out, _ = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["PRIMARY_LEVEL_DESCRIPTION"] for r in rows if r["BREAKDOWN"] == "England"} == {
        "Testshire CAMHS (North)"
    }
