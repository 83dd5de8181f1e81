"""What qualifies a run's values: notes that every output shows beside the metrics they touch.

A note is not a footnote: the reports put it beside the value (the ``NOTE``
column of the CSV and JSON, a line under the value in the text report, the
headline table and the metric's section on a page), and the command line
warns of it on standard error; ``cypmh report --strict`` refuses to publish
a run that has one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

from cypmh.metrics.catalogue import definitions
from cypmh.metrics.files import INDIRECT_TIME
from cypmh.metrics.inputs import RESIDENCE, inputs_of, lacking
from cypmh.metrics.options import MetricOptions

__all__ = ["NOTES", "RESIDENT", "UNDERCOUNT", "rejection_notes", "run_notes", "with_notes"]

UNDERCOUNT = (
    "Undercounts: the four-week clock stopped only on cypmh's two default intervention "
    "codes, not on the MHSDS reference sets NHS England uses. Give --intervention-codes "
    "(the SNOMED CT UK release's simple refset file) for comparable figures."
)
"""The note on every four-week metric computed without an area's intervention codes."""


RESIDENT = (
    "May count children living outside England: MHS001MPI.csv has no LADistrictAuth column, "
    "and a child whose district is not recorded counts as resident, as in NHS England's "
    "figures."
)
"""The note on the metrics that keep residents of England when the MPI has no district."""

ONE_A_DAY = (
    "Counts a referral's indirect activity once a day: MHS204IndirectActivity.csv has no "
    "IndirectActTime column, and NHS England's code counts the activities of one referral, "
    "day and time once, all those without a time as one."
)
"""The note on the metrics that count contacts when the indirect activity has no times."""

NOTES = (UNDERCOUNT, RESIDENT, ONE_A_DAY)
"""Every note, in the order a metric with several has them."""


def run_notes(
    options: MetricOptions,
    metric_ids: Iterable[str],
    covered: Collection[str] | None = None,
) -> dict[str, str]:
    """The notes on ``metric_ids`` computed with ``options``, by metric id (none: empty).

    ``covered`` is what the extract holds (:class:`cypmh.metrics.inputs.Coverage`;
    ``None``, an area built in Python, holds everything). An id that is not in
    the catalogue has no note (the caller reports it). A metric with two notes
    has them both, one after the other.

    >>> sorted(run_notes(MetricOptions(), ["MRS08", "MHS95", "MRS09"]))
    ['MRS08', 'MRS09']
    >>> run_notes(MetricOptions(), ["LINK02"], ["MHS001MPI.csv"])["LINK02"] == RESIDENT
    True
    """
    ids = [m for m in metric_ids if m in definitions()]
    notes: dict[str, list[str]] = {}
    codes = options.interventions
    if codes is None or codes.is_default:
        for m in ids:
            if definitions()[m].reads_interventions:
                notes.setdefault(m, []).append(UNDERCOUNT)
    if covered is not None and lacking([RESIDENCE], covered):
        for m in ids:
            if definitions()[m].resident:
                notes.setdefault(m, []).append(RESIDENT)
    if covered is not None and lacking([INDIRECT_TIME], covered):
        for m in ids:
            if definitions()[m].counts_contacts:
                notes.setdefault(m, []).append(ONE_A_DAY)
    return {m: " ".join(said) for m, said in notes.items()}


def rejection_notes(
    rejected_rows: Mapping[str, int],
    rejected_people: Mapping[str, frozenset[str]],
    populations: Mapping[str, frozenset[str]],
    *,
    count: Callable[[int], str] = "{:,}".format,
) -> dict[str, str]:
    """What rejected rows may take out of each metric's population, by metric id.

    ``count`` writes each count (a report gives
    :func:`cypmh.metrics.disclosure.disclose_count` under its policy: these are
    counts of children, often small).

    ``rejected_rows`` counts each file's rejected rows, ``rejected_people`` are
    the people they belong to (:func:`cypmh.io.rejected.rejected_people`), and
    ``populations`` the people among each metric's members
    (:func:`cypmh.metrics.people.population_people`). A child is missing
    from a population because of rejected rows only if some file the metric
    reads has a rejected row of theirs, so the children of those rows who are
    not members bound how many are missing. Only counts are said.

    >>> notes = rejection_notes(
    ...     {"ssda903/episodes.csv": 3},
    ...     {"ssda903/episodes.csv": frozenset({"A", "B"})},
    ...     {"SDQ02": frozenset({"B", "C"}), "MHS95": frozenset({"A"})},
    ... )
    >>> print(notes["SDQ02"])  # doctest: +NORMALIZE_WHITESPACE
    Rejected rows: 3 of ssda903/episodes.csv, of 2 children. 1 of those children is not among
    SDQ02's members: at most 1 is missing from it.
    >>> "MHS95" in notes
    False
    """
    notes = {}
    for metric_id, members in populations.items():
        files = [f for f in inputs_of(metric_id) if ":" not in f and rejected_rows.get(f)]
        if not files:
            continue
        said = []
        people: set[str] = set()
        for path in files:
            who = rejected_people.get(path, frozenset())
            people |= who
            children = "child" if len(who) == 1 else "children"
            of = f", of {count(len(who))} {children}" if who else ""
            said.append(f"{count(rejected_rows[path])} of {path}{of}")
        outside = len(people - members)
        text = "Rejected rows: " + "; ".join(said) + "."
        if people:
            verb = "is" if outside == 1 else "are"
            text += (
                f" {count(outside)} of those children {verb} not among {metric_id}'s members: "
                f"at most {count(outside)} {verb} missing from it."
            )
        notes[metric_id] = text
    return notes


def with_notes(*notes: Mapping[str, str]) -> dict[str, str]:
    """The notes of each metric, one mapping after another, joined.

    >>> with_notes({"A": "One."}, {"A": "Two.", "B": "Three."})
    {'A': 'One. Two.', 'B': 'Three.'}
    """
    joined: dict[str, list[str]] = {}
    for mapping in notes:
        for metric_id, note in mapping.items():
            joined.setdefault(metric_id, []).append(note)
    return {metric_id: " ".join(said) for metric_id, said in joined.items()}
