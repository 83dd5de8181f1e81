"""Clauses as text: the SQL-like conditions an analyst writes, parsed to nodes and written back.

The grammar is small and written here rather than taken from a SQL parser (sqlglot
would be a dependency for what is forty lines of grammar, and would accept far more
than the language means, which would then need refusing clause by clause)::

    condition := part ("or" part)*
    part      := factor ("and" factor)*
    factor    := "not" factor | "(" condition ")" | value test
    test      := op value | "is" ["not"] "null" | ["not"] "in" "(" literal ("," literal)* ")"
               | "between" integer "and" integer                  (after age_on(...) only)
    value     := column | literal | period_start([months]) | period_end()
               | days_between(value, value) | coalesce(value, value, ...)
               | age_on(value)                                    (with a test of ages)
    literal   := 'text' | integer | number | YYYY-MM-DD | date 'YYYY-MM-DD' | true | false | null
    op        := = | == | != | <> | < | <= | > | >=
    within_months(value, months)  is a factor too: the date is in the window.

Words are case-blind (``AND``, ``Is Null``); column names are as the base names them.
``age_on(d)`` is the age in whole years, on ``d``, of the record's child (the base's
birth-date column): ``age_on(d) <= 17``, ``age_on(d) between 5 and 17``.

:func:`to_text` writes any tree back so that :func:`parse` reads the same clause (the
generative test holds the two to that on random trees).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

import attrs

from cypmh.clauses.checking import ClauseError, check, kind_of
from cypmh.clauses.nodes import (
    AgeBetween,
    All,
    Any,
    Clause,
    Coalesce,
    Column,
    Compare,
    DaysBetween,
    In,
    IsNull,
    Lit,
    Node,
    Not,
    Operator,
    PeriodEnd,
    PeriodStart,
    Scalar,
    Value,
    Within,
)
from cypmh.tables.schema import Kind

__all__ = ["MAX_AGE", "ClauseSyntaxError", "parse", "parse_value", "to_text"]

MAX_AGE = 150
"""The upper bound of an age test with none (``age_on(d) >= 5`` is 5 to 150)."""

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<date>\d{4}-\d{2}-\d{2}(?![\w-]))
      | (?P<number>-?\d+(?:\.\d+)?(?![\w.]))
      | (?P<text>'(?:[^']|'')*')
      | (?P<op><=|>=|<>|!=|==|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)

_OPS: Mapping[str, Operator] = {
    "=": "==",
    "==": "==",
    "!=": "!=",
    "<>": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_KEYWORDS = frozenset({"and", "or", "not", "is", "null", "in", "true", "false", "between"})


class ClauseSyntaxError(ClauseError):
    """Text that is not a clause: ``position`` is the character (from 1) where it goes wrong."""

    def __init__(self, text: str, position: int, rule: str) -> None:
        self.text = text
        self.position = position
        self.rule = rule
        self.clause = Lit(text)
        Exception.__init__(self, f"{text!r}, at character {position}: {rule}")


@attrs.frozen
class _Token:
    kind: str
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        token = _Token(kind, match.group(kind), match.start(kind))
        if kind == "bad":
            raise ClauseSyntaxError(text, token.start + 1, f"unexpected {token.text!r}")
        found.append(token)
    return found


class _Parser:
    def __init__(self, text: str, birth: str | None) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0
        self.birth = birth

    # Reading tokens.

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def word(self, ahead: int = 0) -> str | None:
        token = self.peek(ahead)
        return token.text.lower() if token is not None and token.kind == "word" else None

    def fail(self, rule: str) -> ClauseSyntaxError:
        token = self.peek()
        position = token.start + 1 if token is not None else len(self.text) + 1
        found = f"found {token.text!r}" if token is not None else "found the end"
        return ClauseSyntaxError(self.text, position, f"{rule}; {found}")

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        ok = token is not None and token.kind == kind
        if ok and text is not None:
            ok = token is not None and token.text.lower() == text
        if not ok:
            raise self.fail(f"expected {text or kind}")
        self.at += 1
        assert token is not None
        return token

    def accept(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.text.lower() == text and token.kind in ("word", "punct"):
            self.at += 1
            return True
        return False

    # The grammar.

    def condition(self) -> Clause:
        parts = [self.part()]
        while self.accept("or"):
            parts.append(self.part())
        return parts[0] if len(parts) == 1 else Any(parts)

    def part(self) -> Clause:
        parts = [self.factor()]
        while self.accept("and"):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else All(parts)

    def factor(self) -> Clause:
        if self.accept("not"):
            return Not(self.factor())
        token = self.peek()
        if token is not None and token.text == "(":
            self.at += 1
            inner = self.condition()
            self.take("punct", ")")
            return inner
        if self.word() == "within_months" and self._call_follows():
            self.at += 2
            of = self.value()
            self.take("punct", ",")
            months = self.integer()
            self.take("punct", ")")
            return Within(of, months)
        after = self.peek(1)
        alone = after is None or after.text.lower() in ("and", "or", ")")
        if self.word() in ("true", "false") and alone:
            constant = self.word() == "true"
            self.at += 1
            return All([]) if constant else Any([])
        if self.word() == "age_on" and self._call_follows():
            return self.age_test()
        return self.test(self.value())

    def _call_follows(self) -> bool:
        after = self.peek(1)
        return after is not None and after.text == "("

    def age_test(self) -> Clause:
        start = self.peek()
        assert start is not None
        if self.birth is None:
            raise ClauseSyntaxError(
                self.text, start.start + 1, "age_on needs a base with a birth date"
            )
        self.at += 2
        on = self.value()
        self.take("punct", ")")
        birth = Column(self.birth)
        if self.accept("between"):
            low = self.integer()
            self.take("word", "and")
            return AgeBetween(birth, on, low, self.integer())
        token = self.take("op")
        op, years = _OPS[token.text], self.integer()
        ranges = {
            "==": (years, years),
            "<=": (0, years),
            "<": (0, years - 1),
            ">=": (years, MAX_AGE),
            ">": (years + 1, MAX_AGE),
        }
        if op == "!=":
            return Not(AgeBetween(birth, on, years, years))
        low, high = ranges[op]
        if low > high or low < 0:
            raise ClauseSyntaxError(
                self.text, token.start + 1, "no age in whole years passes this test"
            )
        return AgeBetween(birth, on, low, high)

    def test(self, left: Value) -> Clause:
        token = self.peek()
        if token is not None and token.kind == "op":
            self.at += 1
            return Compare(_OPS[token.text], left, self.value())
        if self.accept("is"):
            negated = self.accept("not")
            self.take("word", "null")
            return Not(IsNull(left)) if negated else IsNull(left)
        negated = self.accept("not")
        if self.accept("in"):
            self.take("punct", "(")
            values = [self.listed()]
            while self.accept(","):
                values.append(self.listed())
            self.take("punct", ")")
            listed = In(left, tuple(values))
            return Not(listed) if negated else listed
        raise self.fail("expected a comparison, 'is null' or 'in (...)'")

    def integer(self) -> int:
        token = self.take("number")
        if not re.fullmatch(r"-?\d+", token.text):
            raise ClauseSyntaxError(self.text, token.start + 1, "expected a whole number")
        return int(token.text)

    def listed(self) -> Scalar:
        """A literal of an ``in`` list: not null, which SQL never matches."""
        token = self.peek()
        found = self.literal()
        if found is None:
            assert token is not None
            raise ClauseSyntaxError(
                self.text,
                token.start + 1,
                "null in a list is never matched: write 'x is null or x in (...)'",
            )
        return found

    def literal(self) -> Scalar | None:
        node = self.value()
        if not isinstance(node, Lit):
            raise self.fail("expected a literal (text, a number, a date, true, false or null)")
        return node.value

    def value(self) -> Value:
        token = self.peek()
        if token is None:
            raise self.fail("expected a value")
        self.at += 1
        if token.kind == "date":
            return Lit(_date(self.text, token))
        if token.kind == "number":
            return Lit(float(token.text) if "." in token.text else int(token.text))
        if token.kind == "text":
            return Lit(token.text[1:-1].replace("''", "'"))
        if token.kind != "word":
            self.at -= 1
            raise self.fail("expected a value")
        name = token.text.lower()
        if name == "date" and self.peek() is not None and self.peek().kind == "text":  # type: ignore[union-attr]
            quoted = self.take("text")
            return Lit(_date(self.text, attrs.evolve(quoted, text=quoted.text[1:-1])))
        if name in ("true", "false"):
            return Lit(name == "true")
        if name == "null":
            return Lit(None)
        if self.peek() is not None and self.peek().text == "(":  # type: ignore[union-attr]
            return self.call(token)
        if name in _KEYWORDS:
            self.at -= 1
            raise self.fail("expected a value")
        return Column(token.text)

    def call(self, name: _Token) -> Value:
        function = name.text.lower()
        self.take("punct", "(")
        if function in ("period_start", "period_end"):
            months = 1
            token = self.peek()
            if function == "period_start" and token is not None and token.kind == "number":
                months = self.integer()
            self.take("punct", ")")
            return PeriodStart(months) if function == "period_start" else PeriodEnd()
        args = [self.value()]
        while self.accept(","):
            args.append(self.value())
        self.take("punct", ")")
        if function == "days_between" and len(args) == 2:
            return DaysBetween(args[0], args[1])
        if function == "coalesce" and len(args) >= 2:
            return Coalesce(args)
        known = "days_between(a, b), coalesce(a, b, ...), period_start([months]), period_end()"
        raise ClauseSyntaxError(
            self.text, name.start + 1, f"no function {name.text} of {len(args)} values ({known})"
        )


def _date(text: str, token: _Token) -> date:
    try:
        return date.fromisoformat(token.text)
    except ValueError:
        raise ClauseSyntaxError(text, token.start + 1, f"{token.text} is not a date") from None


def parse(text: str, kinds: Mapping[str, Kind], *, birth: str | None = None) -> Clause:
    """The condition ``text`` over columns of ``kinds``, checked (:func:`~cypmh.clauses.check`).

    ``birth`` names the column of the child's birth date, which ``age_on`` reads.
    Raises :class:`ClauseSyntaxError` where the text is not a clause (naming the
    character) and :class:`~cypmh.clauses.ClauseError` where it breaks a type rule.

    >>> from cypmh.clauses import words
    >>> kinds = {"team_type": Kind.TEXT}
    >>> words(parse("team_type not in ('B02', 'A14') or team_type is null", kinds))
    'team type is not one of B02, A14 or team type is missing'
    >>> try:
    ...     parse("team = 'C10'", kinds)
    ... except ClauseError as err:
    ...     print(err.clause, err.rule, sep=": ")
    Column(name='team'): no such column (the columns are team_type); did you mean team_type?
    """
    parser = _Parser(text, birth)
    if not parser.tokens:
        raise ClauseSyntaxError(text, 1, "empty: expected a condition")
    tree = parser.condition()
    if parser.peek() is not None:
        raise parser.fail("expected 'and', 'or' or the end")
    check(tree, kinds)
    return tree


def parse_value(text: str, kinds: Mapping[str, Kind]) -> Value:
    """The value ``text`` (a column, literal or function of them) over columns of ``kinds``.

    Raises :class:`ClauseSyntaxError` where the text is not a value, and
    :class:`~cypmh.clauses.ClauseError` for an unknown column or values of kinds that
    do not go together.

    >>> from cypmh.clauses import words
    >>> kinds = {"received_date": Kind.DATE, "rejection_date": Kind.DATE}
    >>> words(parse_value("days_between(received_date, rejection_date)", kinds))
    'the days from received date to rejection date'
    """
    parser = _Parser(text, None)
    if not parser.tokens:
        raise ClauseSyntaxError(text, 1, "empty: expected a value")
    found = parser.value()
    if parser.peek() is not None:
        raise parser.fail("expected the end of the value")
    kind_of(found, kinds)
    return found


def _literal_text(fixed: object) -> str:
    if fixed is None:
        return "null"
    if isinstance(fixed, bool):
        return "true" if fixed else "false"
    if isinstance(fixed, date):
        return fixed.isoformat()
    if isinstance(fixed, str):
        return "'" + fixed.replace("'", "''") + "'"
    return repr(fixed)


def _single(clause: Clause) -> Clause:
    """``clause`` without the ``all`` or ``any`` of one part around it (written as the part)."""
    while isinstance(clause, All | Any) and len(clause.clauses) == 1:
        clause = clause.clauses[0]
    return clause


_OP_TEXT = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def to_text(node: Node, *, birth: str | None = None) -> str:
    """``node`` written as :func:`parse` reads it (with ``birth``, the base's birth-date column).

    >>> to_text(All([IsNull(Column("rejection_date")), Within(Column("received_date"), 3)]))
    '(rejection_date is null and within_months(received_date, 3))'
    """

    def say(n: Node) -> str:
        return to_text(n, birth=birth)

    match node:
        case Column(name):
            return name
        case Lit(fixed):
            return _literal_text(fixed)
        case DaysBetween(start, end):
            return f"days_between({say(start)}, {say(end)})"
        case Coalesce(values):
            return f"coalesce({', '.join(say(v) for v in values)})"
        case PeriodStart(months):
            return f"period_start({months})"
        case PeriodEnd():
            return "period_end()"
        case Compare(op, left, right):
            return f"{say(left)} {_OP_TEXT[op]} {say(right)}"
        case IsNull(of):
            return f"{say(of)} is null"
        case In(of, values):
            if not values:  # false where present, unknown where missing, as x != x is
                return f"{say(of)} != {say(of)}"
            return f"{say(of)} in ({', '.join(_literal_text(v) for v in values)})"
        case Not(clause):
            inner = _single(clause)
            if isinstance(inner, IsNull):
                return f"{say(inner.value)} is not null"
            if isinstance(inner, In) and inner.values:
                listed = ", ".join(_literal_text(v) for v in inner.values)
                return f"{say(inner.value)} not in ({listed})"
            return f"not ({say(inner)})"
        case All(clauses) | Any(clauses):
            if not clauses:
                return "true" if isinstance(node, All) else "false"
            if len(clauses) == 1:  # read back as the one clause, which means the same
                return say(clauses[0])
            joined = (" and " if isinstance(node, All) else " or ").join(say(c) for c in clauses)
            return f"({joined})"
        case Within(of, months):
            return f"within_months({say(of)}, {months})"
        case AgeBetween(born, on, low, high):
            if not isinstance(born, Column) or born.name != birth:
                raise ClauseError(node, "is written as age_on(...) only over the base's birth date")
            return f"age_on({say(on)}) between {low} and {high}"
    raise TypeError(f"not a node: {node!r}")  # pragma: no cover - the types forbid it
