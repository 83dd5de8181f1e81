"""The README's Python examples run, and the values their comments promise are right."""

import re
from pathlib import Path

import pytest

from cypmh.errors import UnknownCodeError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 2
    namespace: dict = {}
    first, second = blocks
    # The first block ends by breaking a rule on purpose: that line must raise.
    body, _, last = first.rstrip().rpartition("\n\n")
    exec(body, namespace)
    with pytest.raises(UnknownCodeError):
        exec(last, namespace)
    exec(second, namespace)
    # The comments' values: 2011-04-02 to 2025-03-31 is 13 whole years; received 3 Oct,
    # first contact 1 Nov = 29 days.
    assert namespace["child"].age_on(namespace["date"](2025, 3, 31)) == 13
    assert namespace["journey"].first_contact_wait == 29
