"""Columns that say what they cover (issue 31, section 3).

Removing any optional column of the contract from an extract turns exactly the metrics and
breakdown levels that read it into *not available*, with a reason that names the column, and
never changes another value. The removals are written here as what the column holds, apart
from the code's declarations (``cypmh.metrics.inputs``): each empties one attribute of the
records read from that file (``ServDischDate``: every referral's discharge date). A record
that cannot exist without the column (an SDQ return with neither score nor reason) is left
out, as the reader rejects it.

Two columns narrow rather than make the count. Without ``LADistrictAuth`` every child counts
as resident in England, as NHS England counts a child whose district is not recorded; without
``IndirectActTime`` a referral's indirect activities of one day count once where contacts are
counted. The values each changes must all be of metrics that carry its note.

The columns no metric reads (``LSOA2011``, ``RNE``, ``REC``, ``PHASE``...) are removed too:
they must change nothing.

The areas are the generic ones of the engine tests, dense ones where outcomes, SDQ and LAC01
have members, and synthetic areas (which have eating-disorder referrals, care plans, RCADS
scores by sex and school referrals).
"""

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.io.contract import FILES
from cypmh.metrics import BREAKDOWNS, CATALOGUE, compute
from cypmh.metrics.files import INDIRECT_TIME
from cypmh.metrics.inputs import (
    COLUMNS,
    NOT_AVAILABLE,
    RESIDENCE,
    column,
    full_coverage,
    lacking_columns,
    mark_unavailable,
)
from cypmh.metrics.notes import run_notes
from cypmh.metrics.options import MetricOptions
from cypmh.synth.area import DEMO_PERIOD, synthetic_area
from tests.budget import examples
from tests.generative.test_engines_agree import cases, dense_cases

ALL_FILES = [f.path for f in FILES]
MPI, REF, CON = "MHS001MPI.csv", "MHS101Referral.csv", "MHS201CareContact.csv"

# The column, the Area field its file fills, and what the records hold without it.
REMOVALS = {
    column(MPI, "Gender"): ("children", {"gender": None}),
    column(MPI, "EthnicCategory"): ("children", {"ethnic_category": None}),
    column(MPI, "LADistrictAuth"): ("children", {"la_district": None}),
    column(MPI, "LSOA2011"): ("children", {"lsoa": None}),
    column(MPI, "LSOA2021"): ("children", {"lsoa2021": None}),
    column(MPI, "OrgIDEduEstab"): ("children", {"school_urn": None}),
    column(REF, "SourceOfReferralMH"): ("referrals", {"source": None}),
    column(REF, "ClinRespPriorityType"): ("referrals", {"priority": None}),
    column(REF, "PrimReasonReferralMH"): ("referrals", {"primary_reason": None}),
    column(REF, "ServTeamType"): ("referrals", {"team_type": None}),
    # Without the date, a reason has nothing to belong to (the reader rejects such a row;
    # here it keeps the referral without either).
    column(REF, "ReferRejectionDate"): (
        "referrals",
        {"rejection_date": None, "rejection_reason": None},
    ),
    column(REF, "ReferRejectReason"): ("referrals", {"rejection_reason": None}),
    column(REF, "ReferClosureDate"): ("referrals", {"closure_date": None, "closure_reason": None}),
    column(REF, "ReferClosReason"): ("referrals", {"closure_reason": None}),
    column(REF, "ServDischDate"): ("referrals", {"discharge_date": None}),
    column(CON, "ConsMechanismMH"): ("contacts", {"consultation_mechanism": None}),
    column("MHS204IndirectActivity.csv", "IndActProcedure"): (
        "indirect_activities",
        {"procedure": None},
    ),
    INDIRECT_TIME: ("indirect_activities", {"time": None}),
    column("MHS008CarePlanType.csv", "CarePlanLastUpdateDate"): (
        "care_plans",
        {"last_updated": None},
    ),
    column("MHS009CarePlanAgreement.csv", "CarePlanAgreedDate"): ("care_plans", "agreements"),
    column("thrive.csv", "UniqServReqID"): ("groupings", {"referral_id": None}),
    **{
        column("ssda903/episodes.csv", name): ("care_episodes", {field: None})
        for name, field in (
            ("RNE", "reason_new_episode"),
            ("LS", "legal_status"),
            ("CIN", "category_of_need"),
            ("PLACE", "placement"),
        )
    },
    column("ssda903/episodes.csv", "REC"): ("care_episodes", {"reason_ceased": None}),
    column("ssda903/oc2.csv", "SDQ_SCORE"): ("sdq_returns", {"score": None}),
    column("ssda903/oc2.csv", "SDQ_REASON"): ("sdq_returns", {"reason": None}),
    column("ssda903/social_work.csv", "END"): ("social_work", {"end": None}),
    column("schools/schools.csv", "PHASE"): ("schools", {"phase": None}),
    column("schools/schools.csv", "LA"): ("schools", {"local_authority": None}),
    column("schools/schools.csv", "OPEN_DATE"): ("schools", {"open_date": None}),
    column("schools/schools.csv", "CLOSE_DATE"): ("schools", {"close_date": None}),
    column("schools/schools.csv", "PUPILS"): ("schools", {"pupils": None}),
    column("schools/link_contacts.csv", "END"): ("link_contacts", {"end": None}),
}
"""Every optional column of the contract but :data:`NOT_REMOVED`."""

NOT_REMOVED = {
    # They fill the same attributes as the MPI's Gender and EthnicCategory for children the
    # MPI lacks (the areas here have one Child record a person).
    column("ssda903/header.csv", "SEX"),
    column("ssda903/header.csv", "ETHNIC"),
    # Without it, oc2.csv is the DfE's OC2 return: one undated return a child, which the SDQ
    # metrics read by the DfE's own rule. A file of dated rows without it has two rows for a
    # child, and the reader reports the second as a duplicate (tests/io/test_dated_sdqs.py).
    column("ssda903/oc2.csv", "SDQ_DATE"),
}


def test_every_optional_column_is_removed_here_or_said_why_not():
    optional = {column(f.path, c) for f in FILES for c in f.optional_columns}
    assert set(REMOVALS) | NOT_REMOVED == optional
    assert not set(REMOVALS) & NOT_REMOVED


def ablated(area, removed):
    field, change = REMOVALS[removed]
    kept = []
    for record in getattr(area, field):
        if change == "agreements":
            kept.append(attrs.evolve(record, agreements=tuple(None for _ in record.agreements)))
            continue
        try:
            kept.append(attrs.evolve(record, **change))
        except Exception:
            continue
    return attrs.evolve(area, **{field: tuple(kept)})


def cells(rows):
    return {(r.metric_id, r.breakdown, r.level): r for r in rows}


def check_every_column(area, month):
    request = {"breakdowns": list(BREAKDOWNS), "disclosure": "none"}
    everything = full_coverage(ALL_FILES)
    computed = compute(area, month, **request)
    full = cells(mark_unavailable(computed, everything))
    assert not any(r.unavailable for r in full.values())
    ids = sorted(CATALOGUE)
    for removed in REMOVALS:
        covered = attrs.evolve(everything, inputs=everything.inputs - {removed})
        less = cells(mark_unavailable(compute(ablated(area, removed), month, **request), covered))
        narrows = removed in (RESIDENCE, INDIRECT_TIME)
        noted = set(run_notes(MetricOptions(), ids, covered)) if narrows else set()
        name = removed.split(":")[1]
        if removed not in COLUMNS:
            assert not lacking_columns(ids, list(BREAKDOWNS), covered), removed
        for key, row in less.items():
            if row.unavailable:
                assert row.shown == NOT_AVAILABLE
                assert row.value is None
                assert f"no {name} column in {removed.split(':')[0]}" in row.unavailable
                continue
            was = full.get(key)
            same = (
                was is not None
                and (row.value, row.numerator, row.denominator)
                == (was.value, was.numerator, was.denominator)
            ) or (was is None and row.value in (0, None) and row.numerator in (0, None))
            assert same or key[0] in noted, (removed, key)
        for key, was in full.items():
            if key in less:
                continue
            # A level that only the column made (a sex code) goes with it; the others are
            # then marked, or the metric's whole-area row is.
            whole = less.get((key[0], "Total", "Total"))
            marked = any(r.unavailable for k, r in less.items() if k[:2] == key[:2])
            assert (
                (was.value in (0, None) and was.numerator in (0, None))
                or marked
                or (whole is not None and whole.unavailable)
                or key[0] in noted
                or not any(k[0] == key[0] for k in less)  # REJ02r: levels only, none left
            ), (removed, key)


@settings(max_examples=examples(15), deadline=None)
@given(case=cases() | dense_cases())
def test_removing_a_column_makes_what_reads_it_not_available_and_nothing_else(case):
    area, month, _ = case
    check_every_column(area, month)


@settings(max_examples=examples(4), deadline=None)
@given(seed=st.integers(0, 10_000), people=st.integers(60, 250))
def test_removing_a_column_of_a_synthetic_extract(seed, people):
    check_every_column(synthetic_area(seed=seed, people=people), DEMO_PERIOD)
