"""English source markers and nominal attributions: 'according to X' and 'citing X' (also
inside a quotation, nested via the quoted speaker), 'claims by X that', 'the assertion that'
(the sentence subject's, or unnamed when others' claims are refuted), passive attributions
with an agent ('was blamed by X on Y') and relays ('SANA quoted X as saying'). Folded text."""

from __future__ import annotations

import re

from athar.intake.attrib_en_tags import CITING_THAT, CONDUIT, clean_speaker, sentence_subject
from athar.intake.claims import Draft
from athar.intake.segment import Quote

__all__ = ["conduit", "source_claims"]

_ACCORDING = re.compile(
    r"(?<![^\W_])(?P<v>according\s+to|citing|as\s+reported\s+by)\s+(?P<sp>[^,.;:\"“]{2,90})"
)
_NOUN_BY = re.compile(  # 'claims by X that ...', 'warnings by X that ...' (lower-cased text)
    r"(?<![^\W_])(?P<v>claims|reports|allegations|warnings|accusations|assertions|statements)"
    r"\s+(?:by|from)\s+(?P<sp>[^,.;:\"“]{2,80}?)\s+that\s+"
)
_QUOTED_AS = re.compile(
    r"(?P<via>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})\s+(?P<v>quoted|cited)\s+"
    r"(?P<sp>[^,;:\"“]{2,80}?)\s+as\s+(?:saying|stating|telling\s+\w+)\s*(?:that\s+)?"
)
_PASSIVE_BY = re.compile(
    r"\b(?:was|were|has\s+been|had\s+been|have\s+been)\s+(?:also\s+)?(?P<v>blamed|attributed|"
    r"confirmed|documented|verified|reported)\s+by\s+(?P<sp>(?:the\s+)?[^,.;\"“]{2,80}?)"
    r"(?=\s+(?:on|to|as|in|for|at)\b|\s*[,.;]|\s*$)"
)
_NOUN_THAT = re.compile(
    r"(?<![^\W_])(?:the\s+|an?\s+|its\s+|their\s+)?(?:(?P<adj>international|western|media|opposition|"
    r"unconfirmed|unverified|conflicting|initial|early|numerous|repeated|activist)\s+|unsupported\s+|"
    r"false\s+|baseless\s+)?"
    r"(?P<v>assertion|assertions|allegation|allegations|claim|claims|accusation|accusations|suggestion)"
    r"\s+that\s+"
)
_REFUTED = re.compile(r"(?:refute|deny|denied|denies|reject|rejected|rejects|dismiss|dismissed)\w*"
                      r"(?:\s+\w+){0,3}\s*$")


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n,:;\"“”'-–—(":
        s += 1
    while e > s and text[e - 1] in " \t\n,:;.\"“”'-–—)":
        if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break
        e -= 1
    return s, e


def source_claims(text: str, low: str, ss: int, se: int, quotes: list[Quote],
                  out: list[Draft]) -> list[Draft]:
    """``out`` (the sentence's verb claims) plus the claims its source markers and nominal
    attributions make; a relay or 'citing' replaces the verb claim it explains."""
    nominal = low.find(" that ", ss, se) >= 0 and any(
        low.find(w, ss, se) >= 0 for w in ("assertion", "allegation", "claim", "accusation", "suggestion"))
    for m in (_NOUN_THAT.finditer(low, ss, se) if nominal else ()):  # 'the assertion that C'
        if any(d.verb and d.verb[0] <= m.start("v") < d.verb[1] for d in out):
            continue
        claim = _strip(text, m.end(), se)
        cut_m = re.search(r",\s*(?:while|whereas|but|amid|after)\b", text[claim[0]:claim[1]])
        if cut_m:
            claim = _strip(text, claim[0], claim[0] + cut_m.start())
        if claim[1] - claim[0] < 12:
            continue
        if _REFUTED.search(low, max(ss, m.start() - 40), m.start()) or m["adj"]:
            out.append(Draft((m.start("v"), m.end("v")), _strip(text, m.start(), m.end("v")),
                             claim, hedge=True))  # others' claims being refuted: unnamed sources
        else:
            subj = sentence_subject(text, ss, m.start())
            if subj is not None:
                out.append(Draft((m.start("v"), m.end("v")), subj, claim))
    if low.find(" by ", ss, se) >= 0:
        for m in _PASSIVE_BY.finditer(text, ss, se):  # 'That attack was blamed by X on Y'
            sp = clean_speaker(text, m.start("sp"), m.end("sp"))
            if sp is not None and not any(d.verb and d.verb[0] == m.start("v") for d in out):
                out.append(Draft((m.start("v"), m.end("v")), sp, _strip(text, ss, se)))
    relayed = low.find(" quoted ", ss, se) >= 0 or low.find(" cited ", ss, se) >= 0
    for m in (_QUOTED_AS.finditer(text, ss, se) if relayed else ()):  # 'SANA quoted X as saying'
        claim = _strip(text, m.end(), se)
        if claim[1] - claim[0] > 6:
            out = [d for d in out if not (d.verb and m.start("v") <= d.verb[0] < m.end())]
            out.append(Draft((m.start("v"), m.end("v")), _strip(text, *m.span("sp")), claim, False,
                             _strip(text, *m.span("via"))))
    has_by = low.find(" by ", ss, se) >= 0 or low.find(" from ", ss, se) >= 0
    for m in (_NOUN_BY.finditer(low, ss, se) if has_by else ()):
        sp = clean_speaker(text, m.start("sp"), m.end("sp"))
        cut_m = re.search(r",\s*\w+ing\b|,\s*(?:while|whereas|but)\b", text[m.end():se])
        claim = _strip(text, m.end(), m.end() + cut_m.start() if cut_m else se)
        if sp is not None and claim[1] - claim[0] > 6:
            out.append(Draft((m.start("v"), m.end("v")), sp, claim))
    has_acc = low.find("according", ss, se) >= 0 or low.find("citing", ss, se) >= 0 or \
        low.find("reported by", ss, se) >= 0
    for m in (_ACCORDING.finditer(low, ss, se) if has_acc else ()):
        inq = next((q for q in quotes if q.start <= m.start() < q.end), None)
        sp = _strip(text, m.start("sp"), m.end("sp"))
        if inq is not None:  # 'according to' inside a quotation: nested, via the quoted speaker
            outer = next((d for d in out if d.speaker and d.claim[0] <= inq.start < d.claim[1]), None)
            before = _strip(text, inq.start, m.start())
            after = _strip(text, m.end(), inq.end)
            claim = after if after[1] - after[0] > 10 else before
            if outer is not None and claim[1] - claim[0] > 6 and sp[1] > sp[0]:
                out.append(Draft((m.start("v"), m.end("v")), sp, claim, False, outer.speaker))
            continue
        cited = CITING_THAT.match(text, m.start(), se) if m["v"] == "citing" else None
        if cited is not None:  # 'Reuters reported, citing the Observatory, that C': via Reuters
            relay = CONDUIT.search(text, ss, m.start())
            claim = _strip(text, cited.end(), se)
            if claim[1] - claim[0] > 6:
                out = [d for d in out if not (d.verb and relay and d.verb[0] == relay.start("v"))]
                out.append(Draft((m.start("v"), m.end("v")), _strip(text, *cited.span("sp")), claim,
                                 False, _strip(text, *relay.span("via")) if relay else None))
            continue
        if conduit(text, out, m.start(), sp):
            continue  # 'X said C, according to TASS': TASS relays X's claim
        before = _strip(text, ss, m.start())
        after = _strip(text, m.end(), se)
        claim = before if before[1] - before[0] > 10 else after
        if claim[1] - claim[0] > 6 and sp[1] > sp[0]:
            out.append(Draft((m.start("v"), m.end("v")), sp, claim))
    return out


def conduit(text: str, drafts: list[Draft], marker: int, source: tuple[int, int]) -> bool:
    """When a source marker ('according to TASS', «وفقا لوكالة سانا») follows a reporting verb's
    claim in the same sentence, the marked source relays that claim: it becomes its ``via``
    and the content ends before the marker. True when such a claim was found."""
    for d in sorted(drafts, key=lambda x: -(x.verb[0] if x.verb else -1)):  # the nearest first
        if d.verb is None or d.outlet or d.hedge or d.verb[0] >= marker:
            continue
        if d.claim[1] > marker:
            d.claim = (d.claim[0], max(d.claim[0], text.rfind(",", d.claim[0], marker),
                                       text.rfind("،", d.claim[0], marker)))
            if d.claim[1] <= d.claim[0]:
                continue
        if d.via is None:
            d.via = source
        return True
    return False
