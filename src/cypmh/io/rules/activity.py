"""Care activity: ``MHS201CareContact``, ``MHS202CareActivity`` and ``MHS204IndirectActivity``.

- Each care activity's procedure (the SNOMED CT id before any ``:``) is
  checked on its own row first, so that a bad code rejects only itself.
- Contacts (the model's rules: ids, date, attendance status, a consultation
  mechanism in the reference list), one row per ``UniqCareContID``, on a kept
  referral of the same person, dated on or after its receipt and the
  child's birth. A contact's good procedures are its own; a procedure row
  whose contact was not kept is rejected.
- Indirect activity, on the same terms as contacts (no key of its own); its
  procedure, where given, must be a SNOMED CT id, and its time
  (``IndirectActTime``), where given, a time of day: ``HH:MM:SS``, or ``HH:MM``
  read as ``HH:MM:00``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cypmh.codes import AttendStatus, check_snomed_code, consultation_mechanisms
from cypmh.errors import InvalidValueError
from cypmh.io import reasons
from cypmh.io.cells import whitespace
from cypmh.io.frame_checks import (
    SNOMED,
    TIME_OF_DAY,
    Check,
    code_checks,
    code_in,
    date_checks,
    lit,
    parsed_date,
    required_cell,
    text,
)
from cypmh.io.rows import Row, missing
from cypmh.io.rules.people import born_by_frames
from cypmh.io.rules.referrals import on_referral, on_referral_frames
from cypmh.model import Contact, IndirectActivity
from cypmh.tables.coded import numbers

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

CONTACTS = "MHS201CareContact.csv"
ACTIVITIES = "MHS202CareActivity.csv"
INDIRECT = "MHS204IndirectActivity.csv"

CONTACT_COLUMNS = {
    "contact_id": "UniqCareContID",
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "date": "CareContDate",
    "attend_status": "AttendStatus",
    "consultation_mechanism": "ConsMechanismMH",
    "procedures": "Procedure",
}
INDIRECT_COLUMNS = {
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "date": "IndirectActDate",
    "procedure": "IndActProcedure",
    "time": "IndirectActTime",
}


def procedure_code(cell: str) -> str:
    """The SNOMED CT id of a procedure cell: the part before any ``:`` (a term may follow).

    >>> procedure_code(" 1234567 : a term")
    '1234567'
    """
    return cell.split(":")[0].strip()


def time_of_day(cell: str | None) -> str | None:
    """A time cell as ``HH:MM:SS``: ``HH:MM`` gains ``:00``; the model checks the rest.

    >>> time_of_day("09:30"), time_of_day("09:30:15"), time_of_day(None)
    ('09:30:00', '09:30:15', None)
    """
    if cell is None:
        return None
    return cell + ":00" if len(cell) == 5 else cell


# The reference reader.


def records(r: RecordReader) -> None:
    """Read contacts (with their procedures) and indirect activity into ``r.records``."""
    good, lines = _procedures(r)

    def make_contact(c: Row) -> Contact:
        contact_id = c.required("UniqCareContID")
        return Contact(
            contact_id=contact_id,
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            date=c.day("CareContDate"),
            attend_status=c.code("AttendStatus", AttendStatus) or missing("AttendStatus"),
            consultation_mechanism=c.text("ConsMechanismMH"),
            procedures=tuple(good.get(contact_id, ())),
        )

    contacts = r.build(CONTACTS, r.rows(CONTACTS), make_contact, CONTACT_COLUMNS)
    contacts = r.unique(CONTACTS, contacts, lambda x: x.contact_id, "UniqCareContID")
    contacts = r.keep_if(
        CONTACTS,
        contacts,
        lambda x: on_referral(r, x.referral_id, x.person_id, x.date, "CareContDate"),
    )
    kept = {x.contact_id for _, x in contacts}
    for contact_id, rows in lines.items():
        if contact_id not in kept:
            for row in rows:
                r.reject(
                    ACTIVITIES, row.line, "UniqCareContID", contact_id, reasons.NO_SUCH_CONTACT
                )
    r.finish(CONTACTS, len(contacts))
    r.finish(ACTIVITIES, sum(len(rows) for cid, rows in lines.items() if cid in kept))
    r.records["contacts"] = tuple(x for _, x in contacts)

    indirect = r.build(
        INDIRECT,
        r.rows(INDIRECT),
        lambda c: IndirectActivity(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            date=c.day("IndirectActDate"),
            procedure=procedure_code(c.text("IndActProcedure") or "") or None,
            time=time_of_day(c.text("IndirectActTime")),
        ),
        INDIRECT_COLUMNS,
    )
    indirect = r.keep_if(
        INDIRECT,
        indirect,
        lambda x: on_referral(r, x.referral_id, x.person_id, x.date, "IndirectActDate"),
    )
    r.finish(INDIRECT, len(indirect))
    r.records["indirect_activities"] = tuple(x for _, x in indirect)


def _procedures(r: RecordReader) -> tuple[dict[str, list[str]], dict[str, list[Row]]]:
    """Each contact's good procedure codes, and the rows they came from."""
    good: dict[str, list[str]] = {}
    lines: dict[str, list[Row]] = {}
    for row in r.rows(ACTIVITIES):
        code = procedure_code(row.get("Procedure"))
        try:
            check_snomed_code(code, owner="MHS202CareActivity", field="Procedure")
        except InvalidValueError as exc:
            r.reject(ACTIVITIES, row.line, "Procedure", row.get("Procedure"), exc.rule)
            continue
        contact_id = row.get("UniqCareContID")
        good.setdefault(contact_id, []).append(code)
        lines.setdefault(contact_id, []).append(row)
    return good, lines


# The frame reader.


def _code_column(r: FrameReader, column: str) -> Any:
    """:func:`procedure_code` over a column, as ``_code``."""
    pl = r.pl
    return pl.col(column).str.split(":").list.first().str.strip_chars(whitespace()).alias("_code")


def frames(r: FrameReader) -> None:
    """Read contacts, their procedures and indirect activity into ``r.tables``."""
    pl = r.pl
    snomed = pl.col("_code").str.contains(f"^(?:{SNOMED[0]})$")
    act = r.build(
        ACTIVITIES,
        r.rows(ACTIVITIES).with_columns(_code_column(r, "Procedure")),
        (),
        [Check(~snomed, "Procedure", pl.col("Procedure"), lit(SNOMED[1]))],
    )
    con, numbered = _contacts(r, act.select(_id=pl.col("UniqCareContID")).unique())
    if numbered is None:
        kept = con.select(_cid=pl.col("contact_id"))
    else:  # coded: the kept contacts' ids are numbers, and the procedures' are looked up
        kept = numbered.rename({"_id": "_cid"})
    orphan = act.join(kept, left_on="UniqCareContID", right_on="_cid", how="anti")
    r.reject(
        ACTIVITIES, orphan, "UniqCareContID", pl.col("UniqCareContID"), lit(reasons.NO_SUCH_CONTACT)
    )
    if numbered is None:
        act = act.join(kept, left_on="UniqCareContID", right_on="_cid", how="semi")
        contact_id = pl.col("UniqCareContID")
    else:
        act = r.look_up(act, "UniqCareContID", kept, "_cid")
        act = act.filter(pl.col("_number").is_not_null())
        contact_id = pl.col("_number")
        r.numbered.add("contact_id")  # FrameReader.code: these are the numbers already
    r.finish(CONTACTS, con.height)
    r.finish(ACTIVITIES, act.height)
    r.tables["contacts"] = con.drop("_line")
    r.tables["contact_procedures"] = act.select(contact_id=contact_id, procedure=pl.col("_code"))
    _indirect_frames(r, snomed)


def _contacts(r: FrameReader, wanted: Any) -> tuple[Any, Any]:
    """The kept contacts (the table's columns and ``_line``), their problems reported.

    Coded (:meth:`~cypmh.io.frame_reader.FrameReader.code`), the contact ids are
    numbered here, before the rows that failed a check are let go, so that the
    20 million text ids are not copied by that filter; the second value is then
    the number (``_number``) of each id of ``wanted`` (``_id``: the procedures'
    contact ids) that was kept. Otherwise it is ``None``.

    The file is read a part at a time (:meth:`~cypmh.io.frame_reader.FrameReader.parts`),
    and each part is checked and cut to the table's columns before the next is read, so
    that a large file's cells are never all held (issue 32's memory). The checks against
    other files are worked out for each part, but reported only once the whole file is
    read: a row that repeats an earlier contact's id is reported as a duplicate, as the
    reference reader does (its ids are checked before its referral).
    """
    pl = r.pl
    parsed = [parsed_date("CareContDate", False)]
    cell_checks = [
        required_cell("UniqCareContID"),
        required_cell("UniqServReqID"),
        required_cell("Person_ID"),
        *date_checks("CareContDate", False),
        *code_checks("AttendStatus", AttendStatus, required=True),
        code_in("ConsMechanismMH", consultation_mechanisms()),
    ]
    kept, pending = [], []
    for part in r.parts(CONTACTS):
        part = r.build(CONTACTS, part, parsed, cell_checks)
        part, checks = on_referral_frames(r, part, "_d_CareContDate", "CareContDate")
        part, more = born_by_frames(r, part, "Person_ID", "_d_CareContDate", "CareContDate")
        checks = [*checks, *more[1:]]
        part = r.failures(part, checks)
        bad = part.filter(pl.col("_fail").is_not_null())
        if bad.height:
            pending.append(r.problems_of(CONTACTS, bad, checks))
        # Coded (FrameReader.code): a kept contact's referral and person are its referral's,
        # its codes categories and its line a 32-bit number, so that the kept parts of a
        # 20-million-row file hold 4 bytes a cell where they can (issue 32's memory).
        coded = "_ref_code" in part.columns
        code = pl.Categorical if coded else pl.String
        kept.append(
            part.select(
                pl.col("_line").cast(pl.UInt32 if coded else pl.Int64),
                pl.col("_fail").is_not_null(),  # a bit: the failed check's problem is pending
                contact_id=pl.col("UniqCareContID"),
                referral_id=pl.col("_ref_code" if coded else "UniqServReqID"),
                person_id=pl.col("_ref_person_code" if coded else "Person_ID"),
                date=pl.col("_d_CareContDate"),
                attend_status=pl.col("AttendStatus").cast(code),
                consultation_mechanism=text("ConsMechanismMH").cast(code),
            )
        )
        del part, bad
    con = pl.concat(kept, rechunk=False)
    del kept
    con = r.unique(CONTACTS, con, "contact_id", "UniqCareContID")
    ids = None
    if r.coded:
        # Each id's place among the ids left (numbers); the failed rows' places are closed
        # up below, so the numbers are still those of cypmh.tables.coded.code_ids.
        first = numbers(con["contact_id"])
        ids = pl.DataFrame({"_id": con["contact_id"], "_first": first})
        ids = ids.join(wanted, on="_id", how="semi")
        con = con.with_columns(first.alias("contact_id"))
        del first
    if pending:
        lines = con.select(line=pl.col("_line").cast(pl.Int64))
        r.problems.append(pl.concat(pending).join(lines, on="line", how="semi"))
        con = con.filter(~pl.col("_fail"))
    con = con.drop("_fail")
    if ids is None:
        return con, None
    final = numbers(con["contact_id"])
    pairs = pl.DataFrame({"_first": con["contact_id"], "_number": final})
    ids = ids.join(pairs, on="_first", how="inner").select("_id", "_number")
    return con.with_columns(final.alias("contact_id")), ids


def _indirect_frames(r: FrameReader, snomed: Any) -> None:
    pl = r.pl
    cell = text("IndirectActTime")
    time = pl.when(cell.str.len_chars() == 5).then(cell + ":00").otherwise(cell)
    ind = r.build(
        INDIRECT,
        r.rows(INDIRECT).with_columns(_code_column(r, "IndActProcedure"), time.alias("_time")),
        [parsed_date("IndirectActDate", False)],
        [
            required_cell("UniqServReqID"),
            required_cell("Person_ID"),
            *date_checks("IndirectActDate", False),
            Check(
                (pl.col("_code") != "") & ~snomed,
                "IndActProcedure",
                pl.col("IndActProcedure"),
                lit(SNOMED[1]),
            ),
            Check(
                pl.col("_time").is_not_null()
                & ~pl.col("_time").str.contains(f"^(?:{TIME_OF_DAY[0]})$"),
                "IndirectActTime",
                pl.col("IndirectActTime"),
                lit(TIME_OF_DAY[1]),
            ),
        ],
    )
    ind, checks = on_referral_frames(r, ind, "_d_IndirectActDate", "IndirectActDate")
    ind, more = born_by_frames(r, ind, "Person_ID", "_d_IndirectActDate", "IndirectActDate")
    ind = r.keep_if(INDIRECT, ind, [*checks, *more[1:]])
    r.finish(INDIRECT, ind.height)
    r.tables["indirect_activities"] = ind.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        date=pl.col("_d_IndirectActDate"),
        procedure=text("_code"),
        time=pl.col("_time"),
    )
