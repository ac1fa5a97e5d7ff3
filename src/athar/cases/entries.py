"""The case and review entries and the rules their bodies follow (pure).

- ``case.created``: ``{case_id, name, summary}``; the author becomes the case's lead.
- ``case.updated``: ``{case_id, seen, name?, summary?, status?}``: ``status`` is
  ``open``, ``closed`` or ``published`` (only a published case shows to people
  outside its team).
- ``case.member``: ``{case_id, seen, actor_id, role, action}``: ``role`` is
  ``lead``, ``investigator``, ``reviewer`` or ``observer``; ``action`` ``add`` or ``remove``.
- ``case.linked``: ``{case_id, seen, item_type, item_id, note, action}``: an
  incident, report, claim (``REPORT_ID:N``) or exhibit, ``link`` or ``unlink``.
- ``claim.reviewed``: ``{report_id, claim, extraction, decision, value, seen, note}``:
  ``claim`` is the claim's number in the extraction (None for a claim the
  reviewer adds); ``extraction`` the ``{index, leaf_hash}`` of the
  ``extraction.recorded`` entry reviewed; ``decision`` ``accepted``,
  ``corrected``, ``rejected`` or ``added``; ``value`` the claim as the reviewer
  holds it (``speaker, speaker_type, verb, start, end, asserts, via``) for
  ``corrected`` and ``added``.

``seen`` is the leaf hash (hex) of the newest entry about the same case or
claim that the author saw (None for the first): the hook refuses a stale entry,
so two people acting at once never overwrite each other silently.
"""

from __future__ import annotations

import re
from typing import Any

from athar.errors import EntryRejected

__all__ = [
    "CASE_KINDS",
    "CASE_ROLES",
    "CASE_STATUSES",
    "DECISIONS",
    "ITEM_TYPES",
    "REVIEW_KIND",
    "SPEAKER_TYPES",
    "check_body",
]

CASE_KINDS = frozenset({"case.created", "case.updated", "case.member", "case.linked"})
REVIEW_KIND = "claim.reviewed"
CASE_ROLES = ("lead", "investigator", "reviewer", "observer")
CASE_STATUSES = ("open", "closed", "published")
ITEM_TYPES = ("incident", "report", "claim", "exhibit")
DECISIONS = ("accepted", "corrected", "rejected", "added")
SPEAKER_TYPES = (
    "government",
    "military",
    "international_org",
    "ngo",
    "media",
    "person",
    "armed_group",
    "unnamed_source",
    "unattributed_outlet_voice",
)
_CASE_ID = re.compile(r"^C-[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TEXT_MAX = 4000


def _text(body: dict[str, Any], name: str, *, required: bool = True, limit: int = _TEXT_MAX) -> None:
    value = body.get(name)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise EntryRejected(f"{name!r} must be a text of at most {limit} characters", field=name)


def _seen(body: dict[str, Any]) -> None:
    seen = body.get("seen")
    if seen is not None and not (isinstance(seen, str) and _HEX64.match(seen)):
        raise EntryRejected(
            "'seen' must be the leaf hash (64 hex digits) of the newest entry you saw, or null"
        )


def _one_of(body: dict[str, Any], name: str, allowed: tuple[str, ...]) -> None:
    if body.get(name) not in allowed:
        raise EntryRejected(f"{name!r} must be one of {', '.join(allowed)}", field=name)


def check_body(kind: str, body: Any) -> dict[str, Any]:
    """``body`` if it is well formed for ``kind``; EntryRejected naming the bad field otherwise."""
    if not isinstance(body, dict):
        raise EntryRejected("entry body must be a JSON object")
    if kind in CASE_KINDS:
        if not isinstance(body.get("case_id"), str) or not _CASE_ID.match(body["case_id"]):
            raise EntryRejected("case_id must look like C-2018-aleppo (C-, then letters, digits, - or _)")
    if kind == "case.created":
        _text(body, "name", limit=200)
        _text(body, "summary", required=False)
    elif kind == "case.updated":
        _seen(body)
        _text(body, "name", required=False, limit=200)
        _text(body, "summary", required=False)
        if "status" in body:
            _one_of(body, "status", CASE_STATUSES)
    elif kind == "case.member":
        _seen(body)
        _text(body, "actor_id", limit=64)
        _one_of(body, "role", CASE_ROLES)
        _one_of(body, "action", ("add", "remove"))
    elif kind == "case.linked":
        _seen(body)
        _one_of(body, "item_type", ITEM_TYPES)
        _text(body, "item_id", limit=200)
        _text(body, "note", required=False)
        _one_of(body, "action", ("link", "unlink"))
    elif kind == REVIEW_KIND:
        _check_review(body)
    else:
        raise EntryRejected(f"{kind!r} is not a case or review entry")
    return body


def _check_review(body: dict[str, Any]) -> None:
    if not isinstance(body.get("report_id"), str) or not _HEX64.match(body["report_id"]):
        raise EntryRejected("report_id must be the report's SHA-256 (64 hex digits)")
    _one_of(body, "decision", DECISIONS)
    claim = body.get("claim")
    if body["decision"] == "added":
        if claim is not None:
            raise EntryRejected("an added claim has no number in the extraction: 'claim' must be null")
    elif not isinstance(claim, int) or isinstance(claim, bool) or claim < 0:
        raise EntryRejected("'claim' must be the claim's number in the extraction (0, 1, ...)")
    ext = body.get("extraction")
    if not (
        isinstance(ext, dict)
        and isinstance(ext.get("index"), int)
        and isinstance(ext.get("leaf_hash"), str)
        and _HEX64.match(ext["leaf_hash"])
    ):
        raise EntryRejected(
            "'extraction' must be {index, leaf_hash} of the extraction.recorded entry reviewed"
        )
    _seen(body)
    _text(body, "note", required=False)
    value = body.get("value")
    if body["decision"] in ("corrected", "added"):
        if not isinstance(value, dict):
            raise EntryRejected("a corrected or added claim needs its 'value'")
        _text(value, "speaker", limit=300)
        _one_of(value, "speaker_type", SPEAKER_TYPES)
        _text(value, "verb", required=False, limit=100)
        _text(value, "via", required=False, limit=300)
        for name in ("start", "end"):
            if not isinstance(value.get(name), int) or isinstance(value.get(name), bool) or value[name] < 0:
                raise EntryRejected(f"value.{name} must be a character offset in the report's text")
        if value["start"] >= value["end"]:
            raise EntryRejected("the claim's span must not be empty: start must be before end")
        if not isinstance(value.get("asserts"), bool):
            raise EntryRejected("value.asserts must be true (the speaker asserts) or false (denies)")
    elif value is not None:
        raise EntryRejected(f"a claim {body['decision']} carries no 'value'")
