"""Where an extract's rows come from: a folder of CSV files, data frames, or a database.

The readers' rules and the data-quality report are written once, over the
contract's CSV text (:mod:`cypmh.io.lines`). A source that is not a folder
is therefore written, table by table, as CSV text into a private temporary
folder in the contract's layout, and that folder is read as any other:
every rule, count and hint is the same for the same rows, whatever the
source. Each table row becomes one CSV line (line numbers are row numbers
plus one, for the header), and problems are then named by their table and
row, with the row's key (:func:`cypmh.io.relocated.relocated`).

- :class:`Frames`: a mapping of pandas or Polars data frames (anything
  narwhals reads), named like the contract's files without ``.csv``
  (:func:`table_name`: ``MHS101Referral``, ``ssda903_episodes``,
  ``schools_link_contacts``), or by the files' own paths.
- :class:`Database`: a SQLAlchemy URL, an optional schema, and optionally a
  table-name mapping. SQLAlchemy is used, not ADBC: it reaches every
  database an NHS trust or council runs (SQL Server, PostgreSQL, Oracle,
  SQLite) through drivers they already have, and streams a large table in
  chunks (``yield_per``), so memory stays that of the CSV path. ADBC has
  drivers for few of those.

A value becomes text as a CSV export would write it: ``None`` and NaN are
empty, dates are ``YYYY-MM-DD``, a whole float is written without its
``.0`` (a score of 20.0 is ``20``), and a line break inside a cell is read
as a space (no contract column holds free text).

Connection strings are never written to any output: errors say "the
database" and name the table. A URL may not carry a password; the driver
takes it from the environment or a password file (for PostgreSQL,
``PGPASSWORD`` or ``~/.pgpass``).
"""

from __future__ import annotations

import abc
import contextlib
import csv
import datetime as dt
import io
import math
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from cypmh.codes.parse import SettingsFileError, parse_toml, read_text_file
from cypmh.io.contract import FILES, FileSpec
from cypmh.io.feeds import SSD_TABLES
from cypmh.io.lines import ExtractError

__all__ = [
    "Database",
    "Frames",
    "Source",
    "as_folder",
    "cell_text",
    "table_name",
    "table_names",
]

CHUNK_ROWS = 50_000
"""How many rows of a database table are fetched at a time."""

POPULATION_TABLE = "population"
"""The table (or data frame) that holds the area's population, as ``population.csv`` does a
folder's: any layout :func:`cypmh.need.read_population` reads. It is not part of the
extract's contract; the commands read it when no ``--population`` is given."""

POPULATION_GROUPS_TABLE = "population_groups"
"""The table (or data frame) that holds the area's population by ethnic group and IMD
decile, as ``population_groups.csv`` does a folder's
(:func:`cypmh.need.read_group_population`); read when no ``--population-groups`` is given."""

DEPRIVATION_TABLE = "deprivation"
"""The table (or data frame) that holds the English Indices of Deprivation, as
``deprivation.csv`` does a folder's, in the government's columns
(:func:`cypmh.need.read_deprivation`); read when no ``--deprivation`` is given."""


def table_name(path: str) -> str:
    """A contract file's default table name: the path without ``.csv``, ``/`` as ``_``.

    >>> table_name("MHS101Referral.csv"), table_name("schools/link_contacts.csv")
    ('MHS101Referral', 'schools_link_contacts')
    """
    return path.removesuffix(".csv").replace("/", "_")


def table_names(mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each contract file's table name: :func:`table_name`, or the mapping's for that file.

    ``mapping`` is keyed by a file's path or its default table name. A key that
    is neither is an :class:`~cypmh.io.lines.ExtractError` listing the keys.
    """
    names = {file.path: table_name(file.path) for file in FILES}
    names[POPULATION_TABLE] = POPULATION_TABLE
    names[DEPRIVATION_TABLE] = DEPRIVATION_TABLE
    names[POPULATION_GROUPS_TABLE] = POPULATION_GROUPS_TABLE
    for ssd in SSD_TABLES:
        names[ssd.name] = ssd.name
    by_default = {table: path for path, table in names.items()}
    for key, table in (mapping or {}).items():
        path = key if key in names else by_default.get(key)
        if path is None:
            raise ExtractError(
                f"table mapping: {key!r} is not a file of the contract; "
                f"the keys are: {', '.join(sorted(by_default))}"
            )
        names[path] = table
    return names


def cell_text(value: Any) -> str:
    r"""A value as the CSV text an export would hold.

    >>> [cell_text(v) for v in (None, float("nan"), 20.0, 2.5, 7, dt.date(2025, 3, 1), " a\nb")]
    ['', '', '20', '2.5', '7', '2025-03-01', ' a b']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        value = str(value)
        if value in ("NaT", "<NA>", "nan"):  # pandas' missing values that are not None
            return ""
    return re.sub(r"\r\n|\r|\n", " ", value)


class Source(abc.ABC):
    """A source of an extract's rows that is not a folder (:class:`Frames`, :class:`Database`)."""

    kind = "source"

    @abc.abstractmethod
    def tables(self) -> Iterator[tuple[FileSpec, list[str], Iterable[Iterable[Any]]]]:
        """Each contract file the source has: its spec, columns and rows."""

    def write(self, folder: Path) -> Path:
        """Write the source's tables into ``folder`` as the contract's CSV files."""
        for file, columns, rows in self.tables():
            path = folder / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                # Text without a line break is written as it is (the common case, and
                # the fast one); anything else goes through cell_text.
                writer.writerows(
                    [
                        v if type(v) is str and "\n" not in v and "\r" not in v else cell_text(v)
                        for v in row
                    ]
                    for row in rows
                )
        for ssd in SSD_TABLES:
            self._write_side(folder, ssd.name, ssd.path)
        return folder

    def _write_side(self, folder: Path, name: str, path: str) -> None:
        """Write the side table ``name``, if the source has it, as ``path`` in ``folder``."""
        found = self.side_rows(name)
        if found is None:
            return
        columns, rows = found
        file = folder / path
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([cell_text(v) for v in row] for row in rows)

    def table_of(self, path: str) -> str:
        """The table name of the contract file ``path`` in this source."""
        return table_name(path)

    def population_text(self) -> str | None:
        """The population table as CSV text (:data:`POPULATION_TABLE`), ``None`` without one."""
        return self.side_text(POPULATION_TABLE)

    def deprivation_text(self) -> str | None:
        """The deprivation table as CSV text (:data:`DEPRIVATION_TABLE`), ``None`` without one."""
        return self.side_text(DEPRIVATION_TABLE)

    def population_groups_text(self) -> str | None:
        """The population by group as CSV text (:data:`POPULATION_GROUPS_TABLE`), or ``None``."""
        return self.side_text(POPULATION_GROUPS_TABLE)

    def side_text(self, name: str) -> str | None:
        """A table beside the contract's (population, deprivation) as CSV text, or ``None``."""
        found = self.side_rows(name)
        if found is None:
            return None
        columns, rows = found
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell_text(v) for v in row] for row in rows)
        return buffer.getvalue()

    def side_rows(self, name: str) -> tuple[list[str], Iterable[Iterable[Any]]] | None:
        """A side table's columns and rows, ``None`` where the source has none."""
        return None


@attrs.frozen
class Frames(Source):
    """Data frames (pandas, Polars, or anything narwhals reads eagerly) named like the files.

    >>> import polars as pl
    >>> source = Frames({"MHS001MPI": pl.DataFrame({"Person_ID": ["P1"]})})
    >>> [(f.path, columns) for f, columns, _ in source.tables()]
    [('MHS001MPI.csv', ['Person_ID'])]
    """

    frames: Mapping[str, Any]
    kind = "frames"

    def tables(self) -> Iterator[tuple[FileSpec, list[str], Iterable[Iterable[Any]]]]:
        """Each frame named like a contract file, as its columns and rows."""
        try:
            # Imported here: an optional extra.
            import narwhals as nw
        except ImportError:
            raise ExtractError(
                "reading data frames needs narwhals: pip install 'cypmh[frames]'"
            ) from None
        names = table_names()
        by_name = {table: path for path, table in names.items()}
        for key in self.frames:
            if key not in names and key not in by_name:
                raise ExtractError(
                    f"data frames: {key!r} is not a file of the contract; "
                    f"name them: {', '.join(sorted(by_name))}"
                )
        for file in FILES:
            table = names[file.path]
            frame = self.frames.get(table, self.frames.get(file.path))
            if frame is None:
                continue
            yield file, *self._eager(nw, table, frame)

    def side_rows(self, name: str) -> tuple[list[str], Iterable[Iterable[Any]]] | None:
        """The frame named ``name`` (``population``, ``deprivation``), if there is one."""
        frame = self.frames.get(name)
        if frame is None:
            return None
        # Imported here: an optional extra.
        import narwhals as nw

        return self._eager(nw, name, frame)

    @staticmethod
    def _eager(nw: Any, table: str, frame: Any) -> tuple[list[str], Iterable[Iterable[Any]]]:
        try:
            eager = nw.from_native(frame, eager_only=True)
        except TypeError:
            raise ExtractError(
                f"data frames: {table!r} is a {type(frame).__name__}, not a data frame"
            ) from None
        return list(eager.columns), eager.iter_rows()


@attrs.frozen
class Database(Source):
    """Tables in a database, read through SQLAlchemy.

    ``url`` is a SQLAlchemy URL without a password
    (``postgresql+psycopg://analyst@dbhost/cyp``, ``sqlite:///extract.db``);
    ``schema`` the schema the tables are in; ``tables`` a mapping from a
    contract file (its path or default table name) to the table's name.
    """

    url: str = attrs.field(repr=False)
    schema: str | None = None
    tables_map: Mapping[str, str] | None = None
    chunk_rows: int = CHUNK_ROWS
    kind = "database"

    def table_of(self, path: str) -> str:
        """The table the mapping names for the contract file ``path``."""
        return table_names(self.tables_map)[path]

    def tables(self) -> Iterator[tuple[FileSpec, list[str], Iterable[Iterable[Any]]]]:
        """Each contract file's table in the schema, streamed ``chunk_rows`` rows at a time."""
        names = table_names(self.tables_map)
        with self._connected() as (sa, connection, present):
            for file in FILES:
                table = present.get(names[file.path].lower())
                if table is None:
                    continue
                yield file, *self._rows(sa, connection, table, file.columns + file.national_columns)

    def side_rows(self, name: str) -> tuple[list[str], Iterable[Iterable[Any]]] | None:
        """The side table ``name`` (or the mapping's name for it), if there is one."""
        mapped = table_names(self.tables_map)[name]
        with self._connected() as (sa, connection, present):
            table = present.get(mapped.lower())
            if table is None:
                return None
            columns, rows = self._rows(sa, connection, table, ())
            return columns, [tuple(row) for row in rows]

    @contextlib.contextmanager
    def _connected(self) -> Iterator[tuple[Any, Any, dict[str, str]]]:
        """SQLAlchemy, a connection, and the schema's tables by lower-case name."""
        try:
            # Imported here: an optional extra.
            import sqlalchemy as sa
        except ImportError:
            raise ExtractError(
                "reading a database needs SQLAlchemy: pip install 'cypmh[db]'"
            ) from None
        try:
            url = sa.make_url(self.url)
        except sa.exc.ArgumentError:
            raise ExtractError("the database URL is not a SQLAlchemy URL") from None
        secret = {"password", "passwd", "pwd", "pass", "sslpassword"}
        if url.password or any(key.lower() in secret for key in url.query):
            raise ExtractError(
                "the database URL carries a password: give it in the environment or a "
                "password file instead (for PostgreSQL, PGPASSWORD or ~/.pgpass)"
            )
        if url.get_backend_name() == "sqlite":
            url = _read_only_sqlite(url)
        try:
            engine = sa.create_engine(url)
        except ImportError as exc:
            raise ExtractError(
                f"the driver of {url.drivername} is not installed ({exc.name}): "
                "pip install 'cypmh[db]' has PostgreSQL's; other databases need their own"
            ) from None
        try:
            with engine.connect() as connection:
                # PostgreSQL folds unquoted names to lower case: a table created as
                # MHS101Referral without quotes is mhs101referral. Names match in any case.
                tables = sa.inspect(connection).get_table_names(schema=self.schema)
                present = {name.lower(): name for name in sorted(tables, reverse=True)}
                yield sa, connection, present
        except sa.exc.SQLAlchemyError as exc:
            raise ExtractError(
                f"the database could not be read ({type(exc).__name__}); check the URL, "
                "the schema and that the password is in the environment or a password file"
            ) from None

    def write(self, folder: Path) -> Path:
        """:meth:`Source.write`, with a failure while rows stream in named as the database's."""
        try:
            # Imported here: an optional extra.
            import sqlalchemy as sa
        except ImportError:
            return super().write(folder)  # which says how to install it
        try:
            return super().write(folder)
        except sa.exc.SQLAlchemyError as exc:
            raise ExtractError(
                f"the database could not be read ({type(exc).__name__}) while its rows were read"
            ) from None

    def _rows(
        self, sa: Any, connection: Any, table: str, known: tuple[str, ...]
    ) -> tuple[list[str], Iterator[Any]]:
        subject = sa.table(table, schema=self.schema) if self.schema else sa.table(table)
        columns = [c["name"] for c in sa.inspect(connection).get_columns(table, self.schema)]
        query = sa.select(*(sa.column(c) for c in columns)).select_from(subject)
        result = connection.execution_options(yield_per=self.chunk_rows).execute(query)
        # A column folded to lower case (uniqservreqid) is read as the contract spells it.
        spelled = {c.lower(): c for c in known}
        return [spelled.get(c.lower(), c) for c in columns], iter(result)


def read_tables_map(path: str | Path) -> dict[str, str]:
    """A table-name mapping from a TOML file: ``MHS101Referral = "referrals_v6"`` lines.

    A ``[tables]`` section may hold them instead. A file that is not TOML, or
    a value that is not text, is an :class:`~cypmh.io.lines.ExtractError`.
    """
    source = Path(path)
    try:
        data = parse_toml(read_text_file(source, "table map"), str(source))
    except SettingsFileError as exc:
        raise ExtractError(str(exc)) from None
    data = data.get("tables", data)
    if not isinstance(data, dict):
        raise ExtractError(f"{source}, [tables]: must be a table of names")
    bad = [k for k, v in data.items() if not isinstance(v, str)]
    if bad:
        raise ExtractError(f"{source}: the table name of {bad[0]!r} must be text")
    return dict(data)


@contextlib.contextmanager
def as_folder(source: Source) -> Iterator[Path]:
    """``source`` written as an extract folder in a private temporary directory, while in use.

    The directory is the user's alone (mode 0700) and is removed on every exit: an
    error, Ctrl-C (SIGINT), and also SIGTERM and SIGHUP, which would otherwise end
    the process without cleaning up and leave a record-level copy of the extract
    behind. (A process killed with SIGKILL cannot clean up; nothing can.)
    """
    with _cleanup_on_termination(), tempfile.TemporaryDirectory(prefix="cypmh-source-") as holder:
        root = Path(holder) / "extract"
        root.mkdir()
        yield source.write(root)


@contextlib.contextmanager
def _cleanup_on_termination() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`SystemExit` meanwhile, so ``finally`` blocks run."""
    # Imported on first use, for start-up time.
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    before = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _read_only_sqlite(url: Any) -> Any:
    """A SQLite URL opened read-only: a mistyped path is an error, never a new empty file."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return url
    path = Path(database)
    if not path.is_file():
        raise ExtractError(f"the database file {path.name} does not exist (SQLite)")
    return url.set(database=f"file:{path.resolve().as_posix()}?mode=ro", query={"uri": "true"})
