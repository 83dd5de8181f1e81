"""Schools: ``schools/schools.csv`` and the Schools Link contacts, ``schools/link_contacts.csv``.

Schools (a six-digit URN and a name; an opening and a closing date, the
closing not before the opening; a number of pupils, a whole number from 0 to
:data:`~cypmh.model.services.MAX_PUPILS`), one row per URN; link contacts (the
model's rules: URN, an ODS provider code, a start, an end not before it) of a
kept school. ``schools.csv`` may be DfE's GIAS establishment file as
downloaded (:mod:`cypmh.io.gias`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.io import reasons
from cypmh.io.frame_checks import (
    ODS,
    URN,
    Check,
    date_checks,
    lit,
    not_before,
    parsed_date,
    pattern,
    required_cell,
    text,
)
from cypmh.model import LinkContact, School
from cypmh.model.services import MAX_PUPILS

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

SCHOOLS = "schools/schools.csv"
LINKS = "schools/link_contacts.csv"

LINK_COLUMNS = {
    "school_urn": "URN",
    "provider_code": "OrgIDProv",
    "school_lead_role": "SCHOOL_LEAD_ROLE",
    "camhs_contact_role": "CAMHS_CONTACT_ROLE",
    "start": "START",
    "end": "END",
}


def records(r: RecordReader) -> None:
    """Read the schools and their link contacts into ``r.records``."""
    schools = r.build(
        SCHOOLS,
        r.rows(SCHOOLS),
        lambda c: School(
            urn=c.required("URN"),
            name=c.required("NAME"),
            phase=c.text("PHASE"),
            local_authority=c.text("LA"),
            open_date=c.optional_date("OPEN_DATE"),
            close_date=c.optional_date("CLOSE_DATE"),
            pupils=c.whole("PUPILS", point_zero=True),
        ),
        {
            "urn": "URN",
            "name": "NAME",
            "phase": "PHASE",
            "local_authority": "LA",
            "open_date": "OPEN_DATE",
            "close_date": "CLOSE_DATE",
            "pupils": "PUPILS",
        },
    )
    schools = r.unique(SCHOOLS, schools, lambda s: s.urn, "URN")
    urns = {s.urn for _, s in schools}
    r.finish(SCHOOLS, len(schools))
    links = r.build(
        LINKS,
        r.rows(LINKS),
        lambda c: LinkContact(
            school_urn=c.required("URN"),
            provider_code=c.required("OrgIDProv"),
            school_lead_role=c.text("SCHOOL_LEAD_ROLE"),
            camhs_contact_role=c.text("CAMHS_CONTACT_ROLE"),
            start=c.day("START"),
            end=c.optional_date("END"),
        ),
        LINK_COLUMNS,
    )
    links = r.keep_if(
        LINKS,
        links,
        lambda k: None if k.school_urn in urns else ("URN", k.school_urn, reasons.NO_SUCH_SCHOOL),
    )
    r.finish(LINKS, len(links))
    r.records["schools"] = tuple(s for _, s in schools)
    r.records["link_contacts"] = tuple(x for _, x in links)


def frames(r: FrameReader) -> None:
    """Read the schools and their link contacts into ``r.tables``."""
    pl = r.pl
    pupils = pl.col("PUPILS")
    whole = pupils.str.contains(r"^-?[0-9]+(?:\.0+)?$")
    sch = r.build(
        SCHOOLS,
        r.rows(SCHOOLS),
        [
            parsed_date("OPEN_DATE", False),
            parsed_date("CLOSE_DATE", False),
            pl.when(whole)
            .then(pupils.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False))
            .alias("_pupils"),
        ],
        [
            required_cell("URN"),
            required_cell("NAME"),
            *date_checks("OPEN_DATE", False, required=False),
            *date_checks("CLOSE_DATE", False, required=False),
            # As the reference reader: every cell is read (PUPILS too) before the School's
            # own rules (the URN's form, the dates' order, the pupils' range) are checked.
            Check((pupils != "") & ~whole, "PUPILS", pupils, lit("not a whole number")),
            pattern("URN", URN, optional=False),
            not_before("CLOSE_DATE", "OPEN_DATE", "OPEN_DATE"),
            Check(
                whole & ~pl.col("_pupils").is_between(0, MAX_PUPILS).fill_null(False),
                "PUPILS",
                pupils,
                lit(f"must be a whole number from 0 to {MAX_PUPILS}"),
            ),
        ],
    )
    sch = r.unique(SCHOOLS, sch, "URN", "URN")
    r.finish(SCHOOLS, sch.height)
    lnk = r.build(
        LINKS,
        r.rows(LINKS),
        [parsed_date("START", False), parsed_date("END", False)],
        [
            required_cell("URN"),
            required_cell("OrgIDProv"),
            *date_checks("START", False),
            *date_checks("END", False, required=False),
            pattern("URN", URN, optional=False),
            pattern("OrgIDProv", ODS, optional=False),
            not_before("END", "START", "START"),
        ],
    )
    lnk = lnk.join(
        sch.select(_urn=pl.col("URN")), left_on="URN", right_on="_urn", how="left", coalesce=False
    )
    lnk = r.keep_if(
        LINKS,
        lnk,
        [Check(pl.col("_urn").is_null(), "URN", pl.col("URN"), lit(reasons.NO_SUCH_SCHOOL))],
    )
    r.finish(LINKS, lnk.height)
    r.tables["schools"] = sch.select(
        urn=pl.col("URN"),
        open_date=pl.col("_d_OPEN_DATE"),
        close_date=pl.col("_d_CLOSE_DATE"),
        pupils=pl.col("_pupils"),
    )
    r.tables["link_contacts"] = lnk.select(
        school_urn=pl.col("URN"),
        provider_code=pl.col("OrgIDProv"),
        school_lead_role=text("SCHOOL_LEAD_ROLE"),
        camhs_contact_role=text("CAMHS_CONTACT_ROLE"),
        start=pl.col("_d_START"),
        end=pl.col("_d_END"),
    )
