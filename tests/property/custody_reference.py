"""A small reference of the custody rules, written apart from ``athar.custody.rules``.

The real engine keeps one state per exhibit and, for corrections, a bounded undo
stack. This reference keeps every event of every chain and derives an exhibit's
state by replaying, from the start, the events still in force (not voided, not
corrections): the definition the design document gives. Property tests check
that the real rules accept and refuse exactly what this reference does and end
in the same states.

Actors are fixed: ``inv`` (investigator), ``cus`` (custodian), ``lab`` (lab),
``adm`` (admin), ``rev`` (reviewer); any other id is not registered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES: dict[str, set[str]] = {"inv": {"investigator"}, "cus": {"custodian"}, "lab": {"lab"},
                              "adm": {"admin"}, "rev": {"reviewer"}}
WRITERS = {"admin", "investigator", "custodian", "lab"}
HOLDER_ONLY = {"collected", "sealed", "seal_checked", "handed_over", "opened", "split",
               "analysed", "stored", "returned", "destroyed"}
DEPTH = 4  # how many of the latest events in force stay voidable


@dataclass
class Ev:
    """One accepted event as the reference remembers it."""

    n: int
    exhibit: str
    action: str
    actor: str
    at: str
    args: dict[str, Any]
    voided: bool = False
    voidable: bool = True


@dataclass
class State:
    """What the replay of an exhibit's events in force gives."""

    kind: str
    holder: str | None
    seals: list[str] = field(default_factory=list)
    pending: str | None = None
    giver: str | None = None
    received_unchecked: bool = False
    broken: bool = False
    unverified: bool = False
    destroyed: bool = False
    opened: bool = False
    void: bool = False
    children: list[str] = field(default_factory=list)


class Refused(Exception):
    """The reference refuses the event (the reason is the message)."""


class Reference:
    """Every chain, replayed on demand."""

    def __init__(self) -> None:
        self.chains: dict[str, list[Ev]] = {}
        self.kinds: dict[str, str] = {}
        self.parent: dict[str, str] = {}
        self.inherited: dict[str, tuple[bool, bool]] = {}
        """A portion's broken-seal and unverified flags, its parent's when it was split off
        (no earlier event of the parent can be voided while the split is in force)."""
        self.n = 0

    # -- the replay --------------------------------------------------------------
    def state(self, code: str) -> State:
        chain = self.chains[code]
        first = chain[0]
        if first.action == "registered":
            s = State(self.kinds[code], first.actor)
        else:  # a portion: its chain begins with its parent's split, and inherits its flags
            broken, unverified = self.inherited[code]
            s = State(self.kinds[code], None if first.voided else first.actor,
                      broken=broken, unverified=unverified, void=first.voided)
        for ev in chain[1:]:
            if not ev.voided and ev.action != "correction":
                self._step(s, ev)
        return s

    @staticmethod
    def _step(s: State, ev: Ev) -> None:
        a, args = ev.action, ev.args
        if a == "sealed":
            s.seals += [x for x in args["seals"] if x not in s.seals]
            s.opened = s.received_unchecked = False
        elif a == "seal_checked":
            if not s.seals and s.unverified and args["status"] == "intact":
                s.seals = list(args["seals"])
            elif args["status"] == "broken" or set(args["seals"]) != set(s.seals):
                s.seals, s.broken = [], True
            s.received_unchecked = False
        elif a == "handed_over":
            s.pending, s.giver = args["to"], ev.actor
        elif a == "received":
            s.holder, s.pending, s.giver = ev.actor, None, None
            s.received_unchecked = bool(s.seals)
        elif a == "opened":
            s.seals, s.opened = [], True
            s.broken = s.broken or args["seal_status"] == "broken"
        elif a == "split":
            s.children += [p["code"] for p in args["portions"]]
        elif a == "returned":
            s.holder = None
        elif a == "destroyed":
            s.destroyed, s.holder, s.seals = True, None, []
        elif a == "received_from_unverified_party":
            s.holder, s.unverified = ev.actor, True
            s.received_unchecked = bool(s.seals)

    # -- the checks ----------------------------------------------------------------
    def register(self, code: str, kind: str, actor: str, at: str) -> None:
        """Register an exhibit (the tests register only valid ones)."""
        if code in self.chains or not ROLES.get(actor, set()) & WRITERS:
            raise Refused("registration")
        self.kinds[code] = kind
        self.chains[code] = [self._new(code, "registered", actor, at, {})]

    def _new(self, code: str, action: str, actor: str, at: str, args: dict[str, Any]) -> Ev:
        self.n += 1
        return Ev(self.n, code, action, actor, at, args)

    def submit(self, code: str, action: str, actor: str, at: str, **args: Any) -> Ev:
        """Record the event if the rules allow it; raise Refused otherwise."""
        if code not in self.chains:
            raise Refused("no such exhibit")
        roles = ROLES.get(actor, set())
        allowed = WRITERS | {"reviewer"} if action in ("note", "correction") else \
            {"lab"} if action == "analysed" else WRITERS
        if not roles & allowed:
            raise Refused("role")
        if action == "correction":
            return self._correct(code, actor, at, args)
        s = self.state(code)
        if s.void:
            raise Refused("void")
        if s.destroyed:
            raise Refused("destroyed")
        if at < self.chains[code][-1].at:
            raise Refused("backwards")
        if s.pending is not None and action not in ("received", "note"):
            raise Refused("pending")
        if action in HOLDER_ONLY and s.holder != actor:
            raise Refused("not the holder")
        self._specific(code, s, action, actor, args)
        ev = self._new(code, action, actor, at, args)
        self.chains[code].append(ev)
        if action == "split":
            for p in args["portions"]:
                self.kinds[p["code"]] = s.kind
                self.parent[p["code"]] = code
                self.inherited[p["code"]] = (s.broken, s.unverified)
                self.chains[p["code"]] = [ev]
        in_force = [e for e in self.chains[code][1:]
                    if not e.voided and e.action != "correction"]
        for old in in_force[:-DEPTH]:
            old.voidable = False
        return ev

    def _specific(self, code: str, s: State, action: str, actor: str,
                  args: dict[str, Any]) -> None:
        if action == "handed_over":
            to = args["to"]
            if to == actor or to not in ROLES or not ROLES[to] & WRITERS:
                raise Refused("receiver")
        elif action == "received":
            if s.pending != actor:
                raise Refused("not the receiver")
        elif action == "opened":
            status = args["seal_status"]
            if (s.seals and status == "none") or (not s.seals and status == "intact"):
                raise Refused("seal status")
            if s.seals and s.received_unchecked:
                raise Refused("check seals first")
        elif action in ("split", "analysed"):
            if s.seals or (s.kind == "physical" and not s.opened):
                raise Refused("closed")
            if action == "split":
                codes = [p["code"] for p in args["portions"]]
                if any(c == code or c in self.chains for c in codes):
                    raise Refused("portion code taken")
            elif self.kinds.get(args["result"], "physical") == "physical":
                raise Refused("result")
        elif action == "received_from_unverified_party":
            if s.holder is not None and s.holder != actor:
                raise Refused("held by someone")

    def _correct(self, code: str, actor: str, at: str, args: dict[str, Any]) -> Ev:
        chain = self.chains[code]
        if self.state(code).void:
            raise Refused("void")
        target: Ev = args["voids"]
        in_force = [e for e in chain[1:] if not e.voided and e.action != "correction"]
        if not in_force or in_force[-1] is not target or not target.voidable:
            raise Refused("not the latest voidable event in force")
        if actor != target.actor and "admin" not in ROLES[actor]:
            raise Refused("not the author or an admin")
        if at < chain[chain.index(target) - 1].at:
            raise Refused("backwards")
        portions = [p["code"] for p in target.args.get("portions", [])] \
            if target.action == "split" else []
        if any(len(self.chains[p]) > 1 for p in portions):
            raise Refused("portions have events")
        target.voided = True
        ev = self._new(code, "correction", actor, at, {"voids": target.n})
        chain.append(ev)
        for p in portions:
            self.chains[p].append(ev)
        return ev
