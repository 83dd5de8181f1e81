"""An extract read from a real PostgreSQL server (Debian's ``postgresql`` package).

The fixture starts a private server for the test session: ``initdb`` into a
temporary folder (as the ``postgres`` user when run as root, since PostgreSQL
refuses root), password authentication (scram-sha-256), and a Unix socket in
that folder, with no TCP port. The password reaches the driver only through
``PGPASSWORD``, as the docs tell users to give it. Without the server's
programs the tests are skipped, unless ``CYPMH_NEED_POSTGRES`` is set (CI sets
it, after ``.ci/run`` installs the package), when they fail.

What must hold: the same rows in PostgreSQL tables (in a schema, read a
few rows at a time) give the same area and report as the folder of CSV files.
"""

import csv
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cypmh.io import write_extract
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import ExtractError, read_extract
from cypmh.io.sources import Database, table_name
from cypmh.synth.area import demo_area
from cypmh.synth.examples import example_area
from tests.io.test_sources import core, csv_tables

PASSWORD = "cypmh-test-only"


def _bindir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for path in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(path, "initdb").exists():
            return Path(path)
    return None


@pytest.fixture(scope="session")
def postgres():
    bindir = _bindir()
    if bindir is None:
        if os.environ.get("CYPMH_NEED_POSTGRES"):
            pytest.fail("CYPMH_NEED_POSTGRES is set but PostgreSQL's programs are not installed")
        # Only where make test could not install them (.ci/install-postgres needs root or
        # sudo); CI sets CYPMH_NEED_POSTGRES, so there the tests fail instead.
        pytest.skip(
            "PostgreSQL's server programs are not installed and this user cannot install "
            "them (.ci/install-postgres); CI requires them"
        )
    root = Path(tempfile.mkdtemp(prefix="cypmh-pg-"))
    root.chmod(0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if prefix:
        shutil.chown(pwfile, "postgres", "postgres")
    data, log = root / "data", root / "log"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "cypmh",
        "--auth=scram-sha-256",
        f"--pwfile={pwfile}",
        "--no-sync",
    )
    options = f"-k {root} -c listen_addresses='' -c fsync=off"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
    try:
        yield f"postgresql+psycopg://cypmh@/postgres?host={root}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)


def load(url: str, folder: Path, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        db.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        for path, (header, rows) in csv_tables(folder).items():
            table = sa.Table(
                table_name(path),
                sa.MetaData(schema=schema),
                *(sa.Column(c, sa.Text) for c in header),
            )
            table.create(db)
            if rows:
                db.execute(table.insert(), [dict(zip(header, r, strict=True)) for r in rows])
    engine.dispose()


@pytest.mark.parametrize("make", [example_area, demo_area], ids=["example", "demo"])
def test_postgres_gives_the_folders_report(postgres, password, tmp_path, make):
    folder = write_extract(make(), tmp_path / "folder")
    # One wrong cell, so the report has a problem to name.
    path = folder / "MHS101Referral.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("ReferralRequestReceivedDate")] = "2024-13-01"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    load(postgres, folder, "mh")
    expected = read_extract(folder)
    got = read_extract(Database(postgres, schema="mh", chunk_rows=7))
    assert core(got.quality) == core(expected.quality)
    assert got.area.referrals == expected.area.referrals
    assert got.area.contacts == expected.area.contacts
    [first] = [p for p in got.quality.problems if p.file == "MHS101Referral.csv"][:1]
    assert first.where.startswith("table MHS101Referral, row 1 (UniqServReqID ")
    framed = read_extract_frames(Database(postgres, schema="mh"), "polars")
    assert framed.quality == got.quality


def test_without_the_password_the_error_names_no_url(postgres, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    with pytest.raises(ExtractError) as caught:
        read_extract(Database(postgres, schema="mh"))
    message = str(caught.value)
    assert "the database could not be read" in message
    assert "cypmh-pg-" not in message
    assert "postgresql" not in message


def test_names_folded_to_lower_case_are_found(postgres, password, tmp_path):
    """Tables and columns created without quotes are lower case in PostgreSQL."""
    import sqlalchemy as sa

    folder = write_extract(example_area(), tmp_path / "folder")
    engine = sa.create_engine(postgres)
    with engine.begin() as db:
        db.execute(sa.text("DROP SCHEMA IF EXISTS folded CASCADE"))
        db.execute(sa.text("CREATE SCHEMA folded"))
        for path, (header, rows) in csv_tables(folder).items():
            # As unquoted names are stored: in lower case (END must be quoted, being a keyword).
            name = table_name(path).lower()
            columns = ", ".join(f'"{c.lower()}" TEXT' for c in header)
            db.execute(sa.text(f'CREATE TABLE folded."{name}" ({columns})'))
            for row in rows:
                values = {f"v{i}": v for i, v in enumerate(row)}
                marks = ", ".join(f":v{i}" for i in range(len(row)))
                db.execute(sa.text(f'INSERT INTO folded."{name}" VALUES ({marks})'), values)
    engine.dispose()
    got = read_extract(Database(postgres, schema="folded"))
    expected = read_extract(folder)
    assert core(got.quality) == core(expected.quality)
    assert got.area.referrals == expected.area.referrals
