"""The pure rule engine, event by event."""

from __future__ import annotations

import hashlib

import pytest

from athar.custody.events import build_entry, decode_event
from athar.custody.models import ActorRef, ExhibitState
from athar.custody.rules import apply_event
from athar.errors import CustodyRuleViolation
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Signer

INV = Signer.from_seed("inv", hashlib.sha256(b"inv").digest())
LAB = Signer.from_seed("lab", hashlib.sha256(b"lab").digest())
CUS = Signer.from_seed("cus", hashlib.sha256(b"cus").digest())
ADM = Signer.from_seed("adm", hashlib.sha256(b"adm").digest())
REV = Signer.from_seed("rev", hashlib.sha256(b"rev").digest())
ACTORS = {INV.vkey: ActorRef(INV.vkey, "inv", roles=frozenset({"investigator"})),
          LAB.vkey: ActorRef(LAB.vkey, "lab", roles=frozenset({"lab"})),
          CUS.vkey: ActorRef(CUS.vkey, "cus", roles=frozenset({"custodian"})),
          ADM.vkey: ActorRef(ADM.vkey, "adm", roles=frozenset({"admin"})),
          REV.vkey: ActorRef(REV.vkey, "rev", roles=frozenset({"reviewer"}))}
BY_ID = {a.actor_id: a for a in ACTORS.values()}


class Chain:
    """A tiny in-memory sequencer running the rules."""

    def __init__(self) -> None:
        self.states: dict[str, ExhibitState] = {}
        self.n = 0

    def do(self, action: str, code: str, signer: Signer, at: str, **public: object) -> str:
        head = None if action == "registered" else self.states.get(code, None)
        prev = head.head if head else ("0" * 64 if action != "registered" else None)
        entry, _ = build_entry(action, code, prev, signer, at=at, public=public or None)
        data = entry.to_bytes()
        ev = decode_event(entry, self.n, leaf_hash(data))
        self.states.update(apply_event(ev, ACTORS[signer.vkey], self.states.get, BY_ID.get))
        self.n += 1
        return ev.leaf_hash


def t(h: int) -> str:
    return f"2024-01-01T{h:02d}:00:00Z"


@pytest.fixture
def chain() -> Chain:
    c = Chain()
    c.do("registered", "S", INV, t(0), exhibit_kind="physical", parent=None)
    return c


def test_handover_needs_receipt(chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    chain.do("handed_over", "S", INV, t(2), to="lab")
    assert chain.states["S"].holder == "inv" and chain.states["S"].pending_to == "lab"
    with pytest.raises(CustodyRuleViolation, match="only 'received'"):
        chain.do("stored", "S", INV, t(3))
    chain.do("received", "S", LAB, t(3))
    assert chain.states["S"].holder == "lab" and chain.states["S"].pending_to is None


def test_receipt_only_by_named_receiver(chain: Chain) -> None:
    chain.do("handed_over", "S", INV, t(1), to="cus")
    with pytest.raises(CustodyRuleViolation, match="only they may record receipt"):
        chain.do("received", "S", LAB, t(2))


def test_sealed_and_received_must_be_checked_before_opening(chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    chain.do("handed_over", "S", INV, t(2), to="lab")
    chain.do("received", "S", LAB, t(3))
    with pytest.raises(CustodyRuleViolation, match="seal_checked before opening"):
        chain.do("opened", "S", LAB, t(4), seal_status="intact")
    chain.do("seal_checked", "S", LAB, t(4), seals=["A"], status="intact")
    chain.do("opened", "S", LAB, t(5), seal_status="intact")
    assert chain.states["S"].seals == () and not chain.states["S"].broken_seal


def test_broken_or_mismatched_seal_flags_for_good(chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    chain.do("seal_checked", "S", INV, t(2), seals=["B"], status="intact")
    assert chain.states["S"].broken_seal
    chain.do("sealed", "S", INV, t(3), seals=["C"])
    assert chain.states["S"].broken_seal


def test_split_needs_open_and_creates_children(chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    with pytest.raises(CustodyRuleViolation, match=r"record opened \(with the seals' state\) "
                       "before splitting"):
        chain.do("split", "S", INV, t(2), portions=[{"code": "S-1"}])
    chain.do("opened", "S", INV, t(2), seal_status="intact")
    chain.do("split", "S", INV, t(3), portions=[{"code": "S-1"}, {"code": "S-2"}])
    assert chain.states["S"].children == ("S-1", "S-2")
    assert chain.states["S-1"].parent_id == "S" and chain.states["S-1"].holder == "inv"
    assert chain.states["S-1"].head == chain.states["S"].head
    with pytest.raises(CustodyRuleViolation, match="already an exhibit"):
        chain.do("split", "S", INV, t(4), portions=[{"code": "S-1"}])


def test_analysed_needs_lab_and_a_result(chain: Chain) -> None:
    chain.do("handed_over", "S", INV, t(1), to="lab")
    chain.do("received", "S", LAB, t(2))
    with pytest.raises(CustodyRuleViolation, match="closed container"):
        chain.do("analysed", "S", LAB, t(3), result="R", method="GC-MS")
    chain.do("opened", "S", LAB, t(3), seal_status="none")
    with pytest.raises(CustodyRuleViolation, match="not registered"):
        chain.do("analysed", "S", LAB, t(3), result="R", method="GC-MS")
    blob = {"sha256": "a" * 64, "size": 1, "media_type": "text/plain"}
    chain.do("registered", "R", LAB, t(3), exhibit_kind="report", parent="S", blob=blob)
    chain.do("analysed", "S", LAB, t(4), result="R", method="GC-MS")
    with pytest.raises(CustodyRuleViolation, match="needs one of: lab"):
        chain.do("analysed", "S", INV, t(5), result="R", method="GC-MS")


def test_nothing_after_destroyed_and_time_is_monotone(chain: Chain) -> None:
    with pytest.raises(CustodyRuleViolation, match="backwards"):
        chain.do("stored", "S", INV, "2023-12-31T23:59:59Z")
    chain.do("destroyed", "S", INV, t(1), method="incineration")
    with pytest.raises(CustodyRuleViolation, match="destroyed"):
        chain.do("stored", "S", INV, t(2))


def test_unverified_party_only_when_nobody_holds_it(chain: Chain) -> None:
    with pytest.raises(CustodyRuleViolation, match="held by inv"):
        chain.do("received_from_unverified_party", "S", LAB, t(1))
    chain.do("returned", "S", INV, t(1))
    with pytest.raises(CustodyRuleViolation, match="nobody in Athar holds"):
        chain.do("stored", "S", INV, t(2))
    chain.do("received_from_unverified_party", "S", LAB, t(2))
    assert chain.states["S"].holder == "lab" and chain.states["S"].unverified_prior


def test_state_json_round_trip(chain: Chain) -> None:
    st = chain.states["S"]
    assert ExhibitState.from_json(st.to_json()) == st
