"""The NHS number's check digit catches what it is meant to catch.

The NHS Data Dictionary's modulus 11 check digit detects every change of one
digit and every swap of two unequal neighbouring digits. These properties hold
for any number ``nhs_number`` accepts, without restating its arithmetic.
"""

from hypothesis import assume, given
from hypothesis import strategies as st

from cypmh.io.feeds import nhs_number

nine_digits = st.text("0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_each_nine_digits_have_at_most_one_check_digit(prefix):
    accepted = [d for d in "0123456789" if nhs_number(prefix + d) is not None]
    assert len(accepted) <= 1


@given(nine_digits, st.integers(0, 9), st.sampled_from("0123456789"))
def test_changing_one_digit_of_a_number_is_caught(prefix, at, digit):
    (check,) = [d for d in "0123456789" if nhs_number(prefix + d)] or [None]
    assume(check is not None)
    number = prefix + check
    assume(number[at] != digit)
    assert nhs_number(number[:at] + digit + number[at + 1 :]) is None


@given(nine_digits, st.integers(0, 8))
def test_swapping_two_neighbouring_digits_is_caught(prefix, at):
    (check,) = [d for d in "0123456789" if nhs_number(prefix + d)] or [None]
    assume(check is not None)
    number = prefix + check
    assume(number[at] != number[at + 1])
    swapped = number[:at] + number[at + 1] + number[at] + number[at + 2 :]
    assert nhs_number(swapped) is None


@given(nine_digits)
def test_spaces_and_hyphens_are_not_part_of_the_number(prefix):
    for d in "0123456789":
        plain = prefix + d
        if nhs_number(plain):
            spaced = f"{plain[:3]} {plain[3:6]}-{plain[6:]}"
            assert nhs_number(spaced) == plain


def test_most_nine_digits_have_a_number():
    # The properties above mean nothing if no prefix had one: 10 in 11 do.
    found = sum(
        any(nhs_number(f"{n:09d}{d}") for d in "0123456789") for n in range(0, 10**9, 10**7)
    )
    assert found > 80
