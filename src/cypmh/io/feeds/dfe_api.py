"""The DfE children's social care API files: JSON payloads applied in order, and their rows.

A council sends the DfE a JSON array of child records a day (the payload of
data-to-insight/dfe-csc-api-data-flows, spec v0.7 to v0.8). The first time a
child is sent, the record is whole; later, a partial payload carries only what
changed, with the child's ids. cypmh reads the files a council keeps of what it
sent, ``dfe_api.json`` or the ``.json`` files of ``dfe_api/`` in name order
(name them by date), and applies them as the API does:

- a child sent again is merged into what earlier files gave: an object key by
  key; a list of items with an id (a key ending ``_id``, such as
  ``social_care_episode_id``) item by item, matched on that id; any other list
  (``sdq_assessments``, ``factors``) replaced whole, as the partial payload sends
  it whole;
- ``"purge": true`` removes what it is on: the child, an item of a list, or a
  block such as ``health_and_wellbeing``. A full payload sent again does not
  remove an item it leaves out; only a purge does, as at the API.

What is left becomes rows of the contract's files (:func:`api_rows`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cypmh.io.feeds.rows import (
    EPISODES,
    FACTORS,
    HEADER,
    OC2,
    SHOWN,
    SOCIAL_WORK,
    FeedRow,
    Origin,
)
from cypmh.io.lines import ExtractError

__all__ = ["API_FILE", "API_FOLDER", "ApiChild", "api_files", "api_rows", "merge", "read_api"]

API_FILE, API_FOLDER = "dfe_api.json", "dfe_api"
_PURGE = "purge"


@attrs.frozen
class ApiChild:
    """A child as the files leave them: its id, its record, and the file and place last sent."""

    child: str
    record: Mapping[str, Any]
    where: str


def api_files(root: Path) -> list[str]:
    """The API files of ``root``: ``dfe_api.json``, then ``dfe_api/*.json`` by name.

    Listed, not yet opened: a name that is not a readable file is said when it is
    read (:func:`cypmh.io.feeds.read.read_feeds`).
    """
    found = [API_FILE] if os.path.lexists(root / API_FILE) else []
    folder = root / API_FOLDER
    if folder.is_dir():
        found += [
            f"{API_FOLDER}/{name}"
            for name in sorted(os.listdir(folder))
            if name.lower().endswith(".json")
        ]
    return found


def merge(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """``new`` applied to ``old``, as the module's rules say (``purge`` flags honoured).

    >>> old = {"a": 1, "plans": [{"plan_id": "P1", "end": None}, {"plan_id": "P2"}],
    ...        "sdq": [{"date": "2024-05-01"}], "hw": {"x": 1}}
    >>> new = merge(old, {"plans": [{"plan_id": "P1", "end": "2025-01-31"},
    ...                             {"plan_id": "P2", "purge": True}, {"plan_id": "P3"}],
    ...                   "sdq": [{"date": "2025-01-06"}], "hw": {"purge": True}})
    >>> new["plans"]
    [{'plan_id': 'P1', 'end': '2025-01-31'}, {'plan_id': 'P3'}]
    >>> new["sdq"], "hw" in new, new["a"]
    ([{'date': '2025-01-06'}], False, 1)
    """
    out = dict(old)
    for key, value in new.items():
        if key == _PURGE:
            continue
        if isinstance(value, Mapping):
            if value.get(_PURGE) is True:
                out.pop(key, None)
                continue
            before = old.get(key)
            out[key] = merge(before if isinstance(before, Mapping) else {}, value)
        elif isinstance(value, list) and _id_of(value) is not None:
            before = old.get(key)
            out[key] = _merge_items(before if isinstance(before, list) else [], value)
        else:
            out[key] = value
    return out


def _id_of(items: Sequence[Any]) -> str | None:
    """The id key of a list of items (a key ending ``_id``), if every item is an object."""
    if not items or not all(isinstance(i, Mapping) for i in items):
        return None
    return next((k for k in items[0] if k.endswith("_id")), None)


def _merge_items(old: list[Any], new: Sequence[Mapping[str, Any]]) -> list[Any]:
    """``new``'s items applied to ``old``'s, matched on their id (``new`` has one)."""
    key = _id_of(new) or ""
    items = list(old)
    for item in new:
        at = next(
            (
                n
                for n, o in enumerate(items)
                if isinstance(o, Mapping) and o.get(key) == item.get(key)
            ),
            None,
        )
        if item.get(_PURGE) is True:
            if at is not None:
                del items[at]
        elif at is None:
            items.append(merge({}, item))
        else:
            items[at] = merge(items[at], item)
    return items


def _children(path: str, data: Any) -> list[Any]:
    """The child records of a file: a JSON array, or an object with a ``children`` array."""
    if isinstance(data, Mapping):
        found = next((v for k, v in data.items() if k.lower() == "children"), None)
        data = [found] if isinstance(found, Mapping) else found
    if not isinstance(data, list):
        raise ExtractError(
            f"{path}: not a DfE API payload: it must be a JSON array of child records, or an "
            "object with a children array"
        )
    return data


def read_api(root: Path, paths: Sequence[str], warnings: list[str]) -> list[ApiChild]:
    """The children the API files ``paths`` leave, applied in order; what is left out said.

    A file that is not JSON, or not a payload, is an :class:`ExtractError`
    naming the file and where it fails. A record that is not an object, or has
    no ``la_child_id``, is left out and said in ``warnings``.
    """
    state: dict[str, tuple[dict[str, Any], str]] = {}
    left_out: list[str] = []
    purged = 0
    for path in paths:
        try:
            data = json.loads((root / path).read_bytes())
        except json.JSONDecodeError as exc:
            raise ExtractError(
                f"{path}, line {exc.lineno}, column {exc.colno}: not JSON ({exc.msg})"
            ) from None
        except UnicodeDecodeError as exc:
            raise ExtractError(f"{path}: not UTF-8 text ({exc.reason})") from None
        except RecursionError:
            raise ExtractError(f"{path}: nested too deeply to be a DfE API payload") from None
        except OSError as exc:
            raise ExtractError(f"{path}: cannot be read: {exc.strerror}") from None
        for number, record in enumerate(_children(path, data), start=1):
            where = f"{path}, child {number}"
            child = record.get("la_child_id") if isinstance(record, Mapping) else None
            if (
                not isinstance(child, (str, int))
                or isinstance(child, bool)
                or not str(child).strip()
            ):
                left_out.append(f"{where}: no la_child_id: left out")
                continue
            child = str(child).strip()
            if record.get(_PURGE) is True:
                purged += child in state
                state.pop(child, None)
                continue
            before = state.get(child, ({}, where))[0]
            try:
                state[child] = (merge(before, record), where)
            except RecursionError:
                raise ExtractError(f"{where}: nested too deeply to be a child record") from None
    warnings += left_out[:SHOWN]
    if len(left_out) > SHOWN:
        warnings.append(f"{API_FOLDER}: {len(left_out) - SHOWN} more records left out, as above")
    if purged:
        warnings.append(f"{API_FOLDER}: {purged} child record(s) purged by a later file")
    return [ApiChild(child, record, where) for child, (record, where) in state.items()]


# The rows the children give.

_CIN = {"CHILD": "la_child_id", "START": "referral_date", "END": "closure_date"}
_CPP = {"CHILD": "la_child_id", "START": "start_date", "END": "end_date"}
_PLACEMENT = {
    "CHILD": "la_child_id",
    "DECOM": "start_date",
    "DEC": "end_date",
    "RNE": "start_reason",
    "PLACE": "placement_type",
    "REC": "end_reason",
}
_SDQ = {"CHILD": "la_child_id", "SDQ_DATE": "date", "SDQ_SCORE": "score"}
_FACTOR = {"CHILD": "la_child_id", "DATE": "authorisation_date", "FACTOR": "factors"}
_PERSON = {"CHILD": "la_child_id", "DOB": "date_of_birth", "SEX": "sex", "ETHNIC": "ethnicity"}
_TRUE = {"true", "y", "yes", "1"}


def _cell(value: Any) -> str:
    """A JSON value as a contract cell: text as it is, a number or flag as text, null empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _items(record: Mapping[str, Any], key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    value = record.get(key)
    if isinstance(value, list):
        yield from ((n, item) for n, item in enumerate(value) if isinstance(item, Mapping))


def _row(
    child: ApiChild,
    place: str,
    cells: Mapping[str, Any],
    names: Mapping[str, str],
    status: str | None = None,
) -> FeedRow:
    """The contract row of one item of ``child``'s record, at ``place`` in it."""
    out = {"CHILD": child.child, **({"STATUS": status} if status else {})}
    out |= {column: _cell(cells.get(field)) for column, field in names.items() if column != "CHILD"}
    return FeedRow(out, Origin(f"{child.where}, {place}", names))


def api_rows(children: Sequence[ApiChild], warnings: list[str]) -> dict[str, list[FeedRow]]:
    """The rows of each contract file the children give (``HEADER``: every child's own row).

    A social-care episode gives a child-in-need period from ``referral_date`` to
    ``closure_date``, unless ``referral_no_further_action_flag`` is true; each
    of its ``child_protection_plans`` a protection-plan period; each of its
    ``child_looked_after_placements`` a looked-after episode. Each of the
    child's ``health_and_wellbeing.sdq_assessments`` is a dated SDQ. Each factor of
    an episode's ``child_and_family_assessments`` is an assessment factor dated by the
    assessment's ``authorisation_date``; an assessment not yet authorised gives none.
    """
    rows: dict[str, list[FeedRow]] = {
        SOCIAL_WORK: [],
        EPISODES: [],
        OC2: [],
        HEADER: [],
        FACTORS: [],
    }
    nfa = unauthorised = 0
    for child in children:
        details = child.record.get("child_details")
        if isinstance(details, Mapping):
            rows[HEADER].append(_row(child, "child_details", details, _PERSON))
        for n, episode in _items(child.record, "social_care_episodes"):
            place = f"social_care_episodes[{n}]"
            if _cell(episode.get("referral_no_further_action_flag")).lower() in _TRUE:
                nfa += 1
            else:
                rows[SOCIAL_WORK].append(_row(child, place, episode, _CIN, "CIN"))
            for m, plan in _items(episode, "child_protection_plans"):
                rows[SOCIAL_WORK].append(
                    _row(child, f"{place}.child_protection_plans[{m}]", plan, _CPP, "CPP")
                )
            for m, assessment in _items(episode, "child_and_family_assessments"):
                found = assessment.get("factors")
                codes = [_cell(f).upper() for f in found] if isinstance(found, list) else []
                if codes and not _cell(assessment.get("authorisation_date")):
                    unauthorised += 1
                    continue
                where = f"{place}.child_and_family_assessments[{m}]"
                rows[FACTORS] += [
                    _row(child, where, {**assessment, "factors": code}, _FACTOR)
                    for code in codes
                    if code
                ]
            for m, placement in _items(episode, "child_looked_after_placements"):
                rows[EPISODES].append(
                    _row(
                        child, f"{place}.child_looked_after_placements[{m}]", placement, _PLACEMENT
                    )
                )
        health = child.record.get("health_and_wellbeing")
        if isinstance(health, Mapping):
            for n, sdq in _items(health, "sdq_assessments"):
                rows[OC2].append(
                    _row(child, f"health_and_wellbeing.sdq_assessments[{n}]", sdq, _SDQ)
                )
    if nfa:
        warnings.append(
            f"{API_FOLDER}: {nfa} social care episode(s) ended in no further action "
            "(referral_no_further_action_flag), so give no child-in-need period"
        )
    if unauthorised:
        warnings.append(
            f"{API_FOLDER}: {unauthorised} child and family assessment(s) with factors have no "
            "authorisation_date, so their factors are left out (they are those at its end)"
        )
    return rows
