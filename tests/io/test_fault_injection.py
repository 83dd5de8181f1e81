"""Fault injection: hostile extract folders are reported, never a crash, never a silent misreading.

Hypothesis writes a generated area as an extract folder and applies a random
handful of faults from :data:`FAULTS` (27 classes: the ones real extracts
show, every hostile input of issue 14, and broken DfE API files). Then:

- neither ``cypmh validate`` nor ``cypmh report`` (reference and frame
  engines) raises: each exits 0 or 1, an error is one line naming the file;
- for every file, read = used + rejected (superseded rows are counted as used);
- ``validate`` and ``report`` agree on every row's fate: the reference
  reader (validate, ``--engine reference``) and the frame reader (the
  dataframe engines) give the same problems, counts and warnings, or the
  same one-line error.
"""

import csv
import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.__main__ import main
from cypmh.io.extract import write_extract
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import ExtractError, read_extract
from cypmh.testing import strategies as cst
from tests.budget import examples
from tests.generative.test_frame_reader_agrees import CELLS, TYPED, _family, _link, _rows, _write

# The faults themselves read files that may already hold a huge field (the library has its own limit).
csv.field_size_limit(2**31 - 1)

OPTIONAL = ["linkage.csv", "MHS204IndirectActivity.csv", "MHS009CarePlanAgreement.csv"]


SIDE_FILES = {"population.csv", "deprivation.csv"}
"""Files beside the extract, not of it: a fault in one stops the run with its own error
(tests/spec/test_population.py, tests/unit/test_deprivation_file.py), never rejects a row."""


def _data_files(folder):
    return sorted(
        p
        for p in folder.rglob("*.csv")
        if p.is_file() and p.name not in SIDE_FILES and len(_rows(p)) > 1
    )


def _edit_cell(folder, rng, choose):
    files = _data_files(folder)
    if not files:
        return
    path = rng.choice(files)
    rows = _rows(path)
    i = rng.randrange(1, len(rows))
    j = rng.randrange(len(rows[0]))
    if j < len(rows[i]):
        rows[i][j] = choose(rows[0][j], rows, i, j)
    _write(path, rows)


def _raw_lines(folder, rng):
    files = _data_files(folder)
    path = rng.choice(files) if files else None
    return path, (path.read_bytes().splitlines(keepends=True) if path else [])


def cell(folder, rng):
    _edit_cell(folder, rng, lambda h, rows, i, j: rng.choice(CELLS))


def typed(folder, rng):
    _edit_cell(folder, rng, lambda h, rows, i, j: rng.choice(TYPED.get(_family(h), [rows[i][j]])))


def copy_key(folder, rng):
    def choose(h, rows, i, j):
        k = rng.randrange(1, len(rows))
        return rows[k][j] if j < len(rows[k]) else ""

    _edit_cell(folder, rng, choose)


def _rewrite_body(folder, rng, change):
    files = _data_files(folder)
    if files:
        path = rng.choice(files)
        rows = _rows(path)
        change(rows)
        _write(path, rows)


def duplicate_row(folder, rng):
    _rewrite_body(folder, rng, lambda rows: rows.append(list(rng.choice(rows[1:]))))


def delete_row(folder, rng):
    _rewrite_body(folder, rng, lambda rows: rows.pop(rng.randrange(1, len(rows))))


def ragged_row(folder, rng):
    _rewrite_body(folder, rng, lambda rows: rows[-1].append("extra"))


def balanced_quote(folder, rng):
    _edit_cell(folder, rng, lambda h, rows, i, j: rows[i][j] + ', "quoted"')


def multi_line_cell(folder, rng):
    _edit_cell(folder, rng, lambda h, rows, i, j: rows[i][j] + "\nsecond line\r\nthird")


def stacked(folder, rng, *, tie=False):
    def change(rows):
        if "UniqMonthID" not in rows[0]:
            rows[0].append("UniqMonthID")
            for row in rows[1:]:
                row.append(str(rng.choice([1500, 1501])))
        copy = list(rng.choice(rows[1:]))
        if tie:
            copy[-1] = copy[-1] if copy[-1] else "1500"
        else:
            copy[-1] = rng.choice(["1502", "1499", "x", "", "\u00b2", "\u0661\u0665\u0660\u0660"])
        rows.append(copy)

    _rewrite_body(folder, rng, change)


def tied_versions(folder, rng):
    stacked(folder, rng, tie=True)


def huge_month_id(folder, rng):
    def change(rows):
        if "UniqMonthID" not in rows[0]:
            rows[0].append("UniqMonthID")
            for row in rows[1:]:
                row.append("1500")
        rows[-1][-1] = "1" + "0" * 25

    _rewrite_body(folder, rng, change)


def crlf_and_bom(folder, rng):
    files = _data_files(folder)
    if files:
        path = rng.choice(files)
        _write(path, _rows(path), newline=rng.choice(["\r\n", "\r"]), bom=rng.random() < 0.5)


def double_bom(folder, rng):
    files = _data_files(folder)
    if files:
        path = rng.choice(files)
        path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + path.read_bytes())


def blank_line(folder, rng):
    path, lines = _raw_lines(folder, rng)
    if path:
        lines.insert(rng.randrange(1, len(lines) + 1), b"\n")
        path.write_bytes(b"".join(lines))


def bad_bytes(folder, rng):
    path, lines = _raw_lines(folder, rng)
    if path and len(lines) > 1:
        k = rng.randrange(1, len(lines))
        lines[k] = lines[k].replace(b",", rng.choice([b"\xff,", b"\x00,", b"\xe9,"]), 1)
        path.write_bytes(b"".join(lines))


def unclosed_quote(folder, rng):
    path, lines = _raw_lines(folder, rng)
    if path and len(lines) > 1:
        k = rng.randrange(1, len(lines))
        lines[k] = lines[k].replace(b",", b',"', 1)
        path.write_bytes(b"".join(lines))


def huge_field(folder, rng):
    quoted = rng.random() < 0.5
    _edit_cell(
        folder,
        rng,
        lambda h, rows, i, j: ("x" * 140_000) + (', "q"' if quoted else ""),
    )


def duplicated_header(folder, rng):
    files = _data_files(folder)
    if files:
        path = rng.choice(files)
        rows = _rows(path)
        rows[0].append(rows[0][0])
        for row in rows[1:]:
            row.append("")
        _write(path, rows)


def _replace_optional(folder, rng, make):
    """Put ``make(path)`` where an optional file is, whatever an earlier fault left there."""
    path = folder / rng.choice(OPTIONAL)
    if not path.parent.is_dir():  # an earlier fault made the sub-folder a looping link
        return
    if path.is_dir() and not path.is_symlink():  # an earlier fault made the file a folder
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    make(path)


def directory_for_file(folder, rng):
    _replace_optional(folder, rng, lambda p: p.mkdir())


def pipe_for_file(folder, rng):
    _replace_optional(folder, rng, lambda p: os.mkfifo(p))


def looping_link(folder, rng):
    if rng.random() < 0.5:
        _replace_optional(folder, rng, lambda p: os.symlink(p.name, p))
    else:
        target = folder / "ssda903"
        if target.exists():
            shutil.rmtree(target)
        os.symlink("ssda903", target)


def zero_byte_optional(folder, rng):
    _replace_optional(folder, rng, lambda p: p.write_bytes(b""))


def odd_digits(folder, rng):
    _edit_cell(
        folder,
        rng,
        lambda h, rows, i, j: rng.choice(["\u0661\u0662", "\u00b2", "\uff11\uff10", "1\u00bd"]),
    )


def odd_birth_year(folder, rng):
    path = folder / "MHS001MPI.csv"
    rows = _rows(path)
    if len(rows) > 1:
        column = rows[0].index("PersonBirthDate")
        rows[rng.randrange(1, len(rows))][column] = rng.choice(
            ["0001-01-01", "1850-06-01", "9999-12-31", "1899-12-31", "1900-01-01"]
        )
        _write(path, rows)


API_FILES = (
    b"[",
    b"\xff\xfe[]",
    b"[" * 50_000,
    b'{"la_code": 1}',
    b'{"children": {"la_child_id": "C900", "purge": false}}',
    b'[{"la_child_id": true}, 7, {"la_child_id": " "}]',
    b'[{"la_child_id": "C900", "social_care_episodes": "x", "child_details": []}]',
    b'[{"la_child_id": "C900", "health_and_wellbeing": {"sdq_assessments": [1, {"date": 3}]}}]',
    b'[{"la_child_id": "C900", "social_care_episodes": [{"social_care_episode_id": [1],'
    b' "referral_date": {"a": 1}, "child_protection_plans": [{"start_date": null}]}]}]',
    b'[{"la_child_id": "C900", "purge": true}, {"la_child_id": "C900", "purge": "yes"}]',
)
"""DfE API files no council should send: broken JSON, odd shapes, odd types, deep nesting."""


def dfe_api(folder, rng):
    target = folder / "dfe_api"
    if target.exists() and not target.is_dir():
        return
    target.mkdir(exist_ok=True)
    (target / f"{rng.randrange(100):02d}.json").write_bytes(rng.choice(API_FILES))


def linkage(folder, rng):
    path = folder / "linkage.csv"
    # An earlier fault made it a looping link, a folder or a pipe: that fault is the test.
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return
    _link(folder, rng)


FAULTS = {
    f.__name__: f
    for f in (
        cell,
        typed,
        copy_key,
        duplicate_row,
        delete_row,
        ragged_row,
        balanced_quote,
        multi_line_cell,
        stacked,
        tied_versions,
        huge_month_id,
        crlf_and_bom,
        double_bom,
        blank_line,
        bad_bytes,
        unclosed_quote,
        huge_field,
        duplicated_header,
        directory_for_file,
        pipe_for_file,
        looping_link,
        zero_byte_optional,
        odd_digits,
        odd_birth_year,
        linkage,
        dfe_api,
    )
}
"""The fault catalogue, by name (the docstring's classes)."""


def test_the_catalogue_has_at_least_twenty_classes():
    assert len(FAULTS) >= 20


def fates(folder):
    """What each reader made of the folder: its report, or its one-line error."""
    outcomes = []
    for read in (
        lambda: read_extract(folder, name="x").quality,
        lambda: read_extract_frames(folder, "polars", name="x").quality,
    ):
        try:
            quality = read()
        except ExtractError as exc:
            outcomes.append(("error", str(exc)))
            continue
        for name, counts in quality.files.items():
            assert counts.read == counts.used + counts.rejected, name
        outcomes.append(("read", quality))
    return outcomes


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    area=cst.areas(max_children=4, max_referrals=3, max_contacts=3),
    faults=st.lists(st.sampled_from(sorted(FAULTS)), min_size=1, max_size=4),
    seed=st.integers(0, 2**32),
)
def test_hostile_folders_are_reported_never_a_crash(area, faults, seed, capsys):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_extract(area, Path(tmp) / "x")
        for name in faults:
            FAULTS[name](folder, rng)
        reference, frames = fates(folder)
        assert reference == frames
        for args in (
            ["validate", str(folder)],
            ["report", str(folder), "--period", "2025-03", "--engine", "reference"],
            [
                "report",
                str(folder),
                "--period",
                "2025-03",
                "--engine",
                "polars",
                "--format",
                "json",
            ],
        ):
            status = main(args)
            out, err = capsys.readouterr()
            assert "Traceback" not in out + err
            assert status in (0, 1), (args, err)
            if reference[0] == "error":
                assert status == 1
                assert err.strip().splitlines() == [f"Error: {reference[1]}"]


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_alone(name, tmp_path, capsys):
    # Every class on its own, on the same small area, so that each is exercised in every run.
    from cypmh.synth.examples import example_area

    folder = write_extract(example_area(), tmp_path / "x")
    FAULTS[name](folder, random.Random(7))
    reference, frames = fates(folder)
    assert reference == frames
    status = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert status in (0, 1)
    assert "Traceback" not in out + err
