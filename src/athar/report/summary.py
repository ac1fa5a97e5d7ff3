"""A readable custody summary of verified exhibits, as text for people and JSON for machines.

:class:`SummaryBuilder` is an observer for
:class:`athar.custody.verify.ChainVerifier`: it sees each accepted custody
event and keeps, per exhibit, only what a reader needs (holders over time,
seals and their checks, portions, lab results) in memory proportional to the
changes, not to the bundle. The findings themselves (gaps, broken seals,
failures) are the verifier's, from the same rules the server uses;
:func:`format_text` places each beside its exhibit.

Verdicts: ``VERIFIED`` when every record holds and nothing needs review;
``VERIFIED WITH WARNINGS`` when every record holds but custody findings need a
person's review (not a failure, not clean); ``FAILED`` when a record fails.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from athar.custody.models import CustodyEvent, ExhibitState, Finding
from athar.custody.verify import ChainReport

__all__ = ["Capped", "ExhibitSummary", "SummaryBuilder", "format_text", "summary_json"]

_SHOWN = 12
_KEEP = 100
T = TypeVar("T")


class Capped(Generic[T]):
    """The first and the last ``keep`` items of a sequence, and how many there were:
    a summary of any length in bounded memory."""

    def __init__(self, keep: int = _KEEP) -> None:
        self.keep, self.total = keep, 0
        self.head: list[T] = []
        self.tail: deque[T] = deque(maxlen=keep)

    def append(self, item: T) -> None:
        """Count ``item``; keep it if it is among the first or (so far) the last ``keep``."""
        self.total += 1
        if len(self.head) < self.keep:
            self.head.append(item)
        else:
            self.tail.append(item)

    def extend(self, items: Iterable[T]) -> None:
        """Append each of ``items``."""
        for item in items:
            self.append(item)

    def last(self) -> T | None:
        """The latest item, if any."""
        return self.tail[-1] if self.tail else (self.head[-1] if self.head else None)

    @property
    def omitted(self) -> int:
        """How many items between the first and the last ``keep`` were not kept."""
        return self.total - len(self.head) - len(self.tail)

    def __iter__(self) -> Iterator[T]:
        yield from self.head
        yield from self.tail

    def __len__(self) -> int:
        return self.total


@dataclass
class ExhibitSummary:
    """What happened to one exhibit, as the verified events tell it."""

    code: str
    kind: str = ""
    parent: str | None = None
    registered_at: str = ""
    registered_by: str = ""
    blob: dict[str, Any] | None = None
    holders: Capped[tuple[str | None, str, int]] = field(default_factory=Capped)
    seals: Capped[dict[str, Any]] = field(default_factory=Capped)
    portions: Capped[str] = field(default_factory=Capped)
    results: Capped[dict[str, Any]] = field(default_factory=Capped)
    events: int = 0
    last_at: str = ""

    def to_json(self, state: ExhibitState | None,
                findings: Iterable[Finding]) -> dict[str, Any]:
        """The summary with the exhibit's final state and its findings."""
        now: dict[str, Any] = {}
        if state is not None:
            now = {"holder": state.holder, "seals": list(state.seals),
                   "broken_seal": state.broken_seal, "opened": state.opened,
                   "destroyed": state.destroyed, "pending_to": state.pending_to,
                   "unverified_prior": state.unverified_prior}
        return {
            "exhibit": self.code, "kind": self.kind, "parent": self.parent,
            "registered": {"at": self.registered_at, "by": self.registered_by},
            "blob": self.blob, "events": self.events, "last_event_at": self.last_at,
            "holders": [{"holder": h, "since": at, "index": i} for h, at, i in self.holders],
            "seals": list(self.seals), "portions": list(self.portions),
            "results": list(self.results),
            "omitted": {"holders": self.holders.omitted, "seals": self.seals.omitted,
                        "portions": self.portions.omitted, "results": self.results.omitted},
            "now": now, "findings": [f.to_json() for f in findings],
        }


class SummaryBuilder:
    """Collects :class:`ExhibitSummary` values from the verifier's accepted events.

    Holders are shown as the rules record them (actor ids); authors by their
    key's name.
    """

    def __init__(self) -> None:
        self.exhibits: dict[str, ExhibitSummary] = {}

    def __call__(self, ev: CustodyEvent, changed: Mapping[str, ExhibitState]) -> None:
        """Observe one accepted event and the states it changed."""
        by = ev.author.split("+", 1)[0]
        for code, st in changed.items():
            s = self.exhibits.get(code)
            if s is None:
                s = self.exhibits[code] = ExhibitSummary(code, st.kind, st.parent_id, ev.at, by)
            if code != ev.exhibit_id:
                if ev.action == "split":
                    s.holders.append((st.holder, ev.at, ev.index))
                    s.events += 1
                    s.last_at = ev.at
                continue
            s.events += 1
            s.last_at = ev.at
            self._event(s, ev, st, by)

    def _event(self, s: ExhibitSummary, ev: CustodyEvent, st: ExhibitState, by: str) -> None:
        a, body = ev.action, ev.body
        if a == "registered":
            blob = body.get("blob")
            s.blob = dict(blob) if isinstance(blob, dict) else None
        last = s.holders.last()
        if last is None or st.holder != last[0]:
            s.holders.append((st.holder, ev.at, ev.index))
        if a in ("sealed", "seal_checked", "opened"):
            item: dict[str, Any] = {"at": ev.at, "action": a, "by": by, "index": ev.index}
            if a != "opened":
                item["seals"] = list(body.get("seals", []))
            if a == "seal_checked":
                item["status"] = body.get("status")
            s.seals.append(item)
        elif a == "split":
            s.portions.extend(p["code"] for p in body.get("portions", []))
        elif a == "analysed":
            s.results.append({"at": ev.at, "result": body.get("result"),
                              "method": body.get("method"), "by": by, "index": ev.index})


def _by_exhibit(findings: Iterable[Finding]) -> tuple[dict[str, list[Finding]], list[Finding]]:
    per: dict[str, list[Finding]] = {}
    general: list[Finding] = []
    for f in findings:
        if f.exhibit_id is not None:
            per.setdefault(f.exhibit_id, []).append(f)
        else:
            general.append(f)
    return per, general


def summary_json(report: ChainReport, builder: SummaryBuilder | None,
                 name: str = "bundle", checkpoint: Mapping[str, Any] | None = None,
                 ) -> dict[str, Any]:
    """The machine-readable result: verdict, checkpoint, per-exhibit summaries, all findings."""
    per, general = _by_exhibit(report.findings)
    exhibits = builder.exhibits if builder is not None else {}
    codes = sorted(set(exhibits) | set(report.states))
    return {
        "bundle": name, "verdict": report.verdict, "intact": report.intact,
        "clean": report.clean, "checkpoint": dict(checkpoint or {}),
        "custody_events": report.events,
        "exhibits": [exhibits.get(c, ExhibitSummary(c)).to_json(report.states.get(c),
                                                                 per.get(c, []))
                     for c in codes],
        "findings": [f.to_json() for f in report.findings],
        "general_findings": [f.to_json() for f in general],
    }


def _escape(text: str) -> str:
    return "".join(c if c.isprintable() and not 0x2000 <= ord(c) <= 0x206F
                   else f"\\u{ord(c):04x}" for c in str(text))


def _short(at: str) -> str:
    return at.replace(":00Z", "Z") if len(at) == 20 else at


def _line(label: str, items: list[str], more: int = 0) -> str:
    tail = f" (and {more} more; --json lists up to {2 * _KEEP})" if more else ""
    return f"  {label:<10} {_escape(' → '.join(items) if label == 'holders' else '; '.join(items))}{tail}"


def _exhibit_lines(s: ExhibitSummary, st: ExhibitState | None,
                   findings: list[Finding]) -> list[str]:
    head = f"Exhibit {s.code} ({s.kind or 'unknown kind'})"
    if s.parent:
        head += f", portion of {s.parent}"
    if s.registered_at:
        head += f", registered {_short(s.registered_at)} by {s.registered_by}"
    out = [_escape(head) + f": {s.events} event(s)"]
    if s.blob:
        out.append(f"  {'file':<10} sha256 {s.blob.get('sha256')}, {s.blob.get('size')} bytes")
    hs = [f"{h or 'outside Athar'} ({_short(at)})" for h, at, _ in s.holders]
    if hs:
        more = s.holders.omitted + max(0, len(hs) - _SHOWN)
        shown = hs if len(hs) <= _SHOWN else hs[:3] + ["…"] + hs[-(_SHOWN - 4):]
        out.append(_line("holders", shown, more))
    seals = []
    for x in s.seals:
        if x["action"] == "sealed":
            seals.append(f"{', '.join(x['seals'])} applied {_short(x['at'])} by {x['by']}")
        elif x["action"] == "seal_checked":
            seals.append(f"{', '.join(x['seals'])} checked {x['status']} {_short(x['at'])} "
                         f"by {x['by']}")
        else:
            seals.append(f"opened {_short(x['at'])} by {x['by']}")
    if seals:
        out.append(_line("seals", seals[-_SHOWN:], s.seals.omitted + max(0, len(seals) - _SHOWN)))
    portions = list(s.portions)
    if portions:
        out.append(_line("portions", portions[:48],
                         s.portions.omitted + max(0, len(portions) - 48)))
    results = [f"{r['result']} ({r['method']}, {r['by']}, {_short(r['at'])})" for r in s.results]
    if results:
        out.append(_line("results", results[-_SHOWN:],
                         s.results.omitted + max(0, len(results) - _SHOWN)))
    if st is not None:
        now = [f"held by {st.holder}" if st.holder else "outside Athar's custody"]
        if st.pending_to:
            now.append(f"handed over to {st.pending_to}, receipt not recorded")
        if st.seals:
            now.append(f"sealed ({', '.join(st.seals)})")
        elif st.opened:
            now.append("open")
        if st.broken_seal:
            now.append("a seal was found broken")
        if st.destroyed:
            now.append("destroyed")
        out.append(_line("now", now))
    for f in findings:
        out.append(f"  {f.severity.upper():<10} {_escape(f.message)}")
    return out


def format_text(report: ChainReport, builder: SummaryBuilder | None, name: str = "bundle",
                checkpoint: Mapping[str, Any] | None = None) -> str:
    """The verdict line, then each exhibit's custody and findings, then bundle-wide findings.

    The first line starts with ``VERIFIED`` (every record holds, nothing to
    review), ``VERIFIED WITH WARNINGS`` (every record holds; warnings need a
    person's review) or ``FAILED``.
    """
    warnings = sum(f.severity == "warning" for f in report.findings)
    n_ex = len(report.states)
    if report.clean:
        head = (f"VERIFIED {_escape(name)}: {n_ex} exhibit(s), {report.events} custody "
                "event(s); every signature, proof and link holds; no findings to review")
    elif report.intact:
        head = (f"VERIFIED WITH WARNINGS {_escape(name)}: {n_ex} exhibit(s), {report.events} "
                f"custody event(s); every signature, proof and link holds, but {warnings} "
                "custody finding(s) need review (marked WARNING)")
    else:
        bad = sorted({f.index for f in report.findings if f.severity == "error"
                      and f.index is not None})
        shown = ", ".join(map(str, bad[:20])) + (" …" if len(bad) > 20 else "")
        which = f" (failing entries: {shown})" if bad else ""
        head = f"FAILED {_escape(name)}{which}: the bundle does not verify (marked ERROR)"
    lines = [head]
    if checkpoint:
        lines.append(_escape(f"checkpoint: {checkpoint.get('origin')}, tree size "
                             f"{checkpoint.get('size')}"))
    per, general = _by_exhibit(report.findings)
    for f in general:
        lines.append(f"  {f.severity.upper():<10} {_escape(f.message)}")
    exhibits = builder.exhibits if builder is not None else {}
    for code in sorted(set(exhibits) | set(report.states) | set(per)):
        lines.append("")
        s = exhibits.get(code, ExhibitSummary(code))
        lines += _exhibit_lines(s, report.states.get(code), per.get(code, []))
    return "\n".join(lines)
