"""The ``cypmh`` command (for now: ``cypmh demo``; the full command line comes with the readers)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from cypmh.codes import AttendanceClass
from cypmh.examples import REFERENCE_DATE, example_area
from cypmh.io import from_json, to_json
from cypmh.model import Area


def describe(area: Area) -> str:
    """Return a plain-text account of ``area`` on the example's reference date."""
    on = REFERENCE_DATE
    lines = [f"{area.name}: described on {on.isoformat()}", ""]
    counts = [
        ("children", area.children),
        ("referrals", area.referrals),
        ("contacts", area.contacts),
        ("coded assessments", area.assessments),
        ("care episodes", area.care_episodes),
        ("schools", area.schools),
        ("link contacts", area.link_contacts),
    ]
    lines.append("  ".join(f"{len(records)} {name}" for name, records in counts))
    lines.append("")
    lines.append(f"{'child':<6} {'age':>3}  {'social care':<22} referrals")
    for child in area.children:
        status = area.social_care_status(child.person_id, on).value.replace("_", " ")
        referrals = []
        for referral in area.referrals_of(child.person_id):
            attendance = Counter(
                c.attend_status.attendance for c in area.contacts_of(referral.referral_id)
            )
            if referral.rejection_date is not None:
                state = f"rejected {referral.rejection_date}"
            elif referral.end_date is not None:
                state = f"ended {referral.end_date}"
            else:
                state = "open"
            referrals.append(
                f"{referral.referral_id} ({referral.team_type}, received {referral.received_date}, "
                f"{state}; attended {attendance[AttendanceClass.ATTENDED]}, "
                f"missed {attendance[AttendanceClass.DNA]})"
            )
        first, *rest = referrals or ["none"]
        lines.append(f"{child.person_id:<6} {child.age_on(on):>3}  {status:<22} {first}")
        lines.extend(f"{'':<35}{more}" for more in rest)
    lines.append("")
    working = [s for s in area.schools if area.has_working_link(s.urn, on)]
    lines.append(f"schools with a working CAMHS link: {len(working)} of {len(area.schools)}")
    for school in area.schools:
        mark = "yes" if school in working else "no"
        lines.append(f"  {school.urn} {school.name:<28} {mark}")
    text = to_json(area)
    same = from_json(text, Area) == area
    lines.append("")
    lines.append(f"JSON round trip: {len(text):,} characters, identical after reading back: {same}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cypmh`` command; return its exit status."""
    parser = argparse.ArgumentParser(
        prog="cypmh", description="Shared definitions of CYP mental health data and KPIs."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="describe the built-in example area")
    parser.parse_args(argv)
    print(describe(example_area()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
