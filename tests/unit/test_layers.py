"""The layer contract also holds for the imports written as strings.

``make lint`` checks the contract of ``pyproject.toml`` (``[tool.importlinter]``)
with import-linter, which sees ``import`` statements wherever they are. cypmh
also imports by name: a family's :class:`~cypmh._lazy.LazyModule`, a package's
lazy names (``_HOMES``, ``_LAZY``). This test reads those strings and holds
them to the same layers. The root package (the public facade, which offers
names from every layer) and :mod:`cypmh._moved` (the old names of moved
modules) are exempt, as import-linter's containers exempt them.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return [[n.strip() for n in layer.split("|")] for layer in contract["layers"]]


def _place(module: str) -> tuple[int, str] | None:
    """(layer index, top name) of ``cypmh.<top>...``; lower index is higher up."""
    parts = module.split(".")
    if parts[0] != "cypmh" or len(parts) < 2:
        return None
    for index, layer in enumerate(_layers()):
        if parts[1] in layer:
            return index, parts[1]
    return None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _named_imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every ``cypmh.`` module named in a string that is imported by name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "LazyModule":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            found += [(node.lineno, a) for a in args if isinstance(a, str)]
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", "") in ("_HOMES", "_LAZY") for t in node.targets
        ):
            for item in ast.walk(node.value):
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    found.append((item.lineno, item.value))
    return [(line, name) for line, name in found if name.startswith("cypmh.")]


def string_imports_upward() -> list[str]:
    """Each import by name that reaches a higher layer, or a sibling package of its layer."""
    wrong = []
    for path in sorted((SRC / "cypmh").rglob("*.py")):
        importer = _module_name(path)
        if importer in ("cypmh", "cypmh._moved"):
            continue
        here = _place(importer)
        assert here is not None, f"{importer} is in no layer of the contract"
        for line, name in _named_imports(ast.parse(path.read_text(encoding="utf-8"))):
            there = _place(name)
            assert there is not None, f"{importer}, line {line}: {name} is in no layer"
            if there[0] < here[0] or (there[0] == here[0] and there[1] != here[1]):
                wrong.append(f"{importer}, line {line}: {name}")
    return wrong


def test_every_import_by_name_keeps_to_the_layers():
    assert string_imports_upward() == []


def test_the_check_sees_an_import_by_name_that_goes_up(tmp_path, monkeypatch):
    # The check must be able to fail: a codes module naming a metrics module lazily.
    package = tmp_path / "cypmh"
    (package / "codes").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "codes" / "__init__.py").write_text("")
    (package / "codes" / "bad.py").write_text('x = LazyModule("cypmh.metrics.engine")\n')
    (package / "metrics").mkdir()
    (package / "metrics" / "__init__.py").write_text('_LAZY = {"f": "cypmh.metrics.engine"}\n')
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert string_imports_upward() == ["cypmh.codes.bad, line 1: cypmh.metrics.engine"]


def test_every_package_is_in_the_contract():
    named = {n for layer in _layers() for n in layer}
    present = {p.parent.name for p in (SRC / "cypmh").glob("*/__init__.py")} | {
        p.stem for p in (SRC / "cypmh").glob("*.py") if p.name != "__init__.py"
    }
    assert present == named


HEAVY = ("narwhals", "polars", "pandas", "duckdb", "matplotlib", "click", "pyarrow", "sqlalchemy")


def _loaded_after(statement: str) -> set[str]:
    import subprocess
    import sys

    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


@pytest.mark.parametrize(
    "statement",
    [
        "import cypmh",
        "import cypmh.metrics, cypmh.io, cypmh.model, cypmh.thrive, cypmh.pathways",
        "from cypmh.metrics import CATALOGUE",
    ],
)
def test_importing_cypmh_loads_no_optional_extra(statement):
    loaded = _loaded_after(statement)
    assert "cypmh" in loaded  # the probe sees what it imports
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_probe_sees_an_optional_extra_when_one_is_loaded():
    assert "narwhals" in _loaded_after("import cypmh.metrics.frames")


def test_the_version_is_the_package_metadata():
    from importlib.metadata import version

    import cypmh

    assert cypmh.__version__ == version("cypmh")
    # Written once, in pyproject.toml: no module assigns it.
    for path in (ROOT / "src" / "cypmh").rglob("*.py"):
        assert "__version__ =" not in path.read_text(encoding="utf-8"), path
