"""The entry points a notebook needs import from where the README and the docs say, and
results become a table in one call."""

import re
from pathlib import Path

import pytest

from cypmh.metrics import compute
from cypmh.synth.examples import example_area

ROOT = Path(__file__).parents[2]
IMPORT = re.compile(
    r"^\s*(?:>>> |\.\.\. )?((?:from cypmh[\w.]* import [\w, ]+)|(?:import cypmh[\w.]*))\s*$"
)


def _documented_imports():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found = set()
    for page in pages:
        if "_build" in page.parts:
            continue
        for line in page.read_text(encoding="utf-8").splitlines():
            match = IMPORT.match(line)
            if match:
                found.add((page.relative_to(ROOT).as_posix(), match.group(1).strip().rstrip(",")))
    return sorted(found)


IMPORTS = _documented_imports()


def test_the_docs_have_imports_to_check():
    assert len(IMPORTS) >= 20


@pytest.mark.parametrize(("page", "statement"), IMPORTS, ids=[f"{p}: {s}" for p, s in IMPORTS])
def test_every_import_in_the_docs_works(page, statement):
    exec(statement, {})


def test_the_everyday_entry_points_are_where_the_readme_says():
    import cypmh
    from cypmh.io import read_extract, write_extract
    from cypmh.metrics import compute_series, members, to_frame, why

    assert cypmh.read_extract is read_extract
    assert cypmh.compute is compute
    assert cypmh.to_frame is to_frame
    assert cypmh.compute_series is compute_series
    assert cypmh.members is members
    assert cypmh.why is why
    assert callable(write_extract)


@pytest.mark.parametrize(
    ("package", "name", "implementation"),
    [
        ("cypmh", "compute_frames", "cypmh.metrics.frames.engine"),
        ("cypmh.metrics", "compute_frames", "cypmh.metrics.frames.engine"),
        ("cypmh", "members_frames", "cypmh.metrics.drilldown"),
        ("cypmh.metrics", "members_frames", "cypmh.metrics.drilldown"),
        ("cypmh", "read_extract_frames", "cypmh.io.frames"),
        ("cypmh.io", "read_extract_frames", "cypmh.io.frames"),
    ],
)
def test_the_names_with_the_engine_in_them_still_work_and_warn(package, name, implementation):
    import importlib

    module = importlib.import_module(package)
    module.__dict__.pop(name, None)  # read afresh, as a first use is
    with pytest.warns(DeprecationWarning, match=f"{package}.{name} is deprecated: use"):
        found = getattr(module, name)
    assert found is getattr(importlib.import_module(implementation), name)
    assert name not in dir(module)  # not offered to new code


def test_why_is_the_function_even_after_its_module_is_imported():
    import cypmh.metrics.api
    import cypmh.metrics.explain  # the command does this before it reads the name
    from cypmh.metrics import why as found

    assert callable(found)
    assert found is cypmh.metrics.api.why


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_results_become_a_table_in_one_call(backend):
    # By hand from cypmh.synth.examples: attended contacts in April 2024 - March 2025 for P001
    # (gender 2, C001), P002 (gender 1, C004) and P004 (gender 2, aged 16, C008); P003 has
    # only a cancelled contact. MHS95 = 3: gender 1 (Male) 1, gender 2 (Female) 2.
    from cypmh import to_frame

    rows = compute(example_area(), "2025-03", metrics=["MHS95"], breakdowns=["sex"])
    frame = to_frame(rows, backend)
    records = frame.to_dict("records") if backend == "pandas" else frame.to_dicts()
    assert [(r["level"], r["level_label"], r["value"]) for r in records] == [
        ("Total", "Total", 3.0),
        ("1", "Male", 1.0),
        ("2", "Female", 2.0),
    ]
    assert all(r["suppressed"] for r in records)  # under 5: shown "*" under safe
    assert list(frame.columns) == [
        "metric_id",
        "name",
        "breakdown",
        "level",
        "level_label",
        "value",
        "numerator",
        "denominator",
        "lower_ci",
        "upper_ci",
        "shown",
        "suppressed",
        "unit",
    ]


def test_an_unknown_backend_is_a_clear_error():
    from cypmh.errors import InvalidValueError
    from cypmh.metrics import to_frame

    with pytest.raises(InvalidValueError, match="must be pandas or polars"):
        to_frame([], "excel")
