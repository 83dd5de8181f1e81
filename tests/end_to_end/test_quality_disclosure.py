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


# The attacker's data-quality channel: the table's exact counts, read against the metrics'
# hidden counts. Printed unrounded (as before this issue), the table gives hidden SDQ02 and
# LAC counts back; under the report's own policy it gives nothing.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cypmh.io.readers import read_extract  # noqa: E402
from cypmh.metrics import BREAKDOWNS, compute  # noqa: E402
from cypmh.metrics.disclosure import disclose_count  # noqa: E402
from cypmh.periods import Month  # noqa: E402
from cypmh.report.kpi import to_records  # noqa: E402
from cypmh.report.quality import quality_text  # noqa: E402
from cypmh.synth.folder import write_synthetic  # noqa: E402
from cypmh.testing.attack import attack  # noqa: E402
from cypmh.testing.attack_channels import quality_counts  # noqa: E402
from tests.budget import examples  # noqa: E402

MONTH = Month.parse("2025-03")


def _cut(folder, name, rows):
    path = folder / "ssda903" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 500),
    people=st.integers(60, 300),
    oc2=st.integers(1, 6),
    episodes=st.integers(2, 12),
)
def test_the_quality_table_gives_no_hidden_count_back(
    tmp_path_factory, seed, people, oc2, episodes
):
    folder = tmp_path_factory.mktemp("q") / "area"
    write_synthetic(folder, seed=seed, people=people)
    _cut(folder, "oc2.csv", oc2)
    _cut(folder, "episodes.csv", episodes)
    read = read_extract(folder)
    truth = compute(read.area, MONTH, breakdowns=tuple(BREAKDOWNS), disclosure="none")
    for policy in ("safe", "mhsds", "hes"):
        rows = compute(read.area, MONTH, breakdowns=tuple(BREAKDOWNS), disclosure=policy)
        records = to_records(rows, MONTH, disclosure=policy)
        table = quality_text(read.quality, lambda n, p=policy: disclose_count(n, p))
        printed = quality_counts(table)
        assert printed  # the table was read: every file's read, used and rejected counts
        result = attack(records, policy, truth=truth, quality=printed)
        found = [r for r in result.recovered if r.route == "data-quality table"]
        assert found == [], found[:5]


def test_the_quality_channel_finds_what_unrounded_counts_gave_away(tmp_path):
    # The issue's finding, replayed: SDQ02's eligible children hidden as '*' while the table
    # printed oc2.csv's 4 rows. With the counts printed unrounded, the channel claims it.
    folder = tmp_path / "area"
    write_synthetic(folder, seed=1, people=500)
    _cut(folder, "oc2.csv", 4)
    read = read_extract(folder)
    truth = compute(read.area, MONTH, disclosure="none")
    records = to_records(compute(read.area, MONTH, disclosure="safe"), MONTH)
    unrounded = quality_counts(quality_text(read.quality, str))
    result = attack(records, "safe", truth=truth, quality=unrounded)
    assert any(r.route == "data-quality table" for r in result.recovered)
    controlled = quality_counts(quality_text(read.quality, lambda n: disclose_count(n, "safe")))
    assert not attack(records, "safe", truth=truth, quality=controlled).recovered
