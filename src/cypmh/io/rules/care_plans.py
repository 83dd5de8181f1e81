"""Care plans: ``MHS008CarePlanType.csv`` and their agreements, ``MHS009CarePlanAgreement.csv``.

- Plans (the model's rules: ids, a plan type, a creation date, a last update
  not before it), one row per ``UniqCarePlanID``, of a known person created
  on or after their birth.
- Every agreement row of a kept plan is kept (resubmissions and re-agreements
  give a plan several, as NHS England keeps them), with a good date not
  before the plan's creation, or none.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import attrs

from cypmh.io import reasons
from cypmh.io.frame_checks import (
    SHORT,
    Check,
    date_checks,
    lit,
    not_before,
    parsed_date,
    pattern,
    required_cell,
)
from cypmh.io.rows import RowError
from cypmh.io.rules.people import born_by, born_by_frames
from cypmh.model import CarePlan

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

PLANS = "MHS008CarePlanType.csv"
AGREEMENTS = "MHS009CarePlanAgreement.csv"

COLUMNS = {
    "care_plan_id": "UniqCarePlanID",
    "person_id": "Person_ID",
    "plan_type": "CarePlanTypeMH",
    "created": "CarePlanCreatDate",
    "last_updated": "CarePlanLastUpdateDate",
}


def records(r: RecordReader) -> None:
    """Read the plans, each with its agreements, into ``r.records["care_plans"]``."""
    plans = r.build(
        PLANS,
        r.rows(PLANS),
        lambda c: CarePlan(
            care_plan_id=c.required("UniqCarePlanID"),
            person_id=c.required("Person_ID"),
            plan_type=c.required("CarePlanTypeMH"),
            created=c.day("CarePlanCreatDate"),
            last_updated=c.optional_date("CarePlanLastUpdateDate"),
        ),
        COLUMNS,
    )
    plans = r.unique(PLANS, plans, lambda x: x.care_plan_id, "UniqCarePlanID")
    plans = r.keep_if(
        PLANS, plans, lambda x: born_by(r, x.person_id, x.created, "CarePlanCreatDate")
    )
    by_id = {p.care_plan_id: p for _, p in plans}
    agreements = _agreements(r, by_id)
    for plan_id, days in agreements.items():
        by_id[plan_id] = attrs.evolve(by_id[plan_id], agreements=days)
    r.finish(PLANS, len(plans))
    r.finish(AGREEMENTS, sum(len(days) for days in agreements.values()))
    r.records["care_plans"] = tuple(by_id[p.care_plan_id] for _, p in plans)


def _agreements(r: RecordReader, by_id: dict[str, CarePlan]) -> dict[str, list[date | None]]:
    agreements: dict[str, list[date | None]] = {}
    for row in r.rows(AGREEMENTS):
        plan_id = row.get("UniqCarePlanID")
        plan = by_id.get(plan_id)
        if plan is None:
            r.reject(AGREEMENTS, row.line, "UniqCarePlanID", plan_id, reasons.NO_SUCH_CARE_PLAN)
            continue
        try:
            agreed_on = row.optional_date("CarePlanAgreedDate")
        except RowError as exc:
            r.reject(AGREEMENTS, row.line, exc.column, exc.value, exc.reason)
            continue
        if agreed_on is not None and agreed_on < plan.created:
            r.reject(
                AGREEMENTS,
                row.line,
                "CarePlanAgreedDate",
                row.get("CarePlanAgreedDate"),
                f"must not be before CarePlanCreatDate ({plan.created})",
            )
            continue
        agreements.setdefault(plan_id, []).append(agreed_on)
    return agreements


def frames(r: FrameReader) -> None:
    """Read the plans and the agreements into ``r.tables``."""
    pl = r.pl
    plan = r.build(
        PLANS,
        r.rows(PLANS),
        [parsed_date("CarePlanCreatDate", False), parsed_date("CarePlanLastUpdateDate", False)],
        [
            required_cell("UniqCarePlanID"),
            required_cell("Person_ID"),
            required_cell("CarePlanTypeMH"),
            *date_checks("CarePlanCreatDate", False),
            *date_checks("CarePlanLastUpdateDate", False, required=False),
            pattern("CarePlanTypeMH", SHORT, optional=False),
            not_before("CarePlanLastUpdateDate", "CarePlanCreatDate", "CarePlanCreatDate"),
        ],
    )
    plan = r.unique(PLANS, plan, "UniqCarePlanID", "UniqCarePlanID")
    plan, checks = born_by_frames(r, plan, "Person_ID", "_d_CarePlanCreatDate", "CarePlanCreatDate")
    plan = r.keep_if(PLANS, plan, checks)
    r.finish(PLANS, plan.height)
    created = pl.col("_d_CarePlanCreatDate")
    agree = r.rows(AGREEMENTS).join(
        plan.select(_pid=pl.col("UniqCarePlanID"), _d_CarePlanCreatDate=created),
        left_on="UniqCarePlanID",
        right_on="_pid",
        how="left",
    )
    agree = r.build(
        AGREEMENTS,
        agree.with_columns(parsed_date("CarePlanAgreedDate", False)),
        (),
        [
            Check(
                created.is_null(),
                "UniqCarePlanID",
                pl.col("UniqCarePlanID"),
                lit(reasons.NO_SUCH_CARE_PLAN),
            ),
            *date_checks("CarePlanAgreedDate", False, required=False),
            not_before("CarePlanAgreedDate", "CarePlanCreatDate", "CarePlanCreatDate"),
        ],
    )
    r.finish(AGREEMENTS, agree.height)
    r.tables["care_plans"] = plan.select(
        care_plan_id=pl.col("UniqCarePlanID"),
        person_id=pl.col("Person_ID"),
        plan_type=pl.col("CarePlanTypeMH"),
        created=created,
        last_updated=pl.col("_d_CarePlanLastUpdateDate"),
    )
    r.tables["care_plan_agreements"] = agree.select(
        care_plan_id=pl.col("UniqCarePlanID"), date=pl.col("_d_CarePlanAgreedDate")
    )
