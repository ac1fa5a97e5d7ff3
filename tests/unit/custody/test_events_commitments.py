"""Event bodies and salted commitments."""

from __future__ import annotations

import pytest

from athar.custody.commitments import (
    Disclosure,
    commit,
    commitment_of,
    verify_disclosure,
)
from athar.custody.events import build_entry, format_time, parse_time, validate_body
from athar.errors import EntryRejected, VerificationError
from athar.ledger.entry import Entry
from athar.ledger.note import Signer

S = Signer.generate("tester")


def test_private_fields_become_commitments() -> None:
    entry, openings = build_entry("stored", "S-1", "a" * 64, S, at="2024-01-01T00:00:00Z",
                                  private={"location": "cold room 3"})
    assert b"cold room" not in entry.to_bytes()
    (o,) = openings
    assert entry.body["commit"]["location"] == o.commitment == commitment_of(o.value, o.salt)
    assert Entry.from_bytes(entry.to_bytes()) == entry


def test_disclosure_round_trip_and_tamper() -> None:
    o = commit("location", {"lat": 1.5, "lon": 2})
    body = {"commit": {"location": o.commitment}}
    d = Disclosure("b" * 64, "location", o.value, o.salt)
    assert Disclosure.from_bytes(d.to_bytes()) == d
    verify_disclosure(d, body)
    with pytest.raises(VerificationError):
        verify_disclosure(Disclosure("b" * 64, "location", {"lat": 1.5, "lon": 3}, o.salt), body)
    with pytest.raises(VerificationError):
        Disclosure.from_bytes(d.to_bytes().replace(b'"field"', b' "field"'))


@pytest.mark.parametrize("body,match", [
    ({"exhibit": "S", "prev": None, "at": "2024-01-01T00:00:00Z", "description": "x",
      "exhibit_kind": "physical"}, "sensitive"),
    ({"exhibit": "S", "prev": None, "at": "2024-01-01T00:00:00Z", "colour": "red",
      "exhibit_kind": "physical"}, "unknown field"),
    ({"exhibit": "../x", "prev": None, "at": "2024-01-01T00:00:00Z",
      "exhibit_kind": "physical"}, "exhibit must be a code"),
    ({"exhibit": "S", "prev": None, "at": "yesterday", "exhibit_kind": "physical"}, "RFC 3339"),
    ({"exhibit": "S", "prev": None, "at": "2024-01-01T00:00:00Z", "exhibit_kind": "digital"},
     "needs its blob"),
])
def test_bad_registered_bodies(body: dict, match: str) -> None:
    with pytest.raises(EntryRejected, match=match):
        validate_body("custody.registered", body)


def test_unknown_kind_and_bad_prev() -> None:
    with pytest.raises(EntryRejected, match="unknown custody kind"):
        validate_body("custody.teleported", {})
    with pytest.raises(EntryRejected, match="prev must be"):
        validate_body("custody.stored", {"exhibit": "S", "prev": None,
                                         "at": "2024-01-01T00:00:00Z"})


def test_time_format_round_trip() -> None:
    t = parse_time("2024-02-29T23:59:59.5Z")
    assert format_time(t) == "2024-02-29T23:59:59.500000Z"
    assert parse_time(format_time(t)) == t
    with pytest.raises(EntryRejected):
        parse_time("2023-02-29T00:00:00Z")
