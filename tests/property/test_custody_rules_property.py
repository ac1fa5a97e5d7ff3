"""The custody rules against an independent reference, and the server against the offline replay.

Random sequences of custody events (every action, by actors with and without
the right roles, at times in order, a year ahead by a typo, or in the past;
hand-overs to unregistered actors; corrections voiding recent, older, already
voided or unvoidable events) go through the real pure rules
(:func:`athar.custody.rules.apply_event`) and through
``tests/property/custody_reference.py``, which keeps every event and replays the
events in force from scratch. Both must accept and refuse the same events and
end in the same states. A second property appends the same kind of sequence to
a real :class:`~athar.log.server.Log` with the :class:`CustodyHook` and checks
that the offline replay (:func:`athar.custody.verify.verify_chain`) of its
entries finds the same states and no error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athar.custody.blobstore.memory import MemoryBlobStore
from athar.custody.events import build_entry, decode_event
from athar.custody.hook import CustodyHook
from athar.custody.models import ActorRef, ExhibitState
from athar.custody.rules import UNDO_DEPTH, apply_event
from athar.custody.service import CustodyService
from athar.custody.verify import verify_chain
from athar.errors import AtharError
from athar.ledger.entry import Entry
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Signer
from athar.log.server import Log
from athar.store.db import connect

from .custody_reference import DEPTH, ROLES, Ev, Reference, Refused, State

SIGNERS = {a: Signer.from_seed(a, hashlib.sha256(a.encode()).digest()) for a in ROLES}
REFS = {a: ActorRef(s.vkey, a, a, frozenset(ROLES[a])) for a, s in SIGNERS.items()}
BY_ID = {a: ActorRef("", a, a, frozenset(ROLES[a])) for a in ROLES}
ACTORS = sorted(ROLES)
BLOB = {"sha256": "ab" * 32, "size": 3, "media_type": "text/plain"}
ACTIONS = ["collected", "sealed", "seal_checked", "handed_over", "received", "opened", "split",
           "analysed", "stored", "returned", "destroyed", "note",
           "received_from_unverified_party", "correction", "correction", "correction",
           "received", "received", "received", "opened", "split", "split", "analysed",
           "analysed"]

step = st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7),
                 st.sampled_from([*ACTORS, "@holder", "@holder", "@holder", "@holder",
                                  "@receiver", "@receiver"]),
                 st.integers(0, 11), st.sampled_from([0, 0, 0, 0, 0, 1, 2]))
"""(action, which exhibit, who: an actor, the holder or the awaited receiver, a variant of
the action's fields, the time: in order, a typo years ahead, or in the past)."""

Submit = Callable[[str, str, str, str, dict[str, Any]], str]
"""(code, action, actor, at, public) -> the accepted event's leaf hash; raises AtharError."""


def test_the_reference_keeps_the_same_depth() -> None:
    assert DEPTH == UNDO_DEPTH


def _time(minute: int, kind: int) -> str:
    year = {0: 2024, 1: 2030, 2: 2023}[kind]
    return f"{year}-01-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00Z"


def _public(action: str, v: int, ref: Reference, code: str) -> tuple[dict[str, Any], Ev | None]:
    if action == "sealed":
        return {"seals": [["A"], ["B"], ["A", "B"]][v % 3]}, None
    if action == "seal_checked":
        return {"seals": [["A"], ["B"]][v % 2], "status": ["intact", "broken"][v // 2 % 2]}, None
    if action == "handed_over":
        return {"to": [*ACTORS, "ghost"][v % 6]}, None
    if action == "opened":
        return {"seal_status": ["intact", "broken", "none"][v % 3]}, None
    if action == "split":
        codes = [f"P{v % 4}"] + ([f"P{(v + 1) % 4}"] if v % 2 else [])
        return {"portions": [{"code": c} for c in codes]}, None
    if action == "analysed":
        return {"result": ["R", "S"][v % 2], "method": "GC-MS"}, None
    if action == "destroyed":
        return {"method": "burnt"}, None
    if action == "correction":
        chain = ref.chains[code]
        target = chain[-1 - v % min(len(chain), 3)]
        return {"voids": target, "reason": "other"}, target
    return {}, None


def _same(real: ExhibitState, ref: State) -> None:
    assert (real.holder, real.pending_to, list(real.seals), real.broken_seal, real.destroyed,
            real.opened, real.void, list(real.children), real.unverified_prior,
            real.received_since_seal_check) == \
        (ref.holder, ref.pending, ref.seals, ref.broken, ref.destroyed, ref.opened, ref.void,
         ref.children, ref.unverified, ref.received_unchecked), real.exhibit_id


def _run(steps: list[tuple[str, int, str, int, int]], submit: Submit,
         states: Callable[[], dict[str, ExhibitState]] | None = None) -> Reference:
    ref = Reference()
    leaf_of: dict[int, str] = {}
    for code, kind, actor, public in (("S", "physical", "lab", {"exhibit_kind": "physical",
                                                                 "parent": None}),
                                      ("R", "digital", "lab", {"exhibit_kind": "digital",
                                                               "parent": None, "blob": BLOB})):
        leaf = submit(code, "registered", actor, _time(0, 0), public)
        ref.register(code, kind, actor, _time(0, 0))
        leaf_of[ref.chains[code][0].n] = leaf
    minute = 1
    for action, pick, actor, v, tkind in steps:
        codes = sorted(c for c in ref.chains if c != "R")
        code = codes[pick % len(codes)]
        if actor.startswith("@"):
            now = ref.state(code)
            wants = actor == "@receiver" or action == "received"
            actor = (now.pending if wants else None) or now.holder or "inv"
        at = _time(minute, tkind)
        minute += 1
        public, target = _public(action, v, ref, code)
        try:
            expected: Ev | None = ref.submit(code, action, actor, at, **public)
        except Refused:
            expected = None
        if target is not None:
            public = {**public, "voids": leaf_of[target.n]}
        try:
            got: str | None = submit(code, action, actor, at, public)
        except AtharError:
            got = None
        assert (got is not None) == (expected is not None), (code, action, actor, at, public)
        if expected is not None and got is not None:
            leaf_of[expected.n] = got
        if states is not None:
            now = states()
            for c in ref.chains:
                _same(now[c], ref.state(c))
    return ref


def _pure() -> tuple[Submit, dict[str, ExhibitState]]:
    states: dict[str, ExhibitState] = {}

    def submit(code: str, action: str, actor: str, at: str, public: dict[str, Any]) -> str:
        prev = None if action == "registered" else states[code].head
        entry, _ = build_entry(action, code, prev, SIGNERS[actor], at=at, public=public)
        ev = decode_event(entry, 0, leaf_hash(entry.to_bytes()))
        states.update(apply_event(ev, REFS[actor], states.get, BY_ID.get))
        return ev.leaf_hash

    return submit, states


@settings(max_examples=1000, deadline=None)
@given(steps=st.lists(step, min_size=1, max_size=40))
def test_the_rules_accept_and_refuse_what_the_reference_does(steps: list) -> None:
    submit, states = _pure()
    _run(steps, submit, lambda: states)


def test_the_typo_story_through_the_reference_and_the_rules() -> None:
    """A 2030 typo, refused follow-ups, a correction, and the exhibit goes on."""
    steps = [("sealed", 0, "lab", 0, 0), ("handed_over", 0, "lab", 1, 1),
             ("received", 0, "cus", 0, 0), ("correction", 0, "cus", 0, 0),
             ("correction", 0, "lab", 0, 0), ("handed_over", 0, "lab", 1, 0),
             ("received", 0, "cus", 0, 0), ("handed_over", 0, "cus", 3, 0),
             ("received", 0, "lab", 0, 0), ("seal_checked", 0, "lab", 0, 0),
             ("opened", 0, "lab", 0, 0), ("analysed", 0, "lab", 0, 0)]
    submit, states = _pure()
    ref = _run(steps, submit, lambda: states)
    assert [e.action for e in ref.chains["S"]] == [
        "registered", "sealed", "handed_over", "correction", "handed_over", "received",
        "handed_over", "received", "seal_checked", "opened", "analysed"]
    assert states["S"].holder == "lab"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_server_and_offline_replay_agree(tmp_path_factory: pytest.TempPathFactory,
                                         steps: list) -> None:
    path = tmp_path_factory.mktemp("custody") / "log.db"
    log = Log(connect(f"sqlite:///{path}"), Signer.from_seed("log", bytes(32)), "test/custody")
    log.register_hook(CustodyHook(timedelta(days=365 * 100)))  # let the typos in
    log.start()
    try:
        adm = SIGNERS["adm"]
        for actor, signer in sorted(SIGNERS.items(), key=lambda kv: kv[0] != "adm"):
            log.append(Entry.create("actor.registered", {
                "actor_id": actor, "name": actor, "actor_type": "person",
                "vkey": signer.vkey, "roles": sorted(ROLES[actor])}, adm))
        svc = CustodyService(log, MemoryBlobStore())
        submit_pure, pure = _pure()

        def submit(code: str, action: str, actor: str, at: str, public: dict[str, Any]) -> str:
            prev = None if action == "registered" else svc.state(code).head
            entry, _ = build_entry(action, code, prev, SIGNERS[actor], at=at, public=public)
            try:
                submit_pure(code, action, actor, at, public)
            except AtharError:
                pure_ok = False
            else:
                pure_ok = True
            try:
                res = log.append(entry)
            except AtharError:
                assert not pure_ok, (code, action, public)
                raise
            assert pure_ok and not res.duplicate, (code, action, public)
            return res.leaf_hash.hex()

        ref = _run(steps, submit)
        codes = sorted(ref.chains)
        server = {c: svc.state(c) for c in codes}
        assert server == {c: pure[c] for c in codes}
        parts = svc.gather(codes)
        report = verify_chain(parts.entries, parts.checkpoint.checkpoint, parts.exhibits)
        assert report.intact, [f.message for f in report.findings if f.severity == "error"]
        assert {c: report.states[c] for c in codes} == server
    finally:
        log.close()
