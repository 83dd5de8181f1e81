"""What each metric and breakdown reads, so that a missing input is *not available*, never 0.

An extract says what it covers by the files it holds: a file with a header and
no rows says "none of these", an absent file says nothing. Each metric declares
the files its value rests on (:func:`inputs_of`: its family's, and a few of its
own), and so does each breakdown level (:func:`level_inputs`). After the
engines have computed and disclosure control has run, :func:`mark_unavailable`
turns every value whose inputs the extract does not cover into a row that is
*not available*, with the reason; a metric that is not available at all keeps
its whole-area row only. No value of a metric whose inputs are all there
changes (tests/property/test_inputs.py removes each optional file in turn).

Over an :class:`~cypmh.model.Area` built in Python there is no extract, and
everything counts as covered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import attrs

from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.results import WHOLE_AREA, ResultRow

__all__ = [
    "HEALTH",
    "NOT_AVAILABLE",
    "available",
    "inputs_of",
    "level_inputs",
    "mark_unavailable",
    "missing_reason",
]

MPI, REFERRALS, CONTACTS = "MHS001MPI.csv", "MHS101Referral.csv", "MHS201CareContact.csv"
HEALTH = (MPI, REFERRALS, CONTACTS)
"""The health extract's core: a folder has all three, or (a social-care extract) none."""
ACTIVITY, INDIRECT = "MHS202CareActivity.csv", "MHS204IndirectActivity.csv"
ASSESSMENTS = "MHS606CodedScoreAssessmentRefer.csv"
CARE_PLANS, AGREEMENTS = "MHS008CarePlanType.csv", "MHS009CarePlanAgreement.csv"
THRIVE = "thrive.csv"
EPISODES, OC2 = "ssda903/episodes.csv", "ssda903/oc2.csv"
SOCIAL_WORK, MH_ASSESSMENTS = "ssda903/social_work.csv", "ssda903/mh_assessments.csv"
SCHOOLS, LINKS = "schools/schools.csv", "schools/link_contacts.csv"

NOT_AVAILABLE = "n/a"
"""The published value of a row whose inputs the extract does not cover (never 0 or ``*``)."""

_FAMILY_INPUTS: dict[str, tuple[str, ...]] = {
    # A contact or an indirect activity counts as reaching a child.
    "access": (*HEALTH, INDIRECT),
    "first_contact_waits": (*HEALTH, INDIRECT),
    "attendance": HEALTH,
    "discharges": HEALTH,
    "referrals": HEALTH,
    "rejections": HEALTH,
    "thrive": HEALTH,
    # The clock stops on a contact, an outcome measure and a care plan or coded intervention.
    "four_week_waits": (*HEALTH, ACTIVITY, INDIRECT, ASSESSMENTS, CARE_PLANS, AGREEMENTS),
    # A treatment starts at a contact or indirect activity; some need an intervention code.
    "eating_disorders": (*HEALTH, ACTIVITY, INDIRECT),
    "outcomes": (*HEALTH, INDIRECT, ASSESSMENTS),
    "sdq": (EPISODES, OC2),
    "looked_after": (EPISODES,),
    "school_links": (SCHOOLS, LINKS),
    "need": (),
}

_METRIC_INPUTS: dict[str, tuple[str, ...]] = {
    # Children in care reached: reach, and who was looked after.
    "ACC02": (*_FAMILY_INPUTS["access"], EPISODES),
    "ACC02r": (*_FAMILY_INPUTS["access"], EPISODES),
    # Assessed, early and overdue need the assessments; LAC01 (who was due) does not.
    "LAC01a": (EPISODES, MH_ASSESSMENTS),
    "LAC01b": (EPISODES, MH_ASSESSMENTS),
    "LAC01c": (EPISODES, MH_ASSESSMENTS),
    "LAC01d": (EPISODES, MH_ASSESSMENTS),
    # Rejections by social-care status compare children with a social worker and without.
    "REJ02r": (*HEALTH, EPISODES, SOCIAL_WORK),
    # Referrals from schools are referrals: the health files, not the school list.
    "LINK02": HEALTH,
}
"""The metrics whose inputs are not their family's, in full."""

_LEVEL_INPUTS: dict[str, tuple[str, ...]] = {
    "school_link": (SCHOOLS, LINKS),
    "thrive": (THRIVE,),
}


def inputs_of(metric_id: str) -> tuple[str, ...]:
    """The files ``metric_id``'s value rests on.

    >>> inputs_of("LAC01d")
    ('ssda903/episodes.csv', 'ssda903/mh_assessments.csv')
    """
    own = _METRIC_INPUTS.get(metric_id)
    return own if own is not None else _FAMILY_INPUTS[CATALOGUE[metric_id].family]


def level_inputs(breakdown: str, level: str) -> tuple[str, ...]:
    """The files a breakdown level rests on (beyond its metric's).

    Looked after is known from the episodes; a child in need, on a protection
    plan or with no status needs the social-work file too (looked after wins
    over both, so a child in need could be one in care).

    >>> level_inputs("social_care", "looked_after"), level_inputs("social_care", "none")
    (('ssda903/episodes.csv',), ('ssda903/episodes.csv', 'ssda903/social_work.csv'))
    """
    if breakdown == "social_care":
        return (EPISODES,) if level == "looked_after" else (EPISODES, SOCIAL_WORK)
    return _LEVEL_INPUTS.get(breakdown, ())


def missing_reason(missing: Iterable[str], covered: Collection[str]) -> str:
    """The reason, in a reader's words: what the extract lacks.

    >>> missing_reason(["ssda903/episodes.csv", "ssda903/oc2.csv"], ["MHS001MPI.csv"])
    'no ssda903/ in the extract'
    >>> missing_reason(["ssda903/mh_assessments.csv"], ["ssda903/episodes.csv"])
    'no ssda903/mh_assessments.csv in the extract'
    """
    lacking = list(dict.fromkeys(missing))
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
    return ", ".join(said) + " in the extract"


def available(metric_id: str, covered: Collection[str] | None) -> bool:
    """Whether the extract holds every input of ``metric_id`` (``None``: an area, always)."""
    return covered is None or all(f in covered for f in inputs_of(metric_id))


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
    have = set(covered)
    given = tuple(rows)
    whole = {row.metric_id for row in given if row.breakdown == WHOLE_AREA}
    marked = []
    for row in given:
        lacking = [f for f in inputs_of(row.metric_id) if f not in have]
        if lacking and row.breakdown != WHOLE_AREA and row.metric_id in whole:
            continue
        if not lacking and row.breakdown != WHOLE_AREA:
            lacking = [f for f in level_inputs(row.breakdown, row.level) if f not in have]
        marked.append(_unavailable(row, missing_reason(lacking, have)) if lacking else row)
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
