"""The custody rule engine: pure, shared by the sequencing hook and the offline verifier.

:func:`apply_event` takes an exhibit's state (through a lookup), one decoded
event and the acting actor, and either returns the new states or raises
:class:`athar.errors.CustodyRuleViolation` saying what is wrong and what to do.

Rules:

* the chain is linear: ``prev`` must be the exhibit's latest event (this also
  refuses replayed or forked events);
* nothing follows ``destroyed``; event times never go backwards;
* only the current holder may collect, seal, seal-check, hand over, open,
  split, analyse, store, return or destroy;
* a hand-over is complete only when the named receiver records ``received``;
  until then only ``received`` (by that receiver) or a ``note`` may follow;
* a sealed exhibit received since its seals were last checked must be
  ``seal_checked`` before it is opened, and seals must be gone before a split;
* a broken seal (or seal numbers that differ from those applied) flags the
  exhibit from then on;
* ``received_from_unverified_party`` is allowed only when nobody in Athar holds
  the exhibit (or the author already does), and flags the exhibit;
* ``analysed`` is recorded by a lab and links a registered result exhibit;
  a physical exhibit is analysed or split only once ``opened``, and opening
  records the seals found (``intact``, ``broken`` — a finding — or ``none``);
* ``handed_over`` names a registered actor holding a custody role;
* ``correction`` voids the exhibit's latest event still in force (see below).

Voiding. A ``correction`` names the leaf hash of the event it voids, with a
public reason code. The exhibit's state afterwards is what replaying its
events without the voided ones gives. So that the rules stay one pure function
with bounded memory (the offline verifier keeps states, not histories), a
correction may void only the latest event still in force: every event recorded
after it depends on a state that included it, so those must be voided first,
latest first (voiding a hand-over that a receipt followed is refused until the
receipt is voided). The state keeps an undo record for each of its latest
:data:`UNDO_DEPTH` events in force (the fields the event changed, with their
earlier values, and the time before it); voiding the latest restores the state
before it, which equals the replay without it. The voided event's author or an
admin may void it; a registration or a correction cannot be voided; a split
can be voided while its portions have no events of their own (the portions
become void: their codes stay used and nothing may follow). The correction's
own time is judged against the state without the voided event, so an event
dated years ahead by a typo can be voided and the exhibit goes on.

The server also refuses events dated more than the configured skew ahead of its
clock (:func:`check_not_ahead`, called by the hook only: the offline verifier
has no trustworthy "now").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from athar.custody.events import format_time, parse_time
from athar.custody.models import WRITER_ROLES, ActorRef, CustodyEvent, ExhibitState, Undo
from athar.errors import CustodyRuleViolation

__all__ = ["HOLDER_ACTIONS", "UNDO_DEPTH", "ActorLookup", "Lookup", "actor_key", "apply_event",
           "check_not_ahead"]

Lookup = Callable[[str], ExhibitState | None]
ActorLookup = Callable[[str], ActorRef | None]
"""An actor id's registration (roles; ``vkey`` may be empty), None if not registered."""
UNDO_DEPTH = 4
"""How many of an exhibit's latest events in force a correction can void, latest first."""

HOLDER_ACTIONS = frozenset({
    "collected", "sealed", "seal_checked", "handed_over", "opened", "split",
    "analysed", "stored", "returned", "destroyed",
})
_NOTE_ROLES = WRITER_ROLES | {"reviewer"}
_UNDONE = ("holder", "seals", "sealed_since_receipt", "received_since_seal_check", "pending_to",
           "pending_from", "broken_seal", "unverified_prior", "destroyed", "opened", "children")
"""The fields an event of the exhibit itself can change (besides head, last_at, events)."""


def replace(st: ExhibitState, **changes: Any) -> ExhibitState:
    """A copy of ``st`` with ``changes`` (a fast ``dataclasses.replace`` for trusted fields)."""
    out = object.__new__(ExhibitState)
    out.__dict__.update(st.__dict__)
    out.__dict__.update(changes)
    return out


def _before(a: str, b: str) -> bool:
    """True when time ``a`` is earlier than ``b`` (both validated RFC 3339 UTC)."""
    if len(a) == len(b):
        return a < b  # same layout: lexical order is time order
    return parse_time(a) < parse_time(b)


def actor_key(actor: ActorRef) -> str:
    """The identity custody is held under: the actor id, else the key itself."""
    return actor.actor_id or actor.vkey


def _fail(msg: str, ev: CustodyEvent) -> CustodyRuleViolation:
    return CustodyRuleViolation(msg, exhibit=ev.exhibit_id, kind=ev.kind)


def check_not_ahead(ev: CustodyEvent, now: datetime, skew: timedelta) -> None:
    """Refuse ``ev`` when its time is more than ``skew`` after ``now`` (the server's clock)."""
    ahead = parse_time(ev.at) - now
    if ahead > skew:
        raise _fail(f"event time {ev.at} is {_span(ahead)} ahead of the server's clock "
                    f"({format_time(now.replace(microsecond=0))}); at most {_span(skew)} is "
                    "allowed: check the date", ev)


def _span(d: timedelta) -> str:
    mins = int(d.total_seconds() // 60)
    if mins >= 2 * 24 * 60:
        return f"{mins // (24 * 60)} days"
    return f"{mins // 60} h {mins % 60} min" if mins >= 60 else f"{mins} min"


def _check_actor(ev: CustodyEvent, actor: ActorRef) -> None:
    if actor.revoked:
        raise _fail(f"key {actor.vkey.split('+')[0]} is revoked; sign with a current key", ev)
    roles = _NOTE_ROLES if ev.action in ("note", "correction") else WRITER_ROLES
    if ev.action == "analysed":
        roles = frozenset({"lab"})
    if not actor.roles & roles:
        have = ", ".join(sorted(actor.roles)) or "none"
        raise _fail(
            f"actor {actor.label} (roles: {have}) may not record {ev.action}; "
            f"that needs one of: {', '.join(sorted(roles))}", ev)


def _register(ev: CustodyEvent, who: str, get: Lookup) -> dict[str, ExhibitState]:
    if get(ev.exhibit_id) is not None:
        raise _fail(f"exhibit {ev.exhibit_id} is already registered; choose another code", ev)
    parent = ev.body.get("parent")
    if parent is not None and get(parent) is None:
        raise _fail(f"parent exhibit {parent} is not registered; register it first", ev)
    st = ExhibitState(ev.exhibit_id, ev.body["exhibit_kind"], ev.leaf_hash, ev.at, who,
                      parent_id=parent)
    return {ev.exhibit_id: st}


def _check_link(ev: CustodyEvent, st: ExhibitState) -> None:
    if ev.prev != st.head:
        raise _fail(
            f"prev does not name exhibit {ev.exhibit_id}'s latest event ({st.head[:16]}…): "
            "the event is replayed or stale; fetch the latest event and sign again", ev)
    if st.void:
        raise _fail(f"exhibit {ev.exhibit_id} is void (the split that made it was voided); "
                    "nothing may follow", ev)


def _check_common(ev: CustodyEvent, st: ExhibitState, who: str) -> None:
    _check_link(ev, st)
    if st.destroyed:
        raise _fail(f"exhibit {ev.exhibit_id} was destroyed; nothing may follow", ev)
    if _before(ev.at, st.last_at):
        raise _fail(f"event time {ev.at} is before the exhibit's latest event "
                    f"({st.last_at}); times never go backwards", ev)
    if st.pending_to is not None and ev.action not in ("received", "note"):
        raise _fail(f"exhibit {ev.exhibit_id} was handed over to {st.pending_to}, who has "
                    "not recorded receipt; only 'received' by them may follow", ev)
    if ev.action in HOLDER_ACTIONS:
        if st.holder is None:
            raise _fail(f"nobody in Athar holds exhibit {ev.exhibit_id}; record "
                        "received_from_unverified_party first", ev)
        if st.holder != who:
            raise _fail(f"only the current holder ({st.holder}) may record {ev.action} "
                        f"for exhibit {ev.exhibit_id}", ev)


def _seal_check(ev: CustodyEvent, st: ExhibitState) -> ExhibitState:
    checked = tuple(ev.body["seals"])
    if not st.seals and st.unverified_prior and ev.body["status"] == "intact":
        return replace(st, seals=checked, received_since_seal_check=False)
    broken = ev.body["status"] == "broken" or set(checked) != set(st.seals)
    if broken:
        return replace(st, seals=(), broken_seal=True, received_since_seal_check=False)
    return replace(st, received_since_seal_check=False)


def _need_open(ev: CustodyEvent, st: ExhibitState, doing: str) -> None:
    if st.seals:
        raise _fail(f"exhibit {ev.exhibit_id} is sealed ({', '.join(st.seals)}); "
                    f"record opened (with the seals' state) before {doing} it", ev)
    if st.kind == "physical" and not st.opened:
        raise _fail(f"exhibit {ev.exhibit_id} is a closed container; record opened "
                    f"(with the seals' state) before {doing} it", ev)


def _open(ev: CustodyEvent, st: ExhibitState) -> ExhibitState:
    status = ev.body["seal_status"]
    if st.seals and status == "none":
        raise _fail(f"exhibit {ev.exhibit_id} is sealed ({', '.join(st.seals)}); say whether "
                    "the seals were intact or broken when it was opened", ev)
    if not st.seals and status == "intact":
        raise _fail(f"no seals are recorded on exhibit {ev.exhibit_id}; its seal status on "
                    "opening is none (or broken, if a seal not recorded here was broken)", ev)
    if st.seals and st.received_since_seal_check:
        raise _fail(f"exhibit {ev.exhibit_id} is sealed and was received since its seals "
                    "were last checked; record seal_checked before opening it", ev)
    return replace(st, seals=(), opened=True,
                   broken_seal=st.broken_seal or status == "broken")


def _hand_over(ev: CustodyEvent, st: ExhibitState, who: str,
               actors: ActorLookup) -> ExhibitState:
    to = ev.body["to"]
    if to == who:
        raise _fail("an actor cannot hand an exhibit over to themselves", ev)
    receiver = actors(to)
    if receiver is None:
        raise _fail(f"no actor {to!r} is registered; hand over only to a registered actor "
                    "(see `athar actors list`)", ev)
    if not receiver.roles & WRITER_ROLES:
        have = ", ".join(sorted(receiver.roles)) or "none"
        raise _fail(f"actor {to} (roles: {have}) holds no custody role; hand over to one of: "
                    f"{', '.join(sorted(WRITER_ROLES))}", ev)
    return replace(st, pending_to=to, pending_from=who)


def _split(ev: CustodyEvent, st: ExhibitState, who: str,
           get: Lookup) -> dict[str, ExhibitState]:
    _need_open(ev, st, "splitting")
    out: dict[str, ExhibitState] = {}
    codes = [p["code"] for p in ev.body["portions"]]
    for code in codes:
        if code == ev.exhibit_id or get(code) is not None:
            raise _fail(f"portion code {code} is already an exhibit; choose another code", ev)
        out[code] = ExhibitState(code, st.kind, ev.leaf_hash, ev.at, who,
                                 parent_id=ev.exhibit_id, broken_seal=st.broken_seal,
                                 unverified_prior=st.unverified_prior)
    out[ev.exhibit_id] = replace(st, children=st.children + tuple(codes))
    return out


def _transition(ev: CustodyEvent, st: ExhibitState, who: str, get: Lookup,
                actors: ActorLookup) -> dict[str, ExhibitState]:
    a = ev.action
    if a == "sealed":
        seals = st.seals + tuple(s for s in ev.body["seals"] if s not in st.seals)
        return {st.exhibit_id: replace(st, seals=seals, opened=False,
                                       received_since_seal_check=False)}
    if a == "seal_checked":
        return {st.exhibit_id: _seal_check(ev, st)}
    if a == "handed_over":
        return {st.exhibit_id: _hand_over(ev, st, who, actors)}
    if a == "received":
        if st.pending_to is None:
            raise _fail(f"exhibit {ev.exhibit_id} was not handed over; the holder records "
                        "handed_over first", ev)
        if who != st.pending_to:
            raise _fail(f"exhibit {ev.exhibit_id} was handed over to {st.pending_to}; "
                        "only they may record receipt", ev)
        giver = ev.body.get("from")
        if giver is not None and giver != st.pending_from:
            raise _fail(f"'from' is {giver} but {st.pending_from} handed it over", ev)
        return {st.exhibit_id: replace(st, holder=who, pending_to=None, pending_from=None,
                                       received_since_seal_check=bool(st.seals))}
    if a == "opened":
        return {st.exhibit_id: _open(ev, st)}
    if a == "split":
        return _split(ev, st, who, get)
    if a == "analysed":
        _need_open(ev, st, "analysing")
        result = get(ev.body["result"])
        if result is None:
            raise _fail(f"result exhibit {ev.body['result']} is not registered; register "
                        "the lab's result file first", ev)
        if result.kind == "physical":
            raise _fail("the result of an analysis must be a file or report exhibit", ev)
        return {st.exhibit_id: st}
    if a == "returned":
        return {st.exhibit_id: replace(st, holder=None)}
    if a == "destroyed":
        return {st.exhibit_id: replace(st, destroyed=True, holder=None, seals=())}
    if a == "received_from_unverified_party":
        if st.holder is not None and st.holder != who:
            raise _fail(f"exhibit {ev.exhibit_id} is held by {st.holder} in Athar; "
                        "a hand-over is the way to take it", ev)
        return {st.exhibit_id: replace(st, holder=who, unverified_prior=True,
                                       received_since_seal_check=bool(st.seals))}
    return {st.exhibit_id: st}  # collected, stored, note


def _undo_record(ev: CustodyEvent, who: str, st: ExhibitState, after: ExhibitState) -> Undo:
    changes: dict[str, Any] = {"last_at": st.last_at}
    for name in _UNDONE:
        old = getattr(st, name)
        if old != getattr(after, name):
            changes[name] = list(old) if isinstance(old, tuple) else old
    return Undo(ev.leaf_hash, who, ev.action, changes)


def _restore(st: ExhibitState, undo: Undo) -> ExhibitState:
    """The state before ``undo``'s event, from ``st``: the state after it (and nothing since)."""
    return replace(st, **{k: tuple(v) if isinstance(v, list) else v
                          for k, v in undo.changes.items()})


def _correct(ev: CustodyEvent, st: ExhibitState, who: str, actor: ActorRef,
             get: Lookup) -> dict[str, ExhibitState]:
    _check_link(ev, st)
    target = ev.body["voids"]
    pos = next((i for i, u in enumerate(st.undo) if u.leaf == target), None)
    if pos is None:
        raise _fail(f"event {target[:16]}… cannot be voided: a correction voids one of exhibit "
                    f"{ev.exhibit_id}'s latest {UNDO_DEPTH} events still in force, latest "
                    "first; a registration, a correction or an earlier event cannot be", ev)
    top = st.undo[-1]
    if pos != len(st.undo) - 1:
        raise _fail(f"event {target[:16]}… ({st.undo[pos].action}) is followed by "
                    f"{top.action} ({top.leaf[:16]}…), still in force and recorded on the "
                    "state it made; void that one first (latest first)", ev)
    if who != top.who and "admin" not in actor.roles:
        raise _fail(f"only the actor who recorded the {top.action} ({top.who}) or an admin "
                    "may void it", ev)
    before = _restore(st, top)
    if _before(ev.at, before.last_at):
        raise _fail(f"event time {ev.at} is before the exhibit's latest event in force "
                    f"({before.last_at}); times never go backwards", ev)
    out: dict[str, ExhibitState] = {}
    if top.action == "split":
        for code in st.children[len(before.children):]:
            portion = get(code)
            if portion is None:
                continue
            if portion.events > 1:
                raise _fail(f"portion {code} has events of its own; a split can be voided "
                            "only while its portions have none", ev)
            out[code] = replace(portion, void=True, holder=None, head=ev.leaf_hash,
                                last_at=ev.at, events=portion.events + 1)
    out[ev.exhibit_id] = replace(before, head=ev.leaf_hash, last_at=ev.at,
                                 events=st.events + 1, undo=st.undo[:-1])
    return out


def apply_event(ev: CustodyEvent, actor: ActorRef, get: Lookup,
                actors: ActorLookup) -> dict[str, ExhibitState]:
    """Check ``ev`` by ``actor`` against the custody rules and return the changed states.

    ``get`` looks exhibits up by code, ``actors`` actors by id (a hand-over's
    receiver). Raises CustodyRuleViolation (never anything else for a
    well-formed event). Every returned state has ``head``/``last_at`` moved to
    this event, except other exhibits it only reads (e.g. an analysis result).
    """
    _check_actor(ev, actor)
    who = actor_key(actor)
    if ev.action == "registered":
        return _register(ev, who, get)
    st = get(ev.exhibit_id)
    if st is None:
        raise _fail(f"no exhibit {ev.exhibit_id} is registered; register it first", ev)
    if ev.action == "correction":
        return _correct(ev, st, who, actor, get)
    _check_common(ev, st, who)
    changed = _transition(ev, st, who, get, actors)
    own = changed[ev.exhibit_id]
    undo = (*st.undo, _undo_record(ev, who, st, own))
    changed[ev.exhibit_id] = replace(own, head=ev.leaf_hash, last_at=ev.at,
                                     events=own.events + 1, undo=undo[-UNDO_DEPTH:])
    return changed
