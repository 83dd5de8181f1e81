"""The frame reader's bookkeeping: the reference reader's steps, on frames."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.io import reasons
from cypmh.io.cells import cells, polars_module, problem_frame
from cypmh.io.contract import EVENT_DATES, FILES, spec
from cypmh.io.feeds import as_in_the_feeds
from cypmh.io.frame_checks import Check, parsed_date
from cypmh.io.gias import as_in_the_file
from cypmh.io.opening import plain_path
from cypmh.io.quality import FileCounts, Problem, QualityReport, ordered_warnings, tie_warning
from cypmh.io.rejected import rejected_people
from cypmh.io.rows import BAD_UNIQ_MONTH_ID, UNIQ_MONTH_ID
from cypmh.tables.coded import as_categories, numbers

if TYPE_CHECKING:
    from cypmh.io.gias import ExtractSettings

__all__ = ["FrameReader", "report"]


PROBLEM_COLUMNS = ("file", "line", "column", "value", "reason")

KEEP_BYTES = 64_000_000
"""The bytes of files the frame reader keeps from its first reading (:meth:`FrameReader.preload`).

A smaller extract is read once; a larger one's other files are read again when their
rules come to them, so that the reader never holds every large file's cells at once."""


PART_BYTES = 256_000_000
"""A file larger than this is read a part at a time where a step can (:meth:`FrameReader.parts`)."""

PART_ROWS = 2_000_000
"""The rows of one part (:meth:`FrameReader.parts`)."""


def _size(path: Path) -> int:
    """The file's size in bytes (0 if it is not there)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


class FrameReader:
    """:class:`~cypmh.io.record_reader.RecordReader`, on frames: counts and problems while checking.

    What the rule modules hand on: ``end``, ``link`` (the linkage), ``births``
    (each known child's birth date), ``received`` (the kept referrals), and
    ``tables``, the clean tables by :data:`~cypmh.metrics.frames.TABLES` name.
    """

    def __init__(
        self, folder: Path, settings: ExtractSettings | None = None, *, coded: bool = False
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.coded = coded
        self.codes: dict[str, Any] = {}
        self.numbered: set[str] = set()
        self.counts: dict[str, FileCounts] = {}
        self.headers: dict[str, tuple[str, ...]] = {}
        self.problems: list[Any] = []
        self.warnings: list[str] = []
        self.read: set[str] = set()
        self.kept: dict[str, Any] = {}
        self.pl = polars_module()
        self.end: Any = None
        self.link: Any = None
        self.births: Any = None
        self.received: Any = None
        self.tables: dict[str, Any] = {}

    def preload(self) -> Any:
        """``_Reader.preload``: the extract's end, every file read once in the contract's order.

        A large extract's files are read and let go one at a time (the steps read
        each again when they come to it, :meth:`rows`), so the reader holds one
        large file's cells at a time, not the whole extract's (issue 32's memory).
        Files are kept from this first reading while their bytes come to at most
        :data:`KEEP_BYTES` together, so a small extract is read once. A file's
        problems, counts and warnings are recorded when a step reads it.
        """
        pl = self.pl
        ends = []
        kept_bytes = 0
        for file in FILES:
            size = _size(self.folder / file.path)
            keep = kept_bytes + size <= KEEP_BYTES
            column = EVENT_DATES.get(file.path)
            if not keep and column is None:
                continue  # read when its step comes to it
            # A file not kept is read for its date alone (and what the latest-submission
            # rule reads): a 1 GB contacts file's other cells are not held here.
            only = (
                None
                if keep or column is None
                else {column, "UniqMonthID", *([file.key] if file.key else [])}
            )
            frame = self._rows(file.path, record=keep, only=only)
            if column is not None and frame.height:
                latest = frame.select(parsed_date(column, spec(file.path).ssda903_dates).max())
                ends.append(latest.item())
            if keep:
                kept_bytes += size
                self.kept[file.path] = frame
            del frame
        ends = [e for e in ends if e is not None]
        self.end = max(ends) if ends else pl.lit(None, pl.Date)
        return self.end

    def rows(self, path: str) -> Any:
        """The file's rows: kept from :meth:`preload`, or read now that its step comes to it."""
        if path in self.read:  # pragma: no cover - a rule module reads each file once
            raise RuntimeError(f"{path} read twice")
        self.read.add(path)
        return self.kept.pop(path) if path in self.kept else self._rows(path)

    def parts(self, path: str) -> Iterator[Any]:
        """The file's rows a part at a time (:data:`PART_ROWS`), in line order, as :meth:`rows`.

        A large plain file (over :data:`PART_BYTES`) is read as its parts are
        asked for, so that its cells are never all held (issue 32's memory).
        Any other file, and one whose monthly submissions the latest-submission
        rule must weigh together (a ``UniqMonthID`` column), is one part.
        The file's counts are recorded when its last part has been read.
        """
        file = spec(path)
        plain = plain_path(self.folder, file) if path not in self.kept else None
        if (
            plain is None
            or _size(plain[0]) <= PART_BYTES
            or "UniqMonthID" in {column.strip() for column in plain[1]}
        ):
            yield self.rows(path)
            return
        if path in self.read:  # pragma: no cover - a rule module reads each file once
            raise RuntimeError(f"{path} read twice")
        self.read.add(path)
        raw = cells(self.folder, file, self.warnings, self.settings, self.headers, parts=PART_ROWS)
        if raw is None:  # pragma: no cover - plain_path found the file a moment ago
            return
        found, problems = raw
        self.problems += problems
        rejected = sum(p.height for p in problems)
        rows, given = 0, False
        for part in [found] if isinstance(found, self.pl.DataFrame) else found:
            rows, given = rows + part.height, True
            yield part
        if not given:  # a file of a header alone
            pl = self.pl
            yield pl.DataFrame(schema={"_line": pl.Int64, **dict.fromkeys(file.columns, pl.String)})
        self.counts[path] = FileCounts(read=rows + rejected, superseded=0)

    def failures(self, frame: Any, checks: Sequence[Check]) -> Any:
        """``frame`` with ``_fail``: the index of the first of ``checks`` a row fails, or null."""
        pl = self.pl
        failure = pl.coalesce(
            [pl.when(c.fail.fill_null(False)).then(pl.lit(i)) for i, c in enumerate(checks)]
        ).alias("_fail")
        return frame.with_columns(failure)

    def problems_of(self, path: str, bad: Any, checks: Sequence[Check]) -> Any:
        """The problems of the rows of ``bad`` (each with its ``_fail``), as :meth:`reject`."""
        pl = self.pl

        def pick(part: str) -> Any:
            chain: Any = pl
            for i, check in enumerate(checks):
                value = getattr(check, part)
                chain = chain.when(pl.col("_fail") == i).then(
                    value if isinstance(value, pl.Expr) else pl.lit(value)
                )
            return chain

        return bad.select(
            file=pl.lit(path),
            line=pl.col("_line"),
            column=pick("column"),
            value=pick("value"),
            reason=pick("reason"),
        )

    def code(self) -> None:
        """With ``coded``, every id of the tables read so far as a whole number, where it can be.

        And every other text column of a table (a code) as a ``Categorical``
        (:func:`cypmh.tables.coded.as_categories`).

        Each kind of id is numbered by its place in the sorted ids of the table
        that owns it (children, referrals, contacts, care plans), once that table
        is read: every other table's ids of that kind are among them (the rules
        keep no record whose person, referral, contact or care plan was not kept),
        so the numbers are :func:`cypmh.tables.coded.code_ids`'s. Called after
        each step, so that a table's text ids are let go as soon as they can be;
        the look-ups the later steps make (``births``, ``received``) gain the
        numbers of their ids (``_who_code``; ``_ref_code``, ``_ref_person_code``).
        """
        if not self.coded:
            return
        pl = self.pl
        owners = {
            "person_id": ("children", "person_id"),
            "referral_id": ("referrals", "referral_id"),
            "contact_id": ("contacts", "contact_id"),
            "care_plan_id": ("care_plans", "care_plan_id"),
        }
        fresh = {}
        for kind, (table, column) in owners.items():
            if kind in self.numbered or table not in self.tables:
                continue
            self.numbered.add(kind)
            owner = self.tables[table]
            # The owner's ids are unique: numbered by a rank, with no join.
            codes = numbers(owner[column])
            fresh[kind] = pl.DataFrame({"_id": owner[column], "_code": codes})
            self.tables[table] = owner.with_columns(codes.alias(column))
            del owner, codes
        self.codes |= fresh
        people, referrals = self.codes.get("person_id"), self.codes.get("referral_id")
        if people is not None and "_who_code" not in self.births.columns:
            self.births = self._coded(self.births, "_who", people, "_who_code")
        if referrals is not None and "_ref_code" not in self.received.columns:
            received = self._coded(self.received, "_rid", referrals, "_ref_code")
            self.received = self._coded(received, "_ref_person", people, "_ref_person_code")
        for name, frame in list(self.tables.items()):
            for kind, codes in self.codes.items():
                if kind in frame.columns and frame.schema[kind] == pl.String:
                    frame = self._coded(frame, kind, codes, kind)
            # And each code as a category (cypmh.tables.coded.CODE_COLUMNS).
            self.tables[name] = as_categories(frame, name)
        # No later step reads a contact id: its 20 million texts are let go now.
        self.codes.pop("contact_id", None)

    def _coded(self, frame: Any, column: str, codes: Any, name: str) -> Any:
        """``frame`` with ``name``, the number of each id in ``column`` (``codes``: id, number)."""
        pl = self.pl
        ids = frame.select(pl.col(column).alias("_id"))
        # Only the numbers of the ids the frame has: a small table's look-up does not
        # hash a large owner's every id.
        codes = codes.join(ids.unique(), on="_id", how="semi")
        found = ids.join(codes, on="_id", how="left", maintain_order="left")
        lost = found.filter(pl.col("_id").is_not_null() & pl.col("_code").is_null()).height
        if lost:  # pragma: no cover - the rules keep no record whose owner was not kept
            raise RuntimeError(f"{lost} ids of {column} have no number")
        return frame.with_columns(found["_code"].alias(name))

    def read_the_rest(self) -> None:
        """Read the files no step read, for their counts, problems and warnings."""
        for file in FILES:
            if file.path not in self.read:
                self.rows(file.path)

    def _rows(self, path: str, *, record: bool = True, only: Collection[str] | None = None) -> Any:
        """The file's rows after the latest-submission rule (``_Reader.rows``).

        Without ``record``, nothing is kept of the reading: no counts, problems,
        warnings or header (:meth:`preload`'s first reading). ``only`` reads
        those columns alone where it can (:func:`~cypmh.io.cells.cells`).
        """
        pl = self.pl
        file = spec(path)
        warnings: list[str] = self.warnings if record else []
        headers = self.headers if record else None
        raw = cells(self.folder, file, warnings, self.settings, headers, only)
        if raw is None:
            return pl.DataFrame(
                schema={"_line": pl.Int64, **dict.fromkeys(file.columns, pl.String)}
            )
        frame, problems = raw
        superseded = 0
        if file.key is not None and frame.height and "UniqMonthID" in frame.columns:
            month = pl.col("UniqMonthID")
            numbered = month.str.contains(f"^(?:{UNIQ_MONTH_ID.pattern})$")
            problems.append(
                frame.filter(~numbered).select(
                    file=pl.lit(path),
                    line=pl.col("_line"),
                    column=pl.lit("UniqMonthID"),
                    value=month,
                    reason=pl.lit(BAD_UNIQ_MONTH_ID),
                )
            )
            valid = frame.filter(numbered).with_columns(_month=month.cast(pl.Int64, strict=False))
            latest = pl.col("_line").sort_by(["_month", "_line"]).last().over(file.key) == pl.col(
                "_line"
            )
            top = valid.filter(pl.col("_month") == pl.col("_month").max().over(file.key))
            ties = (
                top.group_by(file.key)
                .agg(pl.len().alias("_rows"), pl.col("_line").min().alias("_first"))
                .filter(pl.col("_rows") > 1)
            )
            if ties.height:
                warnings.append(tie_warning(file, ties.height, int(ties["_first"].min())))
            frame = valid.filter(latest).drop("_month")
            superseded = valid.height - frame.height
        if record:
            self.problems += problems
            rejected = sum(p.height for p in problems)
            self.counts[path] = FileCounts(
                read=frame.height + superseded + rejected, superseded=superseded
            )
        return frame

    def reject(self, path: str, frame: Any, column: Any, value: Any, reason: Any) -> None:
        """Report every row of ``frame`` (columns, values and reasons may be expressions)."""
        pl = self.pl
        self.problems.append(
            frame.select(
                file=pl.lit(path),
                line=pl.col("_line").cast(pl.Int64),  # a kept part's lines are UInt32
                column=column if isinstance(column, pl.Expr) else pl.lit(column),
                value=value,
                reason=reason,
            )
        )

    def build(self, path: str, frame: Any, parsed: Sequence[Any], checks: Sequence[Check]) -> Any:
        """Keep the rows that pass every check; report each other row's first failure."""
        pl = self.pl
        if parsed:
            frame = frame.with_columns(parsed)
        if not checks:
            return frame
        frame = self.failures(frame, checks)
        bad = frame.filter(pl.col("_fail").is_not_null())
        if not bad.height:
            return frame.drop("_fail")  # no copy of a clean file's rows (issue 32's memory)
        self.problems.append(self.problems_of(path, bad, checks))
        return frame.filter(pl.col("_fail").is_null()).drop("_fail")

    def unique(self, path: str, frame: Any, key: str, column: str, shown: Any = None) -> Any:
        """``_Reader.unique``: a later row with the same key duplicates the first.

        A duplicate's value is its key, or the expression ``shown`` where a key has parts.

        The first of each key is found by a pass in line order
        (``is_first_distinct``), not by a window over every key: a window over
        20 million contact ids held 2 GB more (issue 32's memory). Only the
        keys that repeat are looked up again, for the line of their first row.
        """
        pl = self.pl
        if not frame["_line"].is_sorted():  # pragma: no cover - where a join reordered the rows
            frame = frame.sort("_line")
        first = frame.select(pl.col(key).is_first_distinct()).to_series()
        if first.all():
            return frame
        later = frame.filter(~first)
        firsts = (
            frame.filter(first)
            .join(later.select(key).unique(), on=key, how="semi", nulls_equal=True)
            .select(key, _first=pl.col("_line"))
        )
        later = later.join(firsts, on=key, how="left", nulls_equal=True, maintain_order="left")
        self.reject(
            path,
            later,
            column,
            pl.col(key) if shown is None else shown,
            pl.format(reasons.DUPLICATES, pl.col("_first")),
        )
        return frame.filter(first)

    def look_up(self, frame: Any, left_on: str, table: Any, right_on: str) -> Any:
        """``frame`` with ``table``'s other columns beside each row (a left join, the key unique).

        Only the key is joined, and the columns found are set beside the rows,
        so a wide file's cells are not copied by the join (issue 32's memory).
        """
        keys = frame.select(left_on)
        if table.height > keys.height:
            # Only the rows of the keys the frame has: a part of a large file does not
            # hash a whole table of referrals each time (issue 32's memory).
            wanted = keys.unique().rename({left_on: right_on})
            table = table.join(wanted, on=right_on, how="semi", nulls_equal=True)
        found = keys.join(
            table, left_on=left_on, right_on=right_on, how="left", maintain_order="left"
        )
        if found.height != frame.height:  # pragma: no cover - each table's key is made unique
            raise RuntimeError(f"{right_on} is not unique")
        return frame.hstack(found.drop(left_on).get_columns())

    def keep_if(self, path: str, frame: Any, checks: Sequence[Check]) -> Any:
        """``_Reader.keep_if``: checks against other files, the first failure reported."""
        return self.build(path, frame, (), checks)

    def finish(self, path: str, used: int) -> None:
        """``RecordReader.finish``: close ``path``'s counts."""
        counts = self.counts.get(path)
        if counts is not None:
            rejected = sum(p.filter(self.pl.col("file") == path).height for p in self.problems)
            self.counts[path] = attrs.evolve(
                counts, used=used + counts.superseded, rejected=rejected
            )


def report(r: FrameReader) -> QualityReport:
    """The data-quality report of what ``r`` read, in the reference reader's order."""
    pl = r.pl
    order = {f.path: i for i, f in enumerate(FILES)}
    found = (
        pl.concat([p.select(PROBLEM_COLUMNS) for p in r.problems])
        if r.problems
        else problem_frame([])
    )
    found = found.with_columns(_order=pl.col("file").replace_strict(order, return_dtype=pl.Int64))
    found = found.sort(["_order", "line"])

    problems = as_in_the_feeds(
        r.folder,
        as_in_the_file(
            r.folder,
            (
                Problem(file=f, line=line, column=c, value=v, reason=why)
                for f, line, c, v, why in found.select(PROBLEM_COLUMNS).iter_rows()
            ),
        ),
    )
    files = {f.path: r.counts[f.path] for f in FILES if f.path in r.counts}
    return QualityReport(
        files=files,
        problems=problems,
        warnings=ordered_warnings(r.warnings),
        headers={path: r.headers[path] for path in files if path in r.headers},
        rejected_people=rejected_people(r.folder, problems, r.settings),
    )
