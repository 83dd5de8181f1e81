"""The referral breakdowns: source of referral and team type, with their names.

A metric whose members are referrals can be split by its referral's
``SourceOfReferralMH`` (``referral_source``) and ``ServTeamType``
(``team_type``), the publication's "England; Service or Team Type Referred
To" (``menh_bbrb/notebooks/breakdown_metadata.py``, ``serv_team_type_ref_to_bd``).
A referral with no code recorded is ``Unknown``.

Worked by hand on the example area (``cypmh.synth.examples``), March 2025. REF01
counts the CYP referrals received in the 12 months to 31 March 2025: all five,
R001 to R005 (received June 2024 to March 2025, every child 0-17 on the day).
Their codes, from the example's declarations:

    R001 C2 / C10   R002 C1 / C06   R003 A1 / A18   R004 C1 / F01   R005 H2 / C10

so by source A1 1, C1 2, C2 1, H2 1, and by team type A18 1, C06 1, C10 2, F01 1.
REJ02 (rejected of those received in the year): only R003 is rejected (29
November 2024), so A1 is 1 of 1 (100%) and every other source 0 of its count.

The names come from the package's code tables (``referral_sources.csv``,
``service_team_types.csv``): a team type's description; a source's
description only where the table marks the label verified (A1 "GP"), else
its group with the code, as the table's own group for C1, C2 ("Local
Authority Services") and H2 ("Acute Secondary Care").
"""

import attrs
import pytest

from cypmh.metrics import compute, members
from cypmh.metrics.drilldown import members_frames
from cypmh.metrics.frames import compute_frames, tables_from_area
from cypmh.metrics.table import level_label, to_records
from cypmh.synth.examples import example_area

BY_SOURCE = {
    ("A1", "GP"): 1,
    ("C1", "Local Authority Services (C1)"): 2,
    ("C2", "Local Authority Services (C2)"): 1,
    ("H2", "Acute Secondary Care (H2)"): 1,
}
BY_TEAM = {
    ("A18", "Single Point of Access Service"): 1,
    ("C06", "Looked After Children Service"): 1,
    ("C10", "Community Eating Disorder Service"): 2,
    ("F01", "Education-based Mental Health Support Team"): 1,
}


def _counts(rows, metric_id, breakdown):
    return {
        (r["level"], r["level_label"]): r["numerator"]
        for r in to_records(rows)
        if r["metric_id"] == metric_id and r["breakdown"] == breakdown
    }


@pytest.mark.parametrize("engine", ["reference", "frames"])
def test_ref01_by_source_and_team_type(engine):
    area = example_area()
    options = {
        "metrics": ["REF01", "REJ02"],
        "breakdowns": ["referral_source", "team_type"],
        "disclosure": "none",
    }
    if engine == "reference":
        rows = compute(area, "2025-03", **options)
    else:
        rows = compute_frames(tables_from_area(area), "2025-03", **options)
    assert _counts(rows, "REF01", "referral_source") == BY_SOURCE
    assert _counts(rows, "REF01", "team_type") == BY_TEAM
    rejected = {
        r["level"]: (r["numerator"], r["denominator"])
        for r in to_records(rows)
        if r["metric_id"] == "REJ02" and r["breakdown"] == "referral_source"
    }
    assert rejected == {"A1": (1, 1), "C1": (0, 2), "C2": (0, 1), "H2": (0, 1)}


def test_a_referral_without_codes_is_unknown():
    """R005 with neither code recorded: REF01 counts it under Unknown in both breakdowns."""
    area = example_area()
    r005 = area.referral("R005")
    area = attrs.evolve(
        area,
        referrals=(
            *(r for r in area.referrals if r.referral_id != "R005"),
            attrs.evolve(r005, source=None, team_type=None),
        ),
    )
    for rows in (
        compute(area, "2025-03", metrics=["REF01"], breakdowns=["referral_source", "team_type"]),
        compute_frames(
            tables_from_area(area),
            "2025-03",
            metrics=["REF01"],
            breakdowns=["referral_source", "team_type"],
        ),
    ):
        levels = {(r.breakdown, r.level) for r in rows}
        assert ("referral_source", "Unknown") in levels
        assert ("team_type", "Unknown") in levels
        assert ("referral_source", "H2") not in levels


def test_members_by_a_source_label():
    """The members behind REF01's C1 cell: R002 and R004, asked for by code or by name."""
    area = example_area()
    for level in ("C1", "Local Authority Services (C1)"):
        found = members(area, "REF01", "2025-03", breakdown="referral_source", level=level)
        assert sorted(m.record for m in found) == ["R002", "R004"]
        framed = members_frames(
            tables_from_area(area), "REF01", "2025-03", breakdown="referral_source", level=level
        )
        assert sorted(m.record for m in framed) == ["R002", "R004"]
    assert dict(found[0].levels)["team_type"] in {"C06", "F01"}


def test_metrics_of_other_records_have_no_referral_breakdowns():
    """Spells, periods of care and people have no one referral to take a code from."""
    from cypmh.metrics import CATALOGUE

    others = [d for d in CATALOGUE.values() if d.record_kind != "referral"]
    assert {d.id for d in others} >= {"MRS08", "DNA01", "SDQ01", "LAC01"}
    assert [d.id for d in others if "referral_source" in d.breakdowns] == []
    assert [d.id for d in others if "team_type" in d.breakdowns] == []
    assert {"referral_source", "team_type"} <= set(CATALOGUE["MHS133"].breakdowns)


def test_labels_a_code_the_table_lacks_keeps_its_code():
    assert level_label("team_type", "Z99") == "Z99"
    assert level_label("referral_source", "Z9") == "Z9"
    assert level_label("team_type", "Unknown") == "Unknown"


@pytest.mark.parametrize("engine", ["reference", "frames"])
def test_ref01_by_primary_reason_for_referral(engine):
    """NHS England's "England; Primary reason for referral" (``breakdown_metadata.py``).

    The example's PrimReasonReferralMH, by hand: R001 05, R002 21, R003 16, R004 05,
    R005 12, so 05 (Anxiety) 2, 12, 16 and 21 one each; the names are
    ``referral_reasons.csv``'s.
    """
    options = {"metrics": ["REF01"], "breakdowns": ["referral_reason"], "disclosure": "none"}
    area = example_area()
    if engine == "reference":
        rows = compute(area, "2025-03", **options)
    else:
        rows = compute_frames(tables_from_area(area), "2025-03", **options)
    assert _counts(rows, "REF01", "referral_reason") == {
        ("05", "Anxiety"): 2,
        ("12", "Eating disorders"): 1,
        ("16", "Conduct disorders"): 1,
        ("21", "Attachment difficulties"): 1,
    }
