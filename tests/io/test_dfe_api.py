"""The DfE children's social care API files read in place (cypmh.io.feeds.dfe_api).

Each folder is written by hand as a council keeps what it sent: a first, full payload, then
partial payloads with only what changed and purge flags. The children, periods, episodes and
SDQs expected are worked out from the module's rules; both readers run on each and agree.
"""

import json
import os
from datetime import date

import pytest

from cypmh.io.readers import ExtractError
from tests.io.test_feeds import both, folder, periods

HEADER = "CHILD,DOB\nP1,01/05/2012\n"


def child(la_child_id, **blocks):
    return {"la_child_id": la_child_id, "mis_child_id": f"M-{la_child_id}", **blocks}


def details(born, sex="M", ethnicity="WBRI"):
    return {"date_of_birth": born, "sex": sex, "ethnicity": ethnicity, "purge": False}


def episode(eid, referral, closure=None, nfa=False, **lists):
    return {
        "social_care_episode_id": eid,
        "referral_date": referral,
        "closure_date": closure,
        "referral_no_further_action_flag": nfa,
        **lists,
        "purge": False,
    }


def api(tmp_path, *files, **more):
    return folder(
        tmp_path,
        {
            **{f"dfe_api/{n:02d}.json": json.dumps(payload) for n, payload in enumerate(files)},
            **more,
        },
    )


def sdqs(result):
    return sorted((s.person_id, s.date, s.score) for s in result.area.sdq_returns)


def test_a_full_payload_then_partial_ones(tmp_path):
    # File 0 (full): S1, born 2015-03-02, with episode E1 from 2024-01-10 (open) holding plan
    # K1 from 2024-02-01 (open), and SDQ 15 on 2024-05-01; S2 with episode E2 from
    # 2024-03-01 that ended in no further action (no period), and SDQ 9 on 2024-06-01.
    # File 1 (partial): S1's E1 closed 2024-09-30, its plan K1 ended 2024-08-31, a new plan
    # K2 from 2024-09-01 (which file 2 purges); S1's SDQs sent whole as [18 on 2025-01-06].
    # File 2: K2 purged; S2 purged altogether.
    # Left: S1 CIN 2024-01-10..2024-09-30, S1 CPP 2024-02-01..2024-08-31; SDQ 18 on
    # 2025-01-06; S1's header from child_details; nothing of S2.
    full = [
        child(
            "S1",
            child_details=details("2015-03-02"),
            health_and_wellbeing={"sdq_assessments": [{"date": "2024-05-01", "score": 15}]},
            social_care_episodes=[
                episode(
                    "E1",
                    "2024-01-10",
                    child_protection_plans=[
                        {"child_protection_plan_id": "K1", "start_date": "2024-02-01"}
                    ],
                )
            ],
        ),
        child(
            "S2",
            child_details=details("2013-07-07", sex="F"),
            health_and_wellbeing={"sdq_assessments": [{"date": "2024-06-01", "score": 9}]},
            social_care_episodes=[episode("E2", "2024-03-01", nfa=True)],
        ),
    ]
    partial = [
        {
            "la_child_id": "S1",
            "mis_child_id": "M-S1",
            "health_and_wellbeing": {"sdq_assessments": [{"date": "2025-01-06", "score": 18}]},
            "social_care_episodes": [
                {
                    "social_care_episode_id": "E1",
                    "closure_date": "2024-09-30",
                    "child_protection_plans": [
                        {"child_protection_plan_id": "K1", "end_date": "2024-08-31"},
                        {"child_protection_plan_id": "K2", "start_date": "2024-09-01"},
                    ],
                }
            ],
        }
    ]
    purges = [
        {
            "la_child_id": "S1",
            "social_care_episodes": [
                {
                    "social_care_episode_id": "E1",
                    "child_protection_plans": [{"child_protection_plan_id": "K2", "purge": True}],
                }
            ],
        },
        {"la_child_id": "S2", "mis_child_id": "M-S2", "purge": True},
    ]
    result = both(api(tmp_path, full, partial, purges))
    assert periods(result) == [
        ("S1", "CIN", date(2024, 1, 10), date(2024, 9, 30)),
        ("S1", "CPP", date(2024, 2, 1), date(2024, 8, 31)),
    ]
    assert sdqs(result) == [("S1", date(2025, 1, 6), 18)]
    (s1,) = [c for c in result.area.children if c.person_id == "S1"]
    assert (s1.birth_date, s1.gender, s1.ethnic_category) == (date(2015, 3, 2), "1", "WBRI")
    assert not [c for c in result.area.children if c.person_id == "S2"]
    said = "\n".join(result.quality.warnings)
    assert "dfe_api: 1 child record(s) purged by a later file" in said
    assert result.quality.problems == ()


def test_placements_are_episodes_without_an_ssda903_return(tmp_path):
    # S1's episode holds two placements: from 2024-04-01 (U1, reason S) to 2024-06-30
    # (reason P? none given), then from 2024-07-01, open. Without ssda903/episodes.csv they
    # are the looked-after episodes; with one, the return's episodes are read instead.
    placements = [
        {
            "child_looked_after_placement_id": "L1",
            "start_date": "2024-04-01",
            "start_reason": "S",
            "placement_type": "U1",
            "end_date": "2024-06-30",
            "end_reason": "E11",
        },
        {
            "child_looked_after_placement_id": "L2",
            "start_date": "2024-07-01",
            "start_reason": "P",
            "placement_type": "U3",
        },
    ]
    payload = [
        child(
            "S1",
            child_details=details("2015-03-02"),
            social_care_episodes=[
                episode("E1", "2024-03-01", child_looked_after_placements=placements)
            ],
        )
    ]
    result = both(api(tmp_path, payload))
    assert sorted(
        (e.person_id, e.start, e.end, e.placement) for e in result.area.care_episodes
    ) == [
        ("S1", date(2024, 4, 1), date(2024, 6, 30), "U1"),
        ("S1", date(2024, 7, 1), None, "U3"),
    ]


def test_a_problem_is_named_where_the_payload_has_it(tmp_path):
    # S1's plan K1 starts on 30 February: the row is rejected, and the problem names the
    # file, the child's place in it and the item, with the payload's field.
    payload = [
        child(
            "S1",
            child_details=details("2015-03-02"),
            social_care_episodes=[
                episode(
                    "E1",
                    "2024-01-10",
                    child_protection_plans=[
                        {"child_protection_plan_id": "K1", "start_date": "2024-02-30"}
                    ],
                )
            ],
        )
    ]
    result = both(api(tmp_path, payload))
    (problem,) = result.quality.problems
    assert problem.origin == (
        "dfe_api/00.json, child 1, social_care_episodes[0].child_protection_plans[0]"
    )
    assert (problem.column, problem.value) == ("start_date", "2024-02-30")


def test_records_without_an_id_are_said_and_bad_json_is_an_error(tmp_path):
    payload = [child("S1", child_details=details("2015-03-02")), {"mis_child_id": "M9"}, 7]
    result = both(api(tmp_path, payload))
    said = result.quality.warnings
    assert "dfe_api/00.json, child 2: no la_child_id: left out" in said
    assert "dfe_api/00.json, child 3: no la_child_id: left out" in said
    broken = api(
        tmp_path / "b",
        [],
    )
    (broken / "dfe_api" / "01.json").write_text('[{"la_child_id": "S1",]', encoding="utf-8")
    with pytest.raises(ExtractError, match=r"dfe_api/01\.json, line 1, column 23: not JSON"):
        both(broken)
    (broken / "dfe_api" / "01.json").write_text('{"la_code": 123}', encoding="utf-8")
    with pytest.raises(ExtractError, match=r"dfe_api/01\.json: not a DfE API payload"):
        both(broken)


def test_a_link_to_nothing_in_the_folder_is_an_error(tmp_path):
    # A .json name in dfe_api/ that leads nowhere is said, naming it; it is not skipped.
    root = api(tmp_path, [])
    os.symlink("nowhere.json", root / "dfe_api" / "01.json")
    with pytest.raises(ExtractError, match=r"dfe_api/01\.json: cannot be read"):
        both(root)
