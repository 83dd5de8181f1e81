"""The same children from every social-care feed give the same statuses and the same values.

An area drawn by Hypothesis is written four ways: the contract's
``ssda903/header.csv``, ``social_work.csv`` and ``assessment_factors.csv``, the
Standard Safeguarding Dataset's tables in ``ssd/``, a Children in Need
census in ``cin/`` (:func:`cypmh.testing.feeds.cin_census_xml`), and the DfE
API files in ``dfe_api/``, a full payload then a partial one with purges
(:func:`cypmh.testing.feeds.dfe_api_payloads`; the SDQs the API cannot carry,
undated or with a reason, stay in ``oc2.csv``). Assessment factors are the SSD's
``ssd_cin_assessments`` and ``ssd_assessment_factors``, the census's ``<Assessments>``
and the API's ``child_and_family_assessments``. Read back,
each must give every child the same social-care status on every day that
matters (each period's first and last day, and the days either side), and
every metric that reads social care's files (LAC, SDQ) and every metric broken
down by social-care status (REJ02 among them) the same rows for the month. Both engines
read every shape without a problem.
"""

import csv
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.io.extract import write_extract
from cypmh.io.readers import read_extract
from cypmh.metrics import MetricOptions, compute
from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.inputs import inputs_of
from cypmh.metrics.request import lacks_input
from cypmh.periods import Month
from cypmh.testing import strategies as cst
from cypmh.testing.feeds import PURGED_CHILD, cin_census_xml, dfe_api_payloads
from tests.budget import examples

SOCIAL_CARE = sorted(
    d
    for d, definition in CATALOGUE.items()
    if any(i.startswith("ssda903/") for i in inputs_of(d))
    and not lacks_input(definition, MetricOptions())
)
"""The metrics that read social care's files (LAC, SDQ, ...; but those that read a
population)."""
BY_STATUS = sorted(
    d
    for d, definition in CATALOGUE.items()
    if "social_care" in definition.breakdowns and not lacks_input(definition, MetricOptions())
)
"""The metrics broken down by social-care status (but those that read a population)."""


def _written(area, root: Path) -> dict[str, Path]:
    folders = {shape: root / shape for shape in ("contract", "ssd", "cin", "api")}
    write_extract(area, folders["contract"])
    write_extract(area, folders["ssd"], social_care="ssd")
    write_extract(area, folders["cin"])
    for name in ("social_work.csv", "assessment_factors.csv"):
        (folders["cin"] / "ssda903" / name).unlink()
    (folders["cin"] / "cin").mkdir()
    (folders["cin"] / "cin" / "census.xml").write_bytes(cin_census_xml(area))
    api = folders["api"]
    write_extract(area, api)
    for name in ("social_work.csv", "header.csv", "assessment_factors.csv"):
        (api / "ssda903" / name).unlink()
    oc2 = api / "ssda903" / "oc2.csv"
    with oc2.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [r for r in rows[1:] if not (r[3] and r[1])]  # a dated score is the API's
    with oc2.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *kept])
    (api / "dfe_api").mkdir()
    for n, payload in enumerate(dfe_api_payloads(area)):
        (api / "dfe_api" / f"2025-04-0{n + 1}.json").write_bytes(payload)
    return folders


def _factors(area):
    return sorted((f.person_id, f.date, f.factor) for f in area.assessment_factors)


def _days(area):
    days = set()
    for p in (*area.social_work, *area.care_episodes):
        for day in (p.start, p.end):
            if day is not None:
                days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
    return sorted(days)


@st.composite
def cases(draw):
    month = draw(st.builds(Month, year=st.integers(2019, 2026), month=st.integers(1, 12)))
    area = draw(cst.areas(max_children=5, max_referrals=3, max_contacts=2, period=month))
    return area, month


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_feed_gives_the_same_statuses_and_values(case):
    area, month = case
    with tempfile.TemporaryDirectory() as folder:
        folders = _written(area, Path(folder))
        read = {shape: read_extract(path, name=area.name) for shape, path in folders.items()}
        framed = {
            shape: read_extract(path, name=area.name, engine="polars")
            for shape, path in folders.items()
        }
    for shape, result in read.items():
        assert result.quality.problems == (), shape
        assert framed[shape].quality.problems == (), shape
        assert result.area.care_episodes == area.care_episodes, shape
        assert _factors(result.area) == _factors(area), shape
    days = _days(area)
    for child in area.children:
        expected = [area.social_care_status(child.person_id, day) for day in days]
        for shape, result in read.items():
            found = [result.area.social_care_status(child.person_id, day) for day in days]
            assert found == expected, (shape, child.person_id)
    values = {
        shape: (
            compute(result.area, month, metrics=SOCIAL_CARE, disclosure="none"),
            compute(
                result.area,
                month,
                metrics=BY_STATUS,
                breakdowns=["social_care"],
                disclosure="none",
            ),
        )
        for shape, result in read.items()
    }
    assert values["ssd"] == values["contract"]
    assert values["cin"] == values["contract"]
    assert values["api"] == values["contract"]
    assert PURGED_CHILD not in {c.person_id for c in read["api"].area.children}


def test_the_metrics_compared_are_the_social_care_ones():
    # The property means nothing if the id prefixes above stopped naming metrics.
    assert {"LAC01", "LAC01d", "SDQ01", "CIN01", "CIN01b"} <= set(SOCIAL_CARE)
    assert {"MHS95", "REJ01", "REJ02"} <= set(BY_STATUS)
