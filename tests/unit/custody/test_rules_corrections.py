"""Corrections, hand-over receivers, opening with the seals' state, the clock skew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from athar.custody.events import build_entry, decode_event
from athar.custody.models import ExhibitState
from athar.custody.rules import UNDO_DEPTH, check_not_ahead
from athar.errors import CustodyRuleViolation, EntryRejected
from athar.ledger.hashing import leaf_hash

from .test_rules import ADM, CUS, INV, LAB, REV, Chain, t

TYPO = "2030-01-01T09:00:00Z"


@pytest.fixture
def chain() -> Chain:
    c = Chain()
    c.do("registered", "S", INV, t(0), exhibit_kind="physical", parent=None)
    return c


def test_a_typo_in_the_year_is_voided_and_the_exhibit_goes_on(chain: Chain) -> None:
    chain.do("stored", "S", INV, t(1))
    typo = chain.do("stored", "S", INV, TYPO)
    with pytest.raises(CustodyRuleViolation, match="backwards"):
        chain.do("stored", "S", INV, t(2))
    chain.do("correction", "S", INV, t(2), voids=typo, reason="wrong_time")
    st = chain.states["S"]
    assert st.last_at == t(2) and st.events == 4 and len(st.undo) == 1
    chain.do("sealed", "S", INV, t(3), seals=["A"])
    assert chain.states["S"].seals == ("A",)


def test_the_correction_is_judged_without_the_voided_event_but_never_backwards(
        chain: Chain) -> None:
    chain.do("stored", "S", INV, t(5))
    typo = chain.do("stored", "S", INV, TYPO)
    with pytest.raises(CustodyRuleViolation, match="latest event in force"):
        chain.do("correction", "S", INV, t(4), voids=typo, reason="wrong_time")


def test_only_the_author_or_an_admin_may_correct(chain: Chain) -> None:
    typo = chain.do("stored", "S", INV, TYPO)
    with pytest.raises(CustodyRuleViolation, match=r"only the actor who recorded the stored \(inv\)"):
        chain.do("correction", "S", CUS, t(1), voids=typo, reason="wrong_time")
    chain.do("correction", "S", ADM, t(1), voids=typo, reason="wrong_time")
    assert chain.states["S"].last_at == t(1)


def test_a_reviewer_may_void_their_own_note_but_not_custody(chain: Chain) -> None:
    stored = chain.do("stored", "S", INV, t(1))
    note = chain.do("note", "S", REV, t(2))
    with pytest.raises(CustodyRuleViolation, match="followed by note"):
        chain.do("correction", "S", INV, t(3), voids=stored, reason="other")
    chain.do("correction", "S", REV, t(3), voids=note, reason="duplicate")
    with pytest.raises(CustodyRuleViolation, match="only the actor who recorded"):
        chain.do("correction", "S", REV, t(4), voids=stored, reason="other")


def test_voiding_a_received_handover_is_refused_until_the_receipt_is_voided(
        chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    handed = chain.do("handed_over", "S", INV, t(2), to="lab")
    received = chain.do("received", "S", LAB, t(3))
    with pytest.raises(CustodyRuleViolation, match="followed by received"):
        chain.do("correction", "S", INV, t(4), voids=handed, reason="wrong_details")
    with pytest.raises(CustodyRuleViolation, match=r"recorded the received \(lab\)"):
        chain.do("correction", "S", INV, t(4), voids=received, reason="wrong_details")
    chain.do("correction", "S", LAB, t(4), voids=received, reason="did_not_happen")
    st = chain.states["S"]
    assert st.holder == "inv" and st.pending_to == "lab"
    chain.do("correction", "S", INV, t(5), voids=handed, reason="wrong_details")
    st = chain.states["S"]
    assert st.holder == "inv" and st.pending_to is None and st.seals == ("A",)
    chain.do("handed_over", "S", INV, t(6), to="cus")
    chain.do("received", "S", CUS, t(7))
    assert chain.states["S"].holder == "cus"


def test_a_registration_a_correction_or_an_old_event_cannot_be_voided(chain: Chain) -> None:
    reg = chain.states["S"].head
    with pytest.raises(CustodyRuleViolation, match="cannot be voided"):
        chain.do("correction", "S", INV, t(1), voids=reg, reason="other")
    first = chain.do("stored", "S", INV, t(1))
    fix = chain.do("correction", "S", INV, t(2), voids=first, reason="duplicate")
    with pytest.raises(CustodyRuleViolation, match="cannot be voided"):
        chain.do("correction", "S", INV, t(3), voids=fix, reason="other")
    leaves = [chain.do("stored", "S", INV, t(3 + i)) for i in range(UNDO_DEPTH + 1)]
    with pytest.raises(CustodyRuleViolation, match="cannot be voided"):
        chain.do("correction", "S", INV, t(12), voids=leaves[0], reason="other")
    for i, leaf in enumerate(reversed(leaves[1:])):
        chain.do("correction", "S", INV, t(12 + i), voids=leaf, reason="other")
    assert chain.states["S"].undo == ()


def test_a_destroyed_exhibit_can_be_undestroyed_by_its_destroyer(chain: Chain) -> None:
    gone = chain.do("destroyed", "S", INV, t(1), method="burnt")
    chain.do("correction", "S", INV, t(2), voids=gone, reason="wrong_exhibit")
    assert not chain.states["S"].destroyed and chain.states["S"].holder == "inv"


def test_voiding_a_split_voids_its_untouched_portions(chain: Chain) -> None:
    chain.do("opened", "S", INV, t(1), seal_status="none")
    split = chain.do("split", "S", INV, t(2), portions=[{"code": "S-1"}, {"code": "S-2"}])
    chain.do("correction", "S", INV, t(3), voids=split, reason="wrong_details")
    assert chain.states["S"].children == () and chain.states["S-1"].void
    with pytest.raises(CustodyRuleViolation, match="is void"):
        chain.do("stored", "S-1", INV, t(4))
    split = chain.do("split", "S", INV, t(4), portions=[{"code": "S-3"}])
    chain.do("stored", "S-3", INV, t(5))
    with pytest.raises(CustodyRuleViolation, match="portion S-3 has events"):
        chain.do("correction", "S", INV, t(6), voids=split, reason="wrong_details")


def test_handover_only_to_a_registered_actor_with_a_custody_role(chain: Chain) -> None:
    with pytest.raises(CustodyRuleViolation, match="no actor 'nobody' is registered"):
        chain.do("handed_over", "S", INV, t(1), to="nobody")
    with pytest.raises(CustodyRuleViolation, match="holds no custody role"):
        chain.do("handed_over", "S", INV, t(1), to="rev")
    chain.do("handed_over", "S", INV, t(1), to="cus")


def test_opening_records_the_seals_found(chain: Chain) -> None:
    with pytest.raises(CustodyRuleViolation, match="no seals are recorded"):
        chain.do("opened", "S", INV, t(1), seal_status="intact")
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    with pytest.raises(CustodyRuleViolation, match="say whether the seals were intact"):
        chain.do("opened", "S", INV, t(2), seal_status="none")
    chain.do("opened", "S", INV, t(2), seal_status="broken")
    st = chain.states["S"]
    assert st.broken_seal and st.opened and st.seals == ()
    with pytest.raises(EntryRejected, match="seal_status"):
        chain.do("opened", "S", INV, t(3))


def test_a_sealed_portion_is_not_analysed_unopened(chain: Chain) -> None:
    chain.do("opened", "S", INV, t(1), seal_status="none")
    chain.do("split", "S", INV, t(2), portions=[{"code": "P"}])
    chain.do("sealed", "P", INV, t(3), seals=["P1"])
    chain.do("handed_over", "P", INV, t(4), to="lab")
    chain.do("received", "P", LAB, t(5))
    blob = {"sha256": "b" * 64, "size": 1, "media_type": "text/plain"}
    chain.do("registered", "R", LAB, t(5), exhibit_kind="report", parent="P", blob=blob)
    with pytest.raises(CustodyRuleViolation, match="is sealed"):
        chain.do("analysed", "P", LAB, t(6), result="R", method="GC-MS")
    chain.do("seal_checked", "P", LAB, t(6), seals=["P1"], status="intact")
    chain.do("opened", "P", LAB, t(7), seal_status="intact")
    chain.do("analysed", "P", LAB, t(8), result="R", method="GC-MS")


def test_correction_bodies_are_checked() -> None:
    with pytest.raises(EntryRejected, match="voids"):
        build_entry("correction", "S", "0" * 64, INV, at=t(1), public={"voids": 3,
                                                                       "reason": "other"})
    with pytest.raises(EntryRejected, match="reason"):
        build_entry("correction", "S", "0" * 64, INV, at=t(1),
                    public={"voids": "a" * 64, "reason": "because"})
    with pytest.raises(EntryRejected, match="sensitive"):
        build_entry("correction", "S", "0" * 64, INV, at=t(1),
                    public={"voids": "a" * 64, "reason": "other", "notes": "x"})


def test_state_with_undo_round_trips(chain: Chain) -> None:
    chain.do("sealed", "S", INV, t(1), seals=["A"])
    chain.do("handed_over", "S", INV, t(2), to="lab")
    st = chain.states["S"]
    assert len(st.undo) == 2
    assert ExhibitState.from_json(st.to_json()) == st


def test_events_ahead_of_the_clock_beyond_the_skew_are_refused() -> None:
    now = datetime(2024, 1, 1, 12, tzinfo=UTC)
    entry, _ = build_entry("stored", "S", "0" * 64, INV, at="2024-01-01T12:09:59Z")
    ev = decode_event(entry, 0, leaf_hash(entry.to_bytes()))
    check_not_ahead(ev, now, timedelta(minutes=10))
    entry, _ = build_entry("stored", "S", "0" * 64, INV, at=TYPO)
    ev = decode_event(entry, 0, leaf_hash(entry.to_bytes()))
    with pytest.raises(CustodyRuleViolation, match=r"2191 days ahead of the server's clock"):
        check_not_ahead(ev, now, timedelta(minutes=10))
