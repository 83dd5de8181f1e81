"""DNA01: contacts in the month not attended, of those attended or not. March 2025."""

from datetime import date

import pytest

from cypmh.codes import AttendStatus
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, contact, referral


def test_dna_worked_example():
    # March: attended 5 and 6, not attended 3 and 7, cancelled 2 and 4 (left out); a DNA in
    # February is outside the month. DNA01 = 2 / 4 = 50%.
    ref = referral("R1", date(2025, 1, 1))
    statuses = ["5", "6", "3", "7", "2", "4"]
    contacts = [
        contact(f"C{s}", ref, date(2025, 3, 10), AttendStatus.from_code(s)) for s in statuses
    ]
    contacts.append(contact("CF", ref, date(2025, 2, 10), AttendStatus.DID_NOT_ATTEND))
    rows = results(area(referrals=[ref], contacts=contacts), "DNA01")
    row = rows[("DNA01", "Total", "Total")]
    assert (row.value, row.numerator, row.denominator) == (50, 2, 4)
    # Wilson, 2 of 4: centre 0.5, half-width 1.96 x sqrt(0.0625 + 0.0600) / 1.9604 = 0.3500.
    assert (row.lower_ci, row.upper_ci) == (
        pytest.approx(15.00, abs=0.01),
        pytest.approx(85.00, abs=0.01),
    )
