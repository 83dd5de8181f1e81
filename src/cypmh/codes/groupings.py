"""The five needs-based groupings of the THRIVE Framework for system change (Wolpert et al., 2019).

THRIVE describes a child's *current need*, agreed with the child and family by
shared decision-making, as one of five groupings instead of a tier or a
diagnosis (implementingthrive.org, principles).
"""

from __future__ import annotations

import enum
import re

from cypmh.errors import InvalidValueError

__all__ = ["Grouping", "label_key"]


class Grouping(enum.Enum):
    """A THRIVE needs-based grouping.

    ``intensity`` orders the four groupings of help, from Thriving (0) to
    Getting More Help (3). Getting Risk Support has no intensity: it is about
    managing risk, not about more help, and stands apart from that order.
    """

    THRIVING = "thriving"
    GETTING_ADVICE = "getting_advice_and_signposting"
    GETTING_HELP = "getting_help"
    GETTING_MORE_HELP = "getting_more_help"
    GETTING_RISK_SUPPORT = "getting_risk_support"

    @property
    def label(self) -> str:
        """The grouping's name as THRIVE writes it."""
        return _LABELS[self]

    @property
    def description(self) -> str:
        """What the grouping is for, in brief (cypmh's summary of the framework's definitions)."""
        return _DESCRIPTIONS[self]

    @property
    def intensity(self) -> int | None:
        """0 to 3 for the groupings of help; ``None`` for Getting Risk Support (it stands apart)."""
        return _INTENSITY.get(self)

    @classmethod
    def parse(cls, text: str) -> Grouping:
        """Read a grouping from the label a service uses.

        Case, spacing, hyphens, underscores and ``&`` are forgiven, as are the
        short and older names services use: "Getting Advice" (for Getting
        Advice and Signposting), "Getting Additional Help" (for Getting More
        Help, which the framework describes as more extensive, specialised
        help), "Risk Support". Anything else raises
        :class:`~cypmh.errors.InvalidValueError`.

        >>> Grouping.parse("getting  ADVICE"), Grouping.parse("Getting-More-Help")
        (<Grouping.GETTING_ADVICE: 'getting_advice_and_signposting'>,
         <Grouping.GETTING_MORE_HELP: 'getting_more_help'>)
        """
        if not isinstance(text, str):
            raise InvalidValueError("Grouping", "label", text, "must be a string")
        key = label_key(text)
        if key in _ALIASES:
            return _ALIASES[key]
        raise InvalidValueError("Grouping", "label", text, NOT_A_GROUPING)

    @classmethod
    def aliases(cls) -> dict[str, Grouping]:
        """Every label :meth:`parse` reads, by its :func:`label_key`."""
        return dict(_ALIASES)


def label_key(text: str) -> str:
    """The form of a label :meth:`Grouping.parse` looks up.

    ``&`` becomes "and", each run of spaces, underscores and hyphens one
    space, and the result is stripped and lower case.

    >>> label_key(" Getting_Advice & Signposting")
    'getting advice and signposting'
    """
    return re.sub(r"[\s_\-]+", " ", text.replace("&", " and ")).strip().lower()


_LABELS = {
    Grouping.THRIVING: "Thriving",
    Grouping.GETTING_ADVICE: "Getting Advice and Signposting",
    Grouping.GETTING_HELP: "Getting Help",
    Grouping.GETTING_MORE_HELP: "Getting More Help",
    Grouping.GETTING_RISK_SUPPORT: "Getting Risk Support",
}

_DESCRIPTIONS = {
    Grouping.THRIVING: "Keeping well through prevention and promotion; includes children at risk "
    "because of their circumstances.",
    Grouping.GETTING_ADVICE: "Advice, signposting and self-management, for mild or temporary "
    "difficulties, or ongoing ones a young person manages without goals-based specialist input.",
    Grouping.GETTING_HELP: "Focused, evidence-based help with aims and criteria for success agreed "
    "at the start, ended if it is not working.",
    Grouping.GETTING_MORE_HELP: "As Getting Help, but more extensive and specialised.",
    Grouping.GETTING_RISK_SUPPORT: "Risk management support and urgent help.",
}

_INTENSITY = {
    Grouping.THRIVING: 0,
    Grouping.GETTING_ADVICE: 1,
    Grouping.GETTING_HELP: 2,
    Grouping.GETTING_MORE_HELP: 3,
}

NOT_A_GROUPING = "is not a THRIVE grouping (one of {})".format(
    ", ".join(repr(label) for label in _LABELS.values())
)
"""The reason a label is refused."""

_ALIASES = {
    **{label_key(label): grouping for grouping, label in _LABELS.items()},
    **{label_key(g.value): g for g in Grouping},
    "getting advice": Grouping.GETTING_ADVICE,
    "advice and signposting": Grouping.GETTING_ADVICE,
    "getting additional help": Grouping.GETTING_MORE_HELP,
    "risk support": Grouping.GETTING_RISK_SUPPORT,
}
