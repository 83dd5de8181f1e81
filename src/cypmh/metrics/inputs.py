"""What each metric and breakdown reads, so that a missing input is *not available*, never 0.

An extract says what it covers by the files it holds: a file with a header and
no rows says "none of these", an absent file says nothing. Each metric declares
the files its value rests on (:func:`inputs_of`: its family's ``FAMILY.inputs``,
or its declaration's own, named in :mod:`cypmh.metrics.files`), and so does each
breakdown level (:func:`level_inputs`). After the
engines have computed and disclosure control has run, :func:`mark_unavailable`
turns every value whose inputs the extract does not cover into a row that is
*not available*, with the reason; a metric that is not available at all keeps
its whole-area row only. No value of a metric whose inputs are all there
changes (tests/property/test_inputs.py removes each optional file in turn).

Columns count too. A file's optional column that a metric reads is an input
of its own, written ``FILE:Column`` (:func:`column`): an extract whose
``MHS101Referral.csv`` has no ``ServDischDate`` column, or spells it
``ServDischargeDate``, cannot say which referrals were discharged, so the
metrics that read it are not available, with the column a misspelling may
have been meant for (the readers would otherwise read it as empty). A column
counts as lacking only when its file is there: without the file, the file's
own reason is the one given. The optional columns that no metric reads are
not inputs (``LSOA2011``, the episodes' ``RNE``, ``LS``, ``CIN``, ``PLACE``
and ``REC``, ``SDQ_REASON``, a school's ``PHASE`` and ``LA``, a referral's
``ReferClosReason``, a grouping's ``UniqServReqID``). One column narrows
rather than makes the count: ``LADistrictAuth``. NHS England counts a child
whose district is not recorded as resident in England, so without the column
every child is counted; the metrics that read it carry a note instead
(:data:`RESIDENCE`, :func:`cypmh.metrics.notes.run_notes`). So does
``IndirectActTime``: without it a referral's indirect activity on one day counts
once where contacts are counted, as NHS England's code counts activity with no
time (:data:`~cypmh.metrics.files.INDIRECT_TIME`).

Over an :class:`~cypmh.model.Area` built in Python there is no extract, and
everything counts as covered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

import attrs

from cypmh.metrics.catalogue import CATALOGUE, definitions
from cypmh.metrics.files import (
    EPISODES,
    ETHNIC,
    ETHNICITY,
    GENDER,
    HEALTH,
    LINKS,
    NO_POPULATION,
    NO_POPULATION_GROUPS,
    REASON,
    RESIDENCE,
    SCHOOLS,
    SEX,
    SOCIAL_WORK,
    SOURCE,
    TEAM,
    THRIVE,
    column,
    mpi_column,
)
from cypmh.metrics.joint import CROSS_SEPARATOR, CROSSED
from cypmh.metrics.results import NOT_AVAILABLE, STANDARDISED_AGGREGATES, WHOLE_AREA, ResultRow

__all__ = [
    "COLUMNS",
    "HEALTH",
    "NOT_AVAILABLE",
    "NO_POPULATION",
    "RESIDENCE",
    "Coverage",
    "available",
    "column",
    "full_coverage",
    "inputs_of",
    "lacking",
    "lacking_columns",
    "level_inputs",
    "mark_unavailable",
    "missing_reason",
    "with_unmeasured",
]

_LEVEL_INPUTS: dict[str, tuple[str, ...]] = {
    # The school is the child's (the MPI's OrgIDEduEstab); the link is the school list's,
    # working while open: without END no link can be told to have ended.
    "school_link": (SCHOOLS, LINKS, column(LINKS, "END"), mpi_column("OrgIDEduEstab")),
    "thrive": (THRIVE,),
    "sex": (GENDER, SEX),
    "ethnicity": (ETHNICITY, ETHNIC),
    "wnw_ethnicity": (ETHNICITY, ETHNIC),
    "referral_source": (SOURCE,),
    "team_type": (TEAM,),
    "referral_reason": (REASON,),
}

COLUMNS: frozenset[str] = frozenset(
    need
    for needs in (*(d.inputs for d in CATALOGUE.values()), *_LEVEL_INPUTS.values())
    for need in needs
    if ":" in need
) | {column(SOCIAL_WORK, "END")}
"""Every column that is an input of some metric or breakdown level."""


def inputs_of(metric_id: str) -> tuple[str, ...]:
    """The files and columns (``FILE:Column``) ``metric_id``'s value rests on.

    >>> inputs_of("LAC01d")
    ('ssda903/episodes.csv', 'ssda903/mh_assessments.csv')
    """
    return definitions()[metric_id].inputs


def level_inputs(breakdown: str, level: str) -> tuple[str, ...]:
    """The files and columns a breakdown level rests on (beyond its metric's).

    Looked after is known from the episodes; a child in need, on a protection
    plan or with no status needs the social-work file too (looked after wins
    over both, so a child in need could be one in care).

    >>> level_inputs("social_care", "looked_after")
    ('ssda903/episodes.csv',)
    >>> level_inputs("social_care", "none")  # doctest: +NORMALIZE_WHITESPACE
    ('ssda903/episodes.csv', 'ssda903/social_work.csv', 'ssda903/social_work.csv:END')
    """
    if breakdown in CROSSED:
        levels = level.split(CROSS_SEPARATOR) if level else [""] * len(CROSSED[breakdown])
        found = [
            n for p, v in zip(CROSSED[breakdown], levels, strict=False) for n in level_inputs(p, v)
        ]
        return tuple(dict.fromkeys(found))
    if breakdown == "social_care":
        if level == "looked_after":
            return (EPISODES,)
        # Involvement ends: a plan that has ended is no longer a status.
        return (EPISODES, SOCIAL_WORK, column(SOCIAL_WORK, "END"))
    return _LEVEL_INPUTS.get(breakdown, ())


@attrs.frozen
class Coverage(Collection[str]):
    """What an extract covers: its files, and ``FILE:Column`` for each column its files hold.

    ``suggestions`` maps a lacking column (``FILE:Column``) to where in the file a
    column that looks like a misspelling of it is (``"column 13"``;
    :func:`cypmh.io.lines.misspellings`).
    """

    inputs: frozenset[str]
    suggestions: Mapping[str, str] = attrs.field(factory=dict)

    def __contains__(self, item: object) -> bool:
        return item in self.inputs

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.inputs))

    def __len__(self) -> int:
        return len(self.inputs)

    @classmethod
    def of_headers(
        cls,
        headers: Mapping[str, Iterable[str]],
        suggestions: Mapping[str, str] | None = None,
    ) -> Coverage:
        """The coverage of files with these headers (path to column names).

        >>> sorted(Coverage.of_headers({"thrive.csv": ["Person_ID", "GROUPING"]}))
        ['thrive.csv', 'thrive.csv:GROUPING', 'thrive.csv:Person_ID']
        """
        inputs = set(headers)
        inputs.update(column(path, name) for path, names in headers.items() for name in names)
        return cls(frozenset(inputs), dict(suggestions or {}))


def full_coverage(files: Iterable[str]) -> Coverage:
    """An extract holding ``files``, each with every column the metrics read."""
    held = set(files)
    return Coverage(frozenset(held | {c for c in COLUMNS if c.split(":")[0] in held}))


def lacking(needs: Iterable[str], covered: Collection[str]) -> list[str]:
    """The inputs of ``needs`` that ``covered`` does not hold.

    A column (``FILE:Column``) lacks only where its file is there: without the
    file, the file is what lacks (if it is needed at all).

    >>> covered = full_coverage(["MHS101Referral.csv"])
    >>> lacking(["MHS101Referral.csv", "MHS101Referral.csv:ServDischDate"], covered)
    []
    >>> lacking(["ssda903/oc2.csv", "ssda903/oc2.csv:SDQ_SCORE"], covered)
    ['ssda903/oc2.csv']
    """
    found = []
    for need in needs:
        path, _, name = need.partition(":")
        if need not in covered and (not name or path in covered):
            found.append(need)
    return list(dict.fromkeys(found))


def lacking_columns(
    metric_ids: Iterable[str], breakdowns: Iterable[str], covered: Collection[str] | None
) -> list[str]:
    """The columns (``FILE:Column``) the metrics or the breakdowns' levels read and lack.

    >>> lacking_columns(["DIS01"], ["sex"], Coverage.of_headers({"MHS001MPI.csv": [],
    ...     "MHS101Referral.csv": [], "MHS201CareContact.csv": []}))
    ['MHS101Referral.csv:ServDischDate', 'MHS001MPI.csv:Gender']
    """
    if covered is None:
        return []
    needs = [n for m in metric_ids if m in definitions() for n in inputs_of(m)]
    needs += [n for b in breakdowns for n in level_inputs(b, "")]
    return [n for n in lacking(needs, covered) if ":" in n]


def missing_reason(missing: Iterable[str], covered: Collection[str]) -> str:
    """The reason, in a reader's words: what the extract lacks.

    >>> missing_reason(["ssda903/episodes.csv", "ssda903/oc2.csv"], ["MHS001MPI.csv"])
    'no ssda903/ in the extract'
    >>> missing_reason(["ssda903/mh_assessments.csv"], ["ssda903/episodes.csv"])
    'no ssda903/mh_assessments.csv in the extract'
    """
    missing = list(dict.fromkeys(missing))
    columns = [m for m in missing if ":" in m]
    lacking = [m for m in missing if ":" not in m]
    said = []
    if set(HEALTH) <= set(lacking) and not any(f.startswith("MHS") for f in covered):
        said.append("no health files (MHS001MPI.csv, MHS101Referral.csv, MHS201CareContact.csv)")
        lacking = [f for f in lacking if not f.startswith("MHS")]
    for folder in ("ssda903/", "schools/"):
        inside = [f for f in lacking if f.startswith(folder)]
        if inside and not any(f.startswith(folder) for f in covered):
            said.append(f"no {folder}")
            lacking = [f for f in lacking if not f.startswith(folder)]
    said += [f"no {f}" for f in lacking]
    files = ", ".join(said) + " in the extract" if said else ""
    suggestions = getattr(covered, "suggestions", {})
    cols = []
    for need in columns:
        path, _, name = need.partition(":")
        meant = suggestions.get(need)
        hint = f" ({meant} of the file may be it: rename it {name})" if meant else ""
        cols.append(f"no {name} column in {path}{hint}")
    return "; ".join(part for part in (files, ", ".join(cols)) if part)


def available(metric_id: str, covered: Collection[str] | None) -> bool:
    """Whether the extract holds every input of ``metric_id`` (``None``: an area, always)."""
    return covered is None or not lacking(inputs_of(metric_id), covered)


def mark_unavailable(
    rows: Iterable[ResultRow], covered: Collection[str] | None
) -> tuple[ResultRow, ...]:
    """``rows`` with every value whose inputs ``covered`` lacks made *not available*.

    ``covered`` is the set of files the extract holds (``None``: everything, as
    for an area built in Python). A metric that is not available keeps only its
    whole-area row (REJ02r, which has none, keeps its levels); a breakdown
    level that is not available keeps its row, with its reason. A row that is
    not available has no value, no counts and no interval, is published as
    :data:`NOT_AVAILABLE`, and says why in ``unavailable``.
    """
    if covered is None:
        return tuple(rows)
    given = tuple(rows)
    whole = {row.metric_id for row in given if row.breakdown == WHOLE_AREA}
    marked = []
    for row in given:
        missing = lacking(inputs_of(row.metric_id), covered)
        if missing and row.breakdown != WHOLE_AREA and row.metric_id in whole:
            continue
        if not missing and row.breakdown != WHOLE_AREA:
            missing = lacking(level_inputs(row.breakdown, row.level), covered)
        marked.append(_unavailable(row, missing_reason(missing, covered)) if missing else row)
    return tuple(marked)


def _unavailable(row: ResultRow, reason: str) -> ResultRow:
    return attrs.evolve(
        row,
        value=None,
        numerator=None,
        denominator=None,
        base=None,
        lower_ci=None,
        upper_ci=None,
        reference_numerator=None,
        reference_denominator=None,
        shown=NOT_AVAILABLE,
        shown_numerator="",
        shown_denominator="",
        shown_lower_ci="",
        shown_upper_ci="",
        changed=True,
        unavailable=reason,
    )


def with_unmeasured(
    rows: Iterable[ResultRow],
    metric_ids: Iterable[str],
    covered: Collection[str] | None = None,
) -> tuple[ResultRow, ...]:
    """``rows`` and a *not available* whole-area row for each of ``metric_ids``.

    ``metric_ids`` are the metrics that read the population (or the population by
    group), asked for without one; each row goes in its catalogue place. Its reason is
    the population's, after any input ``covered`` lacks.

    >>> [(r.metric_id, r.shown) for r in with_unmeasured([], ["NEED01"])]
    [('NEED01', 'n/a')]
    """
    order = {m: i for i, m in enumerate(definitions())}
    added = [
        _unavailable(
            ResultRow(
                metric_id=m,
                breakdown=WHOLE_AREA,
                level=WHOLE_AREA,
                unit=definitions()[m].unit,
                value=None,
            ),
            _and_population(
                lacking(inputs_of(m), covered) if covered is not None else [],
                covered,
                NO_POPULATION_GROUPS
                if definitions()[m].aggregate in STANDARDISED_AGGREGATES
                else NO_POPULATION,
            ),
        )
        for m in dict.fromkeys(metric_ids)
    ]
    every = [*rows, *added]
    return tuple(sorted(every, key=lambda row: order.get(row.metric_id, len(order))))


def _and_population(
    missing: list[str], covered: Collection[str] | None, reason: str = NO_POPULATION
) -> str:
    return f"{missing_reason(missing, covered or ())}; {reason}" if missing else reason
