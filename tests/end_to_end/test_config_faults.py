"""Every configuration file is read or refused with a reason, never a traceback (issue 32, §4).

Like the fault injection over extracts, each file option meets each fault (all 126 pairs,
so none is left to chance): the faulted file is written and the command run. Whatever the fault, the command either runs (exit 0)
or stops with one ``Error:`` line that names the file (exit 1 or, for a usage error, 2);
it never prints a traceback and never hangs. The options are the run settings' files
(``--config``, ``--thrive-policy``, ``--cohort``, ``--population``, ``--scheme``,
``--intervention-codes``) and the extract folder's own ``cypmh.toml``. The faults, 18
classes: a FIFO, a folder, a missing path, an empty file, bytes that are not UTF-8, a NUL,
a byte-order mark, CRLF line ends, brackets nested 5,000 deep (``[`` and ``{``), a file
over 8 MiB, a file cut in half, ``nan``, ``inf`` and ``1e308`` where numbers go,
superscript digits, the file's lines repeated, and a value of the wrong type.
"""

import os
import shutil
from pathlib import Path

import pytest

from cypmh.__main__ import main
from cypmh.pathways.rules import _PACKAGE_DATA
from cypmh.synth.area import demo_population
from cypmh.synth.folder import write_population
from tests.end_to_end.test_thrive_policy_cli import POLICY

SCHEME = (
    "scheme,survey_year,measure,age_from,age_to,sex,rate_percent,status,source\n"
    "local,2024,diagnosed_disorder,0,17,all,12.5,primary,a local survey\n"
)


def _valid(tmp: Path) -> dict[str, tuple[str, str]]:
    """Each option's valid file text, and the suffix its file takes."""
    population = write_population(demo_population(), tmp / "valid_population.csv")
    return {
        "--config": ('[run]\nsuppression = "safe"\nsdq_ages = "dfe_collection"\n', ".toml"),
        "--thrive-policy": (POLICY, ".toml"),
        "--cohort": (_PACKAGE_DATA.joinpath("four_week_cohort.toml").read_text("utf-8"), ".toml"),
        "--population": (population.read_text(encoding="utf-8"), ".csv"),
        "--scheme": (SCHEME, ".csv"),
        "--intervention-codes": ("1085671000000109\n1086871000000106\n", ".txt"),
        "cypmh.toml": ('[schools]\nla = "330"\n', ".toml"),
    }


def _faulted(text: str, fault: str) -> bytes | None:
    """The faulted content (``None`` where the fault is not content: a FIFO, folder, missing)."""
    data = text.encode("utf-8")
    half = len(text) // 2
    return {
        "empty": b"",
        "not_utf8": data[:half] + b"\xff\xfe\xc3(" + data[half:],
        "nul": data[:half] + b"\x00" + data[half:],
        "bom": b"\xef\xbb\xbf" + data,
        "crlf": data.replace(b"\n", b"\r\n"),
        "deep_lists": data + b"\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "deep_tables": data + b"\ny = " + b"{a = " * 5000 + b"1" + b"}" * 5000 + b"\n",
        "huge": data + b"#" * (9 * 2**20) + b"\n",
        "cut": data[:half],
        "nan": _numbers(text, "nan").encode(),
        "inf": _numbers(text, "inf").encode(),
        "big": _numbers(text, "1e308").encode(),
        "superscript": _numbers(text, "\u00b2").encode("utf-8"),
        "repeated": data + data,
        "wrong_type": (text.replace('"', "") if '"' in text else text + "\n[schools]\n").encode(),
    }.get(fault)


def _numbers(text: str, replacement: str) -> str:
    """``text`` with its last line's digits replaced (a count, a rate, a code, a setting)."""
    lines = text.rstrip("\n").split("\n")
    lines[-1] = "".join(replacement if c.isdigit() else c for c in lines[-1])
    return "\n".join(lines) + "\n"


FAULTS = [
    "fifo",
    "folder",
    "missing",
    "empty",
    "not_utf8",
    "nul",
    "bom",
    "crlf",
    "deep_lists",
    "deep_tables",
    "huge",
    "cut",
    "nan",
    "inf",
    "big",
    "superscript",
    "repeated",
    "wrong_type",
]
OPTIONS = [
    "--config",
    "--thrive-policy",
    "--cohort",
    "--population",
    "--scheme",
    "--intervention-codes",
    "cypmh.toml",
]


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("config") / "area"
    assert main(["synth", str(folder), "--seed", "1", "--people", "40"]) == 0
    return folder


def _place(path: Path, text: str, fault: str) -> None:
    if fault == "fifo":
        os.mkfifo(path)
    elif fault == "folder":
        path.mkdir()
    elif fault != "missing":
        content = _faulted(text, fault)
        assert content is not None
        path.write_bytes(content)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("option", OPTIONS)
def test_a_faulted_configuration_file_is_read_or_refused(extract, tmp_path, capsys, option, fault):
    work = tmp_path / "work"
    work.mkdir()
    text, suffix = _valid(work)[option]
    if option == "cypmh.toml":
        folder = work / "area"
        shutil.copytree(extract, folder)
        _place(folder / "cypmh.toml", text, fault)
        args = ["report", str(folder), "--metric", "MHS95"]
    else:
        path = work / f"setting{suffix}"
        _place(path, text, fault)
        args = ["report", str(extract), "--metric", "MHS95", option, str(path)]
    status = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, (option, fault, err[-600:])
    assert status in (0, 1, 2), (option, fault, status, err[-300:])
    if status:
        assert err.count("Error:") == 1, (option, fault, err[-300:])
    refused = {"fifo", "folder", "missing", "not_utf8", "deep_lists", "deep_tables"}
    if option not in ("--intervention-codes", "--population"):  # no 8 MiB cap on a refset
        refused.add("huge")  # release or on ONS's estimates for every area
    if option == "cypmh.toml":
        refused.discard("missing")  # the folder's settings file is optional
    if fault in refused:
        assert status, (option, fault)  # never read as if it were fine
