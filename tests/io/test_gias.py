"""DfE's GIAS establishment file read as ``schools/schools.csv`` (cypmh.io.gias).

The file below has the download's own columns (a few of its ~130, in its
order, with ones cypmh does not read), Windows-1252 text and GIAS's
``DD-MM-YYYY`` dates. Worked by hand:

line 2  100001 LA 330, open since 1990, name with a comma (quoted)      kept
line 3  100002 LA 330, "Ecole é" in cp1252, closed 31-08-2024           kept
line 4  100003 LA 331 (another LA)                                      left out
line 5  100004 LA 330, CloseDate 31-13-2024 (no 13th month)             rejected
line 6  100005 LA 330, opens 01-09-2025                                 kept

So with --la 330: 5 rows in the file, 1 left out (in the warning), 4 read,
3 used, 1 rejected at line 5, column CloseDate (as the file names it), value
31-13-2024 (as the file writes it). The example area's link contacts are
for 100001 (working: both roles) and 100002. LINK01 for March 2025 counts the
schools open on 31 March 2025: 100001 only (100002 closed before it, 100005
not yet open), and 100001 has a working link: 1 of 1.
"""

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.io import write_extract
from cypmh.io.frames import read_extract_frames
from cypmh.io.gias import GIAS_COLUMNS, iso_date
from cypmh.io.readers import ExtractError, read_extract
from cypmh.metrics import compute
from cypmh.metrics.frames import compute_frames
from cypmh.synth.examples import example_area
from tests.budget import examples

HEADER = (
    "URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,"
    "TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),"
    "OpenDate,CloseDate,Postcode"
)
ROWS = [
    '100001,330,Birmingham,2001,"Hill Primary, Juniors",Community school,Open,Primary,'
    "01-09-1990,,B1 1AA",
    "100002,330,Birmingham,2002,Ecole \u00e9,Academy converter,Closed,Secondary,"
    "01-09-2011,31-08-2024,B1 1AB",
    "100003,331,Coventry,2003,Far School,Community school,Open,Primary,01-09-1990,,CV1 1AA",
    "100004,330,Birmingham,2004,Bad Date School,Community school,Open,Primary,,31-13-2024,B1 1AC",
    "100005,330,Birmingham,2005,New School,Free schools,Proposed to open,Primary,01-09-2025,,B1 1AD",
]


def gias_folder(tmp_path: Path, encoding: str = "cp1252") -> Path:
    folder = write_extract(example_area(), tmp_path / "extract")
    text = "\r\n".join([HEADER, *ROWS]) + "\r\n"
    (folder / "schools" / "schools.csv").write_bytes(text.encode(encoding))
    return folder


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_read_for_one_la(tmp_path, encoding):
    folder = gias_folder(tmp_path, encoding)
    result = read_extract(folder, la="330")
    counts = result.quality.files["schools/schools.csv"]
    assert (counts.read, counts.used, counts.rejected) == (4, 3, 1)
    [problem] = [p for p in result.quality.problems if p.file == "schools/schools.csv"]
    assert (problem.line, problem.column, problem.value) == (5, "CloseDate", "31-13-2024")
    assert problem.reason == "not a date (GIAS writes DD-MM-YYYY)"
    schools = {s.urn: s for s in result.area.schools}
    assert sorted(schools) == ["100001", "100002", "100005"]
    assert schools["100001"].name == "Hill Primary, Juniors"
    assert schools["100002"].name == "Ecole \u00e9"
    assert str(schools["100002"].close_date) == "2024-08-31"
    assert schools["100001"].local_authority == "330"
    [said] = [w for w in result.quality.warnings if "GIAS" in w]
    assert "4 rows of LA 330 kept, 1 of other local authorities left out" in said


def test_link01_counts_only_schools_open_at_the_period_end(tmp_path):
    folder = gias_folder(tmp_path)
    area = read_extract(folder, la="330").area
    [row] = compute(area, "2025-03", metrics=["LINK01"], disclosure="none")
    assert (row.numerator, row.denominator) == (1, 1)
    frames = read_extract_frames(folder, "polars", la="330")
    [framed] = compute_frames(frames.tables, "2025-03", metrics=["LINK01"], disclosure="none")
    assert (framed.numerator, framed.denominator) == (1, 1)
    assert frames.quality == read_extract(folder, la="330").quality


def test_several_las_need_a_choice(tmp_path):
    folder = gias_folder(tmp_path)
    with pytest.raises(ExtractError) as caught:
        read_extract(folder)
    message = str(caught.value)
    assert "2 local authorities" in message
    assert "330 Birmingham (4 rows)" in message
    assert "331 Coventry (1 row)" in message
    assert "--la" in message


def test_the_folder_setting_chooses(tmp_path):
    folder = gias_folder(tmp_path)
    (folder / "cypmh.toml").write_text('[schools]\nla = "330"\n', encoding="utf-8")
    assert len(read_extract(folder).area.schools) == 3
    (folder / "cypmh.toml").write_text("[schools]\nla = [331]\n", encoding="utf-8")
    assert [s.urn for s in read_extract(folder).area.schools] == ["100003"]


def test_an_la_the_file_lacks_is_an_error(tmp_path):
    folder = gias_folder(tmp_path)
    with pytest.raises(ExtractError, match=r"no school of LA 999 in the GIAS file; it has 330"):
        read_extract(folder, la=["999"])


def test_a_broken_setting_names_the_file(tmp_path):
    folder = gias_folder(tmp_path)
    (folder / "cypmh.toml").write_text("[schools\n", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"cypmh.toml: is not valid TOML"):
        read_extract(folder)
    (folder / "cypmh.toml").write_text("[schools]\nla = {a = 1}\n", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"must be an LA number or a list"):
        read_extract(folder)
    # The trial's cases (issue 32): a boolean is not an LA number, [schools] must be a table,
    # and deep nesting is refused before the TOML parser recurses.
    for text, message in [
        ("[schools]\nla = true\n", r"la: True must be an LA number"),
        ("schools = 5\n", r"\[schools\]: must be a table"),
        ("x = " + "[" * 5000 + "]" * 5000, r"nested more than 32 deep"),
    ]:
        (folder / "cypmh.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ExtractError, match=message):
            read_extract(folder)


def test_the_contract_layout_is_read_as_before(tmp_path):
    """A schools.csv in cypmh's own layout is not GIAS: no LA choice, no warning."""
    folder = write_extract(example_area(), tmp_path / "extract")
    result = read_extract(folder)
    assert not [w for w in result.quality.warnings if "GIAS" in w]
    assert len(result.area.schools) == 2


_DATES = st.one_of(
    st.just(""),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)).map(
        lambda d: d.strftime("%d-%m-%Y")
    ),
    st.sampled_from(["31-13-2024", "1/9/2011", "soon"]),
)
_GIAS_ROWS = st.lists(
    st.tuples(st.sampled_from(["330", "331", "332"]), _DATES, _DATES),
    min_size=1,
    max_size=25,
)


@given(rows=_GIAS_ROWS, chosen=st.sampled_from(["330", "331"]))
@settings(max_examples=examples(60), deadline=None)
def test_every_gias_row_is_kept_left_out_or_reported(tmp_path_factory, rows, chosen):
    """Whatever the LAs and dates: the chosen LA's rows are read, and each is used or
    reported; the other LAs' rows are counted in the warning; both readers agree."""
    folder = write_extract(example_area(), tmp_path_factory.mktemp("gias") / "extract")
    lines = [HEADER] + [
        f"{200000 + i},{la},Some LA,{i},School {i},Community school,Open,Primary,{opened},"
        f"{closed},B1 1AA"
        for i, (la, opened, closed) in enumerate(rows)
    ]
    (folder / "schools" / "schools.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if chosen not in {la for la, _, _ in rows}:
        with pytest.raises(ExtractError, match=f"no school of LA {chosen}"):
            read_extract(folder, la=chosen)
        return
    result = read_extract(folder, la=chosen)
    counts = result.quality.files["schools/schools.csv"]
    mine = [row for row in rows if row[0] == chosen]
    assert counts.read == len(mine)
    assert counts.read == counts.used + counts.rejected
    assert len(result.area.schools) == counts.used
    assert {s.local_authority for s in result.area.schools} <= {chosen}
    [said] = [w for w in result.quality.warnings if "GIAS" in w]
    assert f"{len(rows) - len(mine):,} of other local authorities left out" in said
    for problem in result.quality.problems:
        if problem.file == "schools/schools.csv":
            # reported at its own line of the file (the header is line 1), under the file's
            # column name; a cell that is not a date as written, a date out of order as ISO
            la, opened, closed = rows[problem.line - 2]
            assert la == chosen
            assert problem.column in {"OpenDate", "CloseDate"}
            assert problem.value in {opened, closed, iso_date(opened), iso_date(closed)}
    assert read_extract_frames(folder, "polars", la=chosen).quality == result.quality


def test_the_download_under_its_own_name_stands_in_for_schools_csv(tmp_path):
    """GIAS's file left in schools/ as edubasealldata20261201.csv is read as schools.csv."""
    folder = gias_folder(tmp_path)
    (folder / "schools" / "schools.csv").rename(folder / "schools" / "edubasealldata20261201.csv")
    result = read_extract(folder, la="330")
    assert sorted(s.urn for s in result.area.schools) == ["100001", "100002", "100005"]
    assert any("read from schools/edubasealldata20261201.csv" in w for w in result.quality.warnings)
    [problem] = [p for p in result.quality.problems if p.file == "schools/schools.csv"]
    assert (problem.line, problem.column) == (5, "CloseDate")
    assert read_extract_frames(folder, "polars", la="330").quality == result.quality
    (folder / "schools" / "edubaseallstatefundeddata20261201.csv").write_text("URN\n")
    with pytest.raises(ExtractError, match=r"there are 2 GIAS downloads"):
        read_extract(folder, la="330")


# DfE's published list of GIAS establishment fields: the appendix of GIAS's
# "Establishment bulk update guidance" page
# (get-information-schools.service.gov.uk/Guidance/EstablishmentBulkUpdate),
# whose source is DFE-Digital/get-information-about-schools,
# Web/Edubase.Web.UI/Views/Guidance/EstablishmentBulkUpdate.cshtml (commit
# ec3edf5, 3 July 2026). Read by hand from its table: the database names of the
# fields cypmh could use, and which of them the page calls "a name field" (a
# lookup). LA is a lookup too: the page pairs its row with an "LA code" row.
APPENDIX_FIELDS = {
    "URN": False,
    "EstablishmentName": False,
    "TypeOfEstablishment": True,
    "PhaseOfEducation": True,
    "LA": True,
    "EstablishmentStatus": True,
    "OpenDate": False,
    "CloseDate": False,
}

# Fields of the download that the appendix does not list, as the school census fills them
# rather than an establishment's own updates: DfE's find-information-about-academies-and-
# trusts (commit 0ab17ca, 4 July 2025) maps the download's plain column NumberOfPupils
# (DfE.FindInformationAcademiesTrusts.Data.AcademiesDb/Contexts/
# AcademiesDbContext.GiasEstablishment.cs line 191, no column name of its own) and reads
# it as a whole number or nothing (Repositories/AcademyRepository.cs line 39,
# ParseAsNullableInt), as cypmh's PUPILS is read.
CENSUS_FIELDS = {"NumberOfPupils": False}


def test_the_columns_read_are_dfes_published_field_names():
    """Each GIAS column cypmh reads is a field of DfE's list, under the download's name.

    The download writes a lookup field twice, as "<field> (code)" and
    "<field> (name)" (the download service's custom fields in the same
    repository, Areas/Establishments/Controllers/EstablishmentsSearchController.cs,
    name "RegistrationSuspended (code)" and "RegistrationSuspended (name)"), and
    a plain field under its own name.
    """
    fields = {**APPENDIX_FIELDS, **CENSUS_FIELDS}
    for column in GIAS_COLUMNS:
        field, _, suffix = column.partition(" (")
        assert field in fields, column
        if fields[field]:
            assert suffix in {"code)", "name)"}, column
        else:
            assert suffix == "", column
    # The two lookups read: the phase by its name (as PHASE is written), the LA by
    # its three-digit number.
    assert "PhaseOfEducation (name)" in GIAS_COLUMNS
    assert "LA (code)" in GIAS_COLUMNS


def test_a_school_row_with_two_faults_is_named_by_the_same_one_in_both_readers(tmp_path):
    # Line 2 has a URN that is not six digits and PUPILS that is not a number. Both readers
    # read every cell before the School's own rules, so both name PUPILS (the fault
    # injection's CI run found the frame reader naming the URN).
    from tests.io.test_feeds import both, folder

    root = folder(
        tmp_path,
        {"schools/schools.csv": "URN,NAME,PUPILS\n12345X,A school,many\n"},
    )
    (problem,) = both(root).quality.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "schools/schools.csv",
        2,
        "PUPILS",
        "many",
    )
