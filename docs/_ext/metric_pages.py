"""Generate the metric reference pages from the catalogue and its spec tests.

One page per family: the family's definition (its docstring), the worked
example (the spec test that checks it, included from the test file), and a
table per metric from its declaration. Written at every build, so the pages
can never be stale.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

from cypmh.clauses import nodes, words
from cypmh.clauses.text import to_text
from cypmh.metrics import BREAKDOWNS, CATALOGUE
from cypmh.metrics.families import FAMILIES, MODULES
from cypmh.metrics.options import MetricOptions

ROOT = Path(__file__).resolve().parents[2]


BETTER = {
    "increase": "higher (SPC improvement is upwards)",
    "decrease": "lower (SPC improvement is downwards)",
    "neutral": "neither (a count of demand or a measure of need)",
}


def _target(d: Any) -> str:
    if d.target is None:
        return str(d.target_source)
    return f"{d.target:g}: {d.target_source}"


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|").replace("\n", " ")


_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`~?(?:[\w.]+\.)?([^`.]+)`")


def _plain(doc: str) -> str:
    """A docstring for a Markdown page: Sphinx roles (``:func:`x```) as code."""
    return _ROLE.sub(r"`\1`", doc)


def _clauses(family: str) -> list[str]:
    """The family's named clauses (module constants), each in words and as text."""
    module = MODULES.get(family)
    if module is None:
        return []
    named = [
        (name, value)
        for name, value in vars(module).items()
        if name.isupper()
        and not name.startswith("_")
        and isinstance(value, nodes.Compare | nodes.All | nodes.Any | nodes.Not)
    ]
    declared = getattr(module, "POPULATIONS", None)
    if declared is None and callable(getattr(module, "populations", None)):
        declared = module.populations(MetricOptions())  # under the default options
    for population, d in (declared or {}).items():
        named.append((f"{population}: member", d.member))
        if d.numerator is not None:
            named.append((f"{population}: numerator", d.numerator))
    if not named:
        return []
    lines = ["**Clauses** (written once; both engines, `cypmh why` and this page read them):", ""]
    first: dict[object, str] = {}
    for name, clause in named:
        # A clause given already (a percentage's members are its count's) is named, not repeated.
        if clause in first:
            lines += [f"- `{name}`: as `{first[clause]}`.", ""]
            continue
        first[clause] = name
        # An age is written age_on(...) over the record's birth date: name it.
        births = {
            n.birth.name
            for n in nodes.walk(clause)
            if isinstance(n, nodes.AgeBetween) and isinstance(n.birth, nodes.Column)
        }
        birth = births.pop() if len(births) == 1 else None
        lines += [f"- `{name}`: {words(clause)}.", "", "  ```text"]
        lines += [f"  {to_text(clause, birth=birth)}", "  ```", ""]
    return lines


def _derived(family: str) -> list[str]:
    """What the family's definition rests on that is not a clause, each part in prose."""
    module = MODULES.get(family)
    derived = module.FAMILY.derived if module is not None else {}
    if not derived:
        return []
    lines = [
        "**Derived** (worked out in code, over records and over frames side by side; the "
        "clauses read them, and these words explain them):",
        "",
    ]
    lines += [f"- `{name}`: {about}." for name, about in derived.items()]
    return [*lines, ""]


def _example(pointer: str) -> list[str]:
    path, _, name = pointer.partition("::")
    source = (ROOT / path).read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source)) or ""
    lines = [f"**Worked example** (`{path}`, run by `make test`):", ""]
    if doc:
        lines += ["```text", doc, "```", ""]
    lines += [
        f"```{{literalinclude}} ../../../{path}",
        f":pyobject: {name}",
        ":language: python",
        "```",
        "",
    ]
    return lines


def write_all(folder: Path) -> None:
    """Write ``index.md`` and one page per family into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    families: dict[str, list] = {}
    for definition in CATALOGUE.values():
        families.setdefault(definition.family, []).append(definition)
    index = [
        "# Metrics",
        "",
        "Every metric of the catalogue, generated from its declaration in",
        "`cypmh.metrics.catalogue`. An id that is an MHSDS measure id gives the national",
        "definition; any other id is cypmh's own.",
        "",
        "| id | name | family |",
        "|---|---|---|",
    ]
    index += [
        f"| [{d.id}]({d.family}.md#{d.id.lower()}) | {_cell(d.name)} | {d.family} |"
        for d in CATALOGUE.values()
    ]
    index += ["", "```{toctree}", ":hidden:", "", *families, "```", ""]
    (folder / "index.md").write_text("\n".join(index), encoding="utf-8")
    for family, definitions in families.items():
        if family in FAMILIES:
            doc = inspect.getdoc(FAMILIES[family]) or ""
        else:  # NEED01: the population alone
            import cypmh.metrics.need as need

            doc = inspect.getdoc(need) or ""
        lines = [f"# {family.replace('_', ' ').capitalize()}", "", _plain(doc), ""]
        lines += _clauses(family)
        lines += _derived(family)
        lines += _example(definitions[0].example)
        for d in definitions:
            national = "yes: the MHSDS definition" if d.mhsds else "no: a cypmh id"
            breakdowns = (
                ", ".join(BREAKDOWNS[b].split(" (")[0].lower() for b in d.breakdowns) or "none"
            )
            lines += [
                f"## {d.id}",
                "",
                f"**{d.name}**",
                "",
                "| | |",
                "|---|---|",
                f"| Unit | {d.unit.value} |",
                f"| Window | {_cell(d.window)} |",
                f"| Numerator | {_cell(d.numerator)} |",
                f"| Denominator | {_cell(d.denominator)} |",
                f"| Breakdowns | {_cell(breakdowns)} |",
                f"| National measure | {national} |",
                f"| Source | {_cell(d.source)} |",
                f"| Deviation from the source | {_cell(d.deviation)} |",
                f"| As at the period end | {_cell(d.as_at)} |",
                f"| Better on a trend | {BETTER[d.improvement]} |",
                f"| National target | {_cell(_target(d))} |",
                "",
                d.definition,
                "",
            ]
        (folder / f"{family}.md").write_text("\n".join(lines), encoding="utf-8")
