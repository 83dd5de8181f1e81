"""Write the extract-format reference page from ``cypmh.io.contract`` and the rule modules.

One section per file of the contract: when it is needed, its columns (required
first), its key, how its dates are written, and the rules the readers apply to
it (the docstring of its module in ``cypmh.io.rules``). Run by ``conf.py``.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from cypmh.io.contract import EARLIEST_BIRTH, EVENT_DATES, FILES
from cypmh.io.rules import STEPS, sdq
from cypmh.need.group_population import GROUP_POPULATION_FILE
from cypmh.synth.area import POPULATION_FILE
from cypmh.synth.deprivation import DEPRIVATION_FILE


def _rules_of(path: str) -> str:
    """The rules paragraphs of the file's rule module (not those about the code)."""
    name = Path(path).stem
    for module in (*STEPS, sdq):  # sdq: read within the social-care step
        doc = inspect.getdoc(module) or ""
        title, _, rest = doc.partition("\n\n")
        if name in title:
            kept = [
                p
                for p in rest.split("\n\n")
                if "reference reader" not in p and "frame reader" not in p
            ]
            return re.sub(r":func:`~?([^`]+)`", r"`\1`", "\n\n".join(kept))
    return ""


def write(target: Path) -> None:
    """Write ``target`` (``reference/extract-format.md``)."""
    lines = [
        "# The extract folder, file by file",
        "",
        "Generated from `cypmh.io.contract.FILES` and the readers' rule modules",
        "(`cypmh.io.rules`), so it is the contract both readers apply. Files are UTF-8 CSV",
        "with a header row; a cell may be quoted. Health-file dates are `YYYY-MM-DD`; SSDA903",
        "dates may also be `DD/MM/YYYY`, as the return writes them. No child is born before",
        f"{EARLIEST_BIRTH} or after the extract's last event.",
        "{doc}`../how-to/prepare-an-extract` says how to make one, and `cypmh synth` writes a",
        "complete example.",
        "",
    ]
    for file in FILES:
        lines += [f"## `{file.path}`", ""]
        facts = [f"**Needed:** {file.need.value}."]
        if file.key:
            facts.append(f"**Key:** `{file.key}` (one row each; a repeat is rejected).")
        if file.path in EVENT_DATES:
            facts.append(f"**Event date:** `{EVENT_DATES[file.path]}`.")
        facts.append(
            "**Dates:** `YYYY-MM-DD` or `DD/MM/YYYY`."
            if file.ssda903_dates
            else "**Dates:** `YYYY-MM-DD`."
        )
        lines += [" ".join(facts), "", "| column | required |", "|---|---|"]
        lines += [f"| `{c}` | yes |" for c in file.required_columns]
        lines += [f"| `{c}` | no |" for c in file.optional_columns]
        if file.code_columns:
            codes = ", ".join(f"`{c}`" for c in file.code_columns)
            lines += ["", f"Codes read in any case: {codes}."]
        if file.national_columns:
            national = ", ".join(f"`{c}`" for c in file.national_columns)
            whose = "The national layout's" if file.path.startswith("MHS") else "The DfE's"
            lines += ["", f"{whose} other columns, accepted and not read: {national}."]
            if "NHSNumber" in file.national_columns:
                lines += [
                    "",
                    "`NHSNumber` is read only to link the SSD's children by NHS number "
                    "({doc}`../how-to/read-your-ssd-tables`); it is never written anywhere.",
                ]
        if file.path == "schools/schools.csv":
            gias = "{doc}`../how-to/schools-from-gias`"
            lines += ["", f"Or DfE's GIAS establishment file as downloaded: {gias}."]
        rules = _rules_of(file.path)
        if rules:
            lines += ["", "**Rules** (both readers):", "", rules]
        lines.append("")
    lines += [
        f"## `{POPULATION_FILE}`",
        "",
        "**Needed:** optional: the area's population by age and sex, for the need metrics",
        "({doc}`../how-to/estimate-need`). An ONS MYE2 sheet saved as CSV, the MYEB1 long file,",
        "or `age, sex, population` (with optional `area_code` and `year`).",
        "",
        f"## `{DEPRIVATION_FILE}`",
        "",
        "**Needed:** optional: the English Indices of Deprivation as GOV.UK publishes them",
        "(File 7, or File 1 saved as CSV), for the IMD breakdowns",
        "({doc}`../how-to/break-down-by-deprivation`).",
        "",
        f"## `{GROUP_POPULATION_FILE}`",
        "",
        "**Needed:** optional: the area's population by ethnic group and by IMD decile, each by",
        "single year of age and sex, for the standardised rates MHS95b, MHS95c, MHS95f, MHS95g",
        "and ACC03 ({doc}`../how-to/compare-rates-by-group`). Columns `group`",
        "(`ethnic_category` or `imd_decile`), `code` (an MHSDS `EthnicCategory` code, `A` to",
        "`S`, or a decile, 1 to 10), `age` (0 to 90, 90 and over), `sex` (`male` or `female`)",
        "and `population`.",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
