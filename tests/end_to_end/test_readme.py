"""The README's Python examples run, and the values their comments promise are right."""

import re
from pathlib import Path

import pytest

from cypmh.errors import UnknownCodeError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 3
    namespace: dict = {}
    first, second, third = blocks
    # The first block ends by breaking a rule on purpose: that line must raise.
    body, _, last = first.rstrip().rpartition("\n\n")
    exec(body, namespace)
    with pytest.raises(UnknownCodeError):
        exec(last, namespace)
    exec(second, namespace)
    exec(third, namespace)
    # The comments' values: 2011-04-02 to 2025-03-31 is 13 whole years; received 3 Oct,
    # first contact 1 Nov = 29 days.
    assert namespace["child"].age_on(namespace["date"](2025, 3, 31)) == 13
    assert namespace["journey"].first_contact_wait == 29
    # MHS95 for March 2025: the one child's contact on 1 Nov 2024 is in Apr 2024 - Mar 2025; the
    # first contact is not in Jan-Mar 2025, so MHS130 is 0.
    from cypmh.metrics import compute

    values = {
        r.metric_id: r.value
        for r in compute(
            namespace["area"], "2025-03", metrics=["MHS95", "MHS130"], disclosure="none"
        )
    }
    assert values == {"MHS95": 1.0, "MHS130": 0.0}
