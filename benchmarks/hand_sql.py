"""The dataframe engine against hand-written DuckDB SQL, at 100k and 1M referrals.

    python benchmarks/hand_sql.py 100000 1000000

Each size's synthetic extract (``synthetic.build``: about six contacts per
referral) is made once and kept as Parquet files under ``benchmarks/.data``
(the 1M area takes about three minutes and 3 GB to build in Python). Then,
each in a fresh process that reads the Parquet files itself:

- ``hand``: one DuckDB SQL script, written for this benchmark, computing the
  whole-area values of MHS95, MHS130-MHS135 and MRS08 for March 2025;
- ``polars`` and ``duckdb``: :func:`cypmh.metrics.frames.compute_frames` for the
  same eight metrics, whole area only, on Polars lazy frames and DuckDB
  relations scanning the same files;
- ``catalogue``: every metric the dataframe engine supports, with the age-band
  and provider breakdowns, on Polars.

It prints wall time and peak memory (``ru_maxrss``) of each, checks that the
hand-written SQL and both engines give the same eight values, and reports the
ratio to the hand-written SQL and the growth exponent between sizes
(``log(t2/t1) / log(n2/n1)``; ``n log n`` from 100k to 1M is about 1.2).

The code lists in the SQL are not typed here: they are made from cypmh's code
sets and options, as reference tables or ``IN`` lists.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
MONTH = "2025-03"
HEAD = ("MHS95", "MHS130", "MHS131", "MHS132", "MHS133", "MHS134", "MHS135", "MRS08")
RUNS = ("hand", "polars", "duckdb", "catalogue")


def folder(referrals: int) -> Path:
    """The Parquet folder of a size, made on first use."""
    from cypmh.tables.schema import TABLES

    out = DATA / str(referrals)
    if (out / "done").exists() and all((out / f"{name}.parquet").exists() for name in TABLES):
        return out  # made before, with every table the engine now reads
    sys.path.insert(0, str(HERE))
    import pyarrow.parquet as pq
    from synthetic import build

    from cypmh.metrics.frames import columns_from_area
    from cypmh.tables.backends import _arrow_table

    out.mkdir(parents=True, exist_ok=True)
    columns = columns_from_area(build(referrals))
    for name, kinds in TABLES.items():
        pq.write_table(_arrow_table(columns[name], kinds), out / f"{name}.parquet")
    (out / "done").write_text("ok\n")
    return out


def _sql_list(values: Iterable[object]) -> str:
    items = sorted({str(v) for v in values})
    return (
        "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in items) + ")"
        if items
        else "(NULL)"
    )


def hand_sql(where: Path) -> tuple[str, list[tuple[str, str, int, int]]]:
    """The SQL script and the consultation-mechanism reference rows it joins."""
    from cypmh import codes
    from cypmh.codes import AttendanceClass, AttendStatus
    from cypmh.metrics.families import WAITS_FROM, MetricOptions
    from cypmh.pathways import JOIN_WITHIN_DAYS, FourWeekCohort, InterventionCodes
    from cypmh.periods import Month, RollingMonths

    month = Month.parse(MONTH)
    end = month.last_day
    year_start = RollingMonths(last=month, months=12).start
    quarter_start = RollingMonths(last=month, months=3).start
    options = MetricOptions()
    cohort = FourWeekCohort.default()
    attended = [s.value for s in AttendStatus if s.attendance is AttendanceClass.ATTENDED]
    interventions = InterventionCodes.default().codes
    baseline = [
        t.snomed_code
        for t in codes.assessment_tools().values()
        if t.in_publication_list and not t.is_current_view
    ]
    mechanisms = [
        (e.code, str(e.group), e.valid_from or 0, e.valid_to or 10**6)
        for e in codes.consultation_mechanisms().entries
    ]

    def table(name: str) -> str:
        return f"read_parquet('{where / (name + '.parquet')}')"

    def d(day: date) -> str:
        return f"DATE '{day.isoformat()}'"

    sql = f"""
CREATE MACRO ymd(x) AS year(x) * 10000 + month(x) * 100 + day(x);
CREATE MACRO age(b, x) AS (ymd(x) - ymd(b)) // 10000;
CREATE MACRO cyp_at(b, x) AS coalesce(x >= b AND age(b, x) <= 17, false);
CREATE MACRO month_id(x) AS (year(x) - 1900) * 12 + month(x) - 3;
CREATE TABLE children AS SELECT * FROM {table("children")};
-- The area as at the period end: nothing dated after it has happened yet.
CREATE TABLE referrals AS
SELECT * REPLACE (
  CASE WHEN rejection_date <= {d(end)} THEN rejection_date END AS rejection_date,
  CASE WHEN closure_date <= {d(end)} THEN closure_date END AS closure_date,
  CASE WHEN discharge_date <= {d(end)} THEN discharge_date END AS discharge_date)
FROM {table("referrals")} WHERE received_date <= {d(end)};
CREATE TABLE contacts AS SELECT * FROM {table("contacts")} WHERE date <= {d(end)};
CREATE TABLE procedures AS SELECT * FROM {table("contact_procedures")};
CREATE TABLE indirect AS SELECT * FROM {table("indirect_activities")} WHERE date <= {d(end)};
CREATE TABLE assessments AS SELECT * FROM {table("assessments")} WHERE date <= {d(end)};
CREATE TABLE plans AS
SELECT * REPLACE (CASE WHEN last_updated <= {d(end)} THEN last_updated END AS last_updated),
       care_plan_id IN (SELECT care_plan_id FROM {table("care_plan_agreements")}
                        WHERE date IS NULL OR date <= {d(end)}) AS agreed
FROM {table("care_plans")} WHERE created <= {d(end)};

-- Referrals of children 0-17 when received, by the period end, living in England or unknown.
CREATE TABLE cyp AS
SELECT r.*, c.birth_date
FROM referrals r JOIN children c USING (person_id)
WHERE r.received_date <= {d(end)} AND cyp_at(c.birth_date, r.received_date)
  AND (coalesce(c.la_district, '') = '' OR c.la_district LIKE 'E%');

-- Counted contacts: attended, through a mechanism valid that month (digital-only ones
-- for the digital providers only).
CREATE TABLE counted AS
SELECT k.contact_id, k.referral_id, k.date
FROM contacts k
JOIN referrals r USING (referral_id)
JOIN mechanisms m
  ON m.code = k.consultation_mechanism
 AND month_id(k.date) BETWEEN m.valid_from AND m.valid_to
 AND (m.grp = 'yes' OR (m.grp = 'digital_only'
      AND r.provider_code IN {_sql_list(options.contact_rule.digital_providers)}))
WHERE k.attend_status IN {_sql_list(attended)};

-- MHS95: people with a counted contact (0-17 that day) or an indirect activity
-- (0-17 on the last day of its month) in the 12 months.
CREATE TABLE mhs95 AS
SELECT count(DISTINCT person_id) AS people FROM (
  SELECT y.person_id FROM counted k JOIN cyp y USING (referral_id)
  WHERE k.date BETWEEN {d(year_start)} AND {d(end)} AND cyp_at(y.birth_date, k.date)
  UNION ALL
  SELECT y.person_id FROM indirect i JOIN cyp y USING (referral_id)
  WHERE i.date BETWEEN {d(year_start)} AND {d(end)} AND cyp_at(y.birth_date, last_day(i.date))
);

-- MHS130-MHS135: first counted contact (0-17 that day) of referrals received from April 2019.
CREATE TABLE waits AS
SELECT y.referral_id, y.received_date, y.discharge_date, f.first
FROM cyp y LEFT JOIN (
  SELECT k.referral_id, min(k.date) AS first
  FROM counted k JOIN cyp y USING (referral_id)
  WHERE cyp_at(y.birth_date, k.date)
  GROUP BY k.referral_id
) f USING (referral_id)
WHERE y.received_date >= {d(WAITS_FROM)};

-- MRS08: four-week spells (NHS England's running maximum) of the cohort, and their clocks.
CREATE TABLE kept AS
SELECT r.referral_id, r.person_id, r.provider_code, r.received_date,
       least(coalesce(r.discharge_date, r.rejection_date, r.closure_date, {d(end)}), {d(end)})
         AS referral_end
FROM referrals r JOIN children c USING (person_id)
WHERE r.received_date <= {d(end)} AND NOT (
     NOT coalesce(age(c.birth_date, r.received_date) BETWEEN {cohort.min_age} AND {cohort.max_age}, false)
  OR (coalesce(c.la_district, '') <> '' AND NOT starts_with(c.la_district, '{cohort.residence_prefix}'))
  OR coalesce(r.provider_code IN {_sql_list(cohort.digital_providers)}, false)
  OR (coalesce(r.team_type IN {_sql_list(cohort.spa_team_types)}, false)
      AND coalesce(r.priority IN {_sql_list(cohort.urgent_priorities)}, false))
  OR (coalesce(r.primary_reason IN {_sql_list(cohort.eating_disorder_reasons)}, false)
      AND NOT coalesce(r.team_type IN {_sql_list(cohort.eating_disorder_allowed_team_types)}, false))
  OR (coalesce(r.primary_reason IN {_sql_list(cohort.psychosis_reasons)}, false)
      AND coalesce(r.team_type IN {_sql_list(cohort.eip_team_types)}, false))
  OR coalesce(r.team_type IN {_sql_list(cohort.excluded_team_types)}, false)
);
CREATE TABLE members AS
WITH ordered AS (
  SELECT *, max(referral_end) OVER w AS latest FROM kept
  WINDOW w AS (PARTITION BY person_id, provider_code
               ORDER BY received_date, referral_end, referral_id ROWS UNBOUNDED PRECEDING)
), flagged AS (
  SELECT *, CASE WHEN lag(latest) OVER w IS NULL
                   OR received_date > lag(latest) OVER w + {JOIN_WITHIN_DAYS} THEN 1 ELSE 0 END AS new
  FROM ordered
  WINDOW w AS (PARTITION BY person_id, provider_code ORDER BY received_date, referral_end, referral_id)
), numbered AS (
  SELECT *, sum(new) OVER (PARTITION BY person_id, provider_code
                           ORDER BY received_date, referral_end, referral_id
                           ROWS UNBOUNDED PRECEDING) AS spell_no
  FROM flagged
)
SELECT referral_id, person_id, provider_code, spell_no,
       min(received_date) OVER s AS start, max(referral_end) OVER s AS "end"
FROM numbered
WINDOW s AS (PARTITION BY person_id, provider_code, spell_no);
DELETE FROM members WHERE start < {d(cohort.earliest_spell_start)};
CREATE TABLE spells AS
SELECT DISTINCT person_id, provider_code, spell_no, start, "end" FROM members;
CREATE TABLE events AS
SELECT m.person_id, m.provider_code, m.spell_no, k.date AS day,
       (k.contact_id IN (SELECT contact_id FROM counted))::INT
       + 4 * (k.contact_id IN (SELECT contact_id FROM procedures
                               WHERE procedure IN {_sql_list(interventions)}))::INT AS kinds
FROM contacts k JOIN members m USING (referral_id)
WHERE k.date BETWEEN m.start AND m."end"
UNION ALL
SELECT m.person_id, m.provider_code, m.spell_no, i.date,
       1 + 4 * coalesce(i.procedure IN {_sql_list(interventions)}, false)::INT
FROM indirect i JOIN members m USING (referral_id)
WHERE i.date BETWEEN m.start AND m."end"
UNION ALL
SELECT m.person_id, m.provider_code, m.spell_no, a.date, 2
FROM assessments a JOIN members m USING (referral_id)
WHERE a.tool_code IN {_sql_list(baseline)} AND a.date BETWEEN m.start AND m."end"
UNION ALL
SELECT s.person_id, s.provider_code, s.spell_no,
       CASE WHEN coalesce(p.last_updated IS NOT NULL AND p.created >= s.start
                          AND p.created <= p.last_updated, false)
            THEN p.created ELSE p.last_updated END,
       4
FROM plans p JOIN spells s USING (person_id)
WHERE coalesce(p.agreed, false)
  AND coalesce(p.last_updated, p.created) BETWEEN s.start AND s."end";
CREATE TABLE clocks AS
WITH firsts AS (
  SELECT person_id, provider_code, spell_no,
         min(day) FILTER (kinds & 1 = 1) AS contact,
         min(day) FILTER (kinds & 2 = 2) AS outcome,
         min(day) FILTER (kinds & 4 = 4) AS help
  FROM events WHERE kinds > 0 GROUP BY ALL
)
SELECT person_id, provider_code, spell_no,
       CASE WHEN contact IS NOT NULL AND outcome IS NOT NULL AND help IS NOT NULL
            THEN greatest(contact, outcome, help) END AS stop
FROM firsts;

SELECT
  (SELECT people FROM mhs95) AS MHS95,
  count(*) FILTER (first BETWEEN {d(quarter_start)} AND {d(end)}) AS MHS130,
  quantile_cont(first - received_date, 0.5) FILTER (first BETWEEN {d(quarter_start)} AND {d(end)})
    AS MHS131,
  quantile_cont(first - received_date, 0.9) FILTER (first BETWEEN {d(quarter_start)} AND {d(end)})
    AS MHS132,
  count(*) FILTER ((first IS NULL OR first > {d(end)})
                   AND NOT coalesce(discharge_date <= {d(end)}, false)) AS MHS133,
  quantile_cont({d(end)} + 1 - received_date, 0.5) FILTER ((first IS NULL OR first > {d(end)})
                   AND NOT coalesce(discharge_date <= {d(end)}, false)) AS MHS134,
  quantile_cont({d(end)} + 1 - received_date, 0.9) FILTER ((first IS NULL OR first > {d(end)})
                   AND NOT coalesce(discharge_date <= {d(end)}, false)) AS MHS135,
  (SELECT count(*) FROM spells s JOIN clocks c USING (person_id, provider_code, spell_no)
   WHERE c.stop BETWEEN {d(quarter_start)} AND {d(end)}) AS MRS08
FROM waits;
"""
    return sql, mechanisms


def run_hand(where: Path) -> dict[str, float | None]:
    """The eight whole-area values from the hand-written SQL."""
    import duckdb

    sql, mechanisms = hand_sql(where)
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE mechanisms (code VARCHAR, grp VARCHAR, valid_from INT, valid_to INT)"
    )
    connection.executemany("INSERT INTO mechanisms VALUES (?, ?, ?, ?)", mechanisms)
    statements = [s for s in sql.split(";\n") if s.strip()]
    for statement in statements[:-1]:
        connection.execute(statement)
    row = connection.execute(statements[-1]).fetchone()
    assert row is not None
    return {name: (None if v is None else float(v)) for name, v in zip(HEAD, row, strict=True)}


def run_engine(
    where: Path, backend: str, metrics: list[str], breakdowns: tuple[str, ...]
) -> tuple[Any, ...]:
    """The dataframe engine on lazy scans of the Parquet files; the rows (whole area: values)."""
    from cypmh.metrics.frames import TABLES, compute_frames

    if backend == "polars":
        import polars as pl

        tables = {name: pl.scan_parquet(where / f"{name}.parquet") for name in TABLES}
    else:
        import duckdb

        connection = duckdb.connect()
        tables = {name: connection.read_parquet(str(where / f"{name}.parquet")) for name in TABLES}
    return compute_frames(tables, MONTH, metrics=metrics, breakdowns=breakdowns, disclosure="none")


def measure(referrals: int, run: str) -> dict[str, object]:
    """One run in this process: its time, memory and values."""
    where = folder(referrals)
    started = time.perf_counter()
    values: dict[str, float | None] = {}
    rows = 0
    if run == "hand":
        values = run_hand(where)
        rows = len(values)
    elif run == "catalogue":
        from cypmh.metrics import CATALOGUE
        from cypmh.metrics.families.four_week_metrics import OWN_IDS
        from cypmh.metrics.frames import SUPPORTED
        from cypmh.metrics.need import needs_population
        from cypmh.metrics.request import lacks_groups

        # The catalogue as one run without a population reports it (MRS08-MRS09f, not also
        # WAIT08-WAIT09f, and not the metrics that read a population or a population by group).
        ids = sorted(
            m
            for m in SUPPORTED - set(OWN_IDS.values())
            if m in CATALOGUE
            and not needs_population(CATALOGUE[m])
            and not lacks_groups(CATALOGUE[m], groups=False, deprivation=False)
        )
        found = run_engine(where, "polars", ids, ("age_band", "provider"))
        rows = len(found)
    else:
        found = run_engine(where, run, list(HEAD), ())
        values = {r.metric_id: r.value for r in found}
        rows = len(values)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "referrals": referrals,
        "run": run,
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak_kib / 1024, 1),
        "values": values,
    }


def main(sizes: list[int]) -> None:
    """Every run of every size in its own process; a table, agreement and ratios."""
    for size in sizes:  # built once, outside the timings, in a process of its own
        subprocess.run([sys.executable, __file__, "--build", str(size)], check=True)
    print(f"{'referrals':>10} {'run':>10} {'rows':>6} {'seconds':>8} {'peak MiB':>9} {'x hand':>7}")
    results: dict[tuple[int, str], dict[str, Any]] = {}
    for size in sizes:
        for run in RUNS:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), run],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            results[(size, run)] = result
            ratio = float(result["seconds"]) / float(results[(size, "hand")]["seconds"])
            print(
                f"{size:>10} {run:>10} {result['rows']:>6} {result['seconds']:>8} "
                f"{result['peak_mib']:>9} {ratio:>7.2f}",
                flush=True,
            )
        hand = results[(size, "hand")]["values"]
        for run in ("polars", "duckdb"):
            got = results[(size, run)]["values"]
            same = all(
                (a is None and b is None)
                or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))
                for a, b in ((hand[m], got[m]) for m in HEAD)
            )
            print(f"  {size}: {run} gives the hand-written SQL's values: {same} {got}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for run in RUNS:
            t1 = float(results[(small, run)]["seconds"])
            t2 = float(results[(large, run)]["seconds"])
            exponent = math.log(t2 / t1) / math.log(large / small)
            print(f"  growth {small}->{large}, {run}: time x{t2 / t1:.1f}, exponent {exponent:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        folder(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3])))
    else:
        main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
