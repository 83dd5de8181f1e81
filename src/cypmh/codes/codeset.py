"""Effective-dated code sets: lists whose codes and labels change over time.

A :class:`CodeSet` holds one entry per version of a code, each valid over an
inclusive range of MHSDS months (``UniqMonthID``); an empty bound is open.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from cypmh.errors import UnknownCodeError

__all__ = ["CodeEntry", "CodeSet"]


@attrs.frozen(kw_only=True)
class CodeEntry:
    """One version of one code.

    ``valid_from`` and ``valid_to`` are inclusive ``UniqMonthID`` bounds;
    ``None`` means no bound is known. ``attributes`` holds the table's other
    columns (for example ``notes`` or ``label_verified``) as strings.
    """

    code: str
    description: str | None
    group: str | None = None
    valid_from: int | None = None
    valid_to: int | None = None
    attributes: Mapping[str, str] = attrs.field(factory=dict, hash=False, repr=False)

    def valid_in(self, month_id: int) -> bool:
        """Whether this version is valid in the month ``month_id`` (a ``UniqMonthID``)."""
        return (self.valid_from is None or self.valid_from <= month_id) and (
            self.valid_to is None or month_id <= self.valid_to
        )


@attrs.frozen
class CodeSet:
    """A named, effective-dated list of codes.

    >>> from cypmh import codes
    >>> teams = codes.team_types()
    >>> "F01" in teams, "Z99" in teams
    (True, False)
    >>> teams.is_valid("F01", 1458), teams.is_valid("F01", 1459)  # MHST from v5.0
    (False, True)
    >>> teams.description("C10")
    'Community Eating Disorder Service'
    """

    name: str
    entries: tuple[CodeEntry, ...]
    _by_code: Mapping[str, tuple[CodeEntry, ...]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Index the entries by code (a derived lookup, not a behaviour)."""
        by_code: dict[str, list[CodeEntry]] = {}
        for entry in self.entries:
            by_code.setdefault(entry.code, []).append(entry)
        object.__setattr__(self, "_by_code", {k: tuple(v) for k, v in by_code.items()})

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is in the list in any month."""
        return code in self._by_code

    def __iter__(self) -> Iterator[str]:
        """Iterate over the distinct codes, in the order of the table."""
        return iter(self._by_code)

    def __len__(self) -> int:
        """The number of distinct codes."""
        return len(self._by_code)

    def codes(self, month_id: int | None = None) -> frozenset[str]:
        """The codes valid in ``month_id``, or every code when it is ``None``."""
        if month_id is None:
            return frozenset(self._by_code)
        return frozenset(e.code for e in self.entries if e.valid_in(month_id))

    def is_valid(self, code: str, month_id: int) -> bool:
        """Whether ``code`` is valid in the month ``month_id``."""
        return any(e.valid_in(month_id) for e in self._by_code.get(code, ()))

    def entry(self, code: str, month_id: int | None = None) -> CodeEntry:
        """Return the version of ``code`` valid in ``month_id`` (the latest version if ``None``).

        Raises :class:`~cypmh.errors.UnknownCodeError` if there is none.
        """
        versions = self._by_code.get(code, ())
        if month_id is not None:
            versions = tuple(e for e in versions if e.valid_in(month_id))
        if not versions:
            where = self.name if month_id is None else f"{self.name} (UniqMonthID {month_id})"
            raise UnknownCodeError("CodeSet", "code", code, where)
        return max(versions, key=lambda e: -1 if e.valid_from is None else e.valid_from)

    def description(self, code: str, month_id: int | None = None) -> str | None:
        """The label of ``code`` (``None`` where the source gives none)."""
        return self.entry(code, month_id).description

    def group(self, code: str, month_id: int | None = None) -> str | None:
        """The group ``code`` belongs to, if the list has groups."""
        return self.entry(code, month_id).group

    def where(self, column: str, value: str) -> frozenset[str]:
        """The codes having ``value`` in ``column`` in any version.

        >>> from cypmh import codes
        >>> sorted(codes.team_types().where("cyp_specific", "yes"))
        ['C05', 'C06', 'C07', 'C09', 'F01']
        """
        return frozenset(e.code for e in self.entries if e.attributes.get(column) == value)

    def check(self, code: str, *, owner: str, field: str) -> None:
        """Raise :class:`~cypmh.errors.UnknownCodeError` naming ``owner.field`` if unknown."""
        if code not in self._by_code:
            raise UnknownCodeError(owner, field, code, self.name)
