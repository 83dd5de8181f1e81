"""Draw cypmh's layers from the layer contract in ``pyproject.toml`` (``[tool.importlinter]``).

The drawing in ``docs/explanation/design.md`` is this page: the contract that
``make lint`` checks, top layer first, each package with the first line of its
own docstring. Change the contract or a package's docstring and the drawing
follows, so the two cannot drift.
"""

from __future__ import annotations

import ast
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "cypmh"


def contract_layers(pyproject: Path = ROOT / "pyproject.toml") -> list[list[str]]:
    """The layers of the contract with id ``layers``, top first; each a list of its names."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def summary(name: str) -> str:
    """The first line of the docstring of ``cypmh.<name>`` (a package or a module)."""
    path = SRC / name / "__init__.py"
    if not path.exists():
        path = SRC / f"{name}.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.splitlines()[0] if doc else ""
    return first.replace("``", "")


def _shown(name: str) -> str:
    return f"{name}/" if (SRC / name / "__init__.py").exists() else f"{name}.py"


def write(path: Path) -> None:
    """Write the drawing: one block per layer, top first, a line per package."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width = max(len(_shown(n)) for layer in contract_layers() for n in layer) + 2
    rule = "─" * 78
    blocks = []
    for layer in contract_layers():
        lines = []
        for name in layer:
            words = textwrap.wrap(summary(name), 78 - width) or [""]
            lines.append(f"{_shown(name):<{width}}{words[0]}")
            lines += [" " * width + more for more in words[1:]]
        blocks.append("\n".join(lines))
    body = f"\n{rule}\n".join(blocks)
    path.write_text(f"```text\n{body}\n```\n", encoding="utf-8")
