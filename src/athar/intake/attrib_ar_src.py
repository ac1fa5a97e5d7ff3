"""Arabic source markers and relays: بحسب / وفق ما أفاد / نقلا عن X (the claim is the rest of
the sentence, or what comes before the marker), نقلت الوكالة عن X قوله (speaker X, via the
agency) and ونقل عن X أن (a relay whose conduit is the previous speaker). Folded offsets."""

from __future__ import annotations

import re
from collections.abc import Callable

from athar.intake.attrib_en_src import conduit
from athar.intake.claims import Draft
from athar.intake.segment import Quote

__all__ = ["marker_claims", "relay_claims"]

_RELAY_RE = re.compile(
    r"(?<![^\W_])(?:[وف])?(?:كما\s+)?(?P<v>نقلت|نقل|اوردت|اورد)\s+(?P<via>[^،,.:]{2,60}?)\s+عن\s+"
    r"(?P<sp>[^،,.:]{2,80}?)\s*(?:[،,]\s*)?(?:قول(?:ه|ها|هم)?|تاكيد(?:ه|ها)?|(?<![^\W_])(?:ان|انه)(?![^\W_])|:)"
)
_ACCORDING_RE = re.compile(
    r"(?<![^\W_])(?:[وف])?(?P<v>بحسب|حسب|حسبما|وفقا\s*ل|وفق|نقلا\s+عن|على\s+حد\s+قول|علي\s+حد\s+قول)"
    r"(?:\s+ما\s+(?:افاد|افادت|ذكر|ذكرت|اعلن|اعلنت|قال|قالت|اكد|اكدت|اورد|اوردت|نقل|نقلت)"
    r"(?:\s+(?:به|ه))?)?\s*(?P<sp>[^،,.:؛]{2,80})"
)
# 'ونقل عن أطباء أن ...': a relay whose conduit is the previous speaker (implicit)
_RELAY_NO_VIA = re.compile(
    r"(?<![^\W_])[وف]?(?P<v>نقل|نقلت|ينقل|تنقل)\s+عن\s+(?P<sp>[^،,.:\"«“]{2,60}?)\s*[،,]?\s*"
    r"(?:قول(?:ه|ها|هم)\s*|(?<![^\W_])ب?ان(?:ه|ها|هم)?\s+|:\s*)"
)


# 'وجاء في التقرير أن ...' / 'جاء في البيان: «...»': the document speaks
_JAA_FI = re.compile(
    r"(?<![^\W_])[وف]?(?P<v>جاء\s+في|ورد\s+في)\s+(?P<sp>[^،,.:\"«“]{2,60}?)\s*[،,]?\s*"
    r"(?:(?<![^\W_])ب?ان(?:ه|ها|هم)?(?![^\W_])|:)\s*"
)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n،,:؛;\"«“”»'-–—":
        s += 1
    while e > s and text[e - 1] in " \t\n،,:؛;.\"«“”»'-–—":
        e -= 1
    return s, e


def _quote_after(quotes: list[Quote], pos: int, limit: int, text: str) -> Quote | None:
    for q in quotes:
        if len(text[q.start:q.end].split()) < 4:
            continue
        if pos <= q.open < limit:
            return q if q.open - pos < 4 else None
    return None


def relay_claims(text: str, ss: int, se: int, quotes: list[Quote]
                 ) -> tuple[list[Draft], list[tuple[int, int]]]:
    """'نقلت الوكالة عن X قوله ...' (speaker X, via the agency) and 'ونقل عن X أن ...'
    (no named conduit) in the sentence ``[ss, se)``; also the spans the relays cover
    (a reporting verb inside them is not a claim of its own)."""
    out: list[Draft] = []
    covered: list[tuple[int, int]] = []
    if text.find("نقل", ss, se) < 0 and text.find("اورد", ss, se) < 0 and \
            text.find("في", ss, se) < 0:
        return out, covered
    for m in _RELAY_RE.finditer(text, ss, se):
        cstart = m.end()
        comp = re.match(r"\s*(?:ب?ان|انه|انها)(?![^\W_])", text[cstart:se])
        if comp:
            cstart += comp.end()
        q = _quote_after(quotes, cstart, se, text)
        claim = (q.start, q.end) if q else (cstart, se)
        cs, ce = _strip(text, *claim)
        out.append(Draft((m.start("v"), m.end("v")), _strip(text, m.start("sp"), m.end("sp")),
                         (cs, ce), q is not None, _strip(text, m.start("via"), m.end("via"))))
        covered.append((m.start(), m.end()))
    for m in _JAA_FI.finditer(text, ss, se):
        q = _quote_after(quotes, m.end(), se, text)
        cs, ce = _strip(text, *((q.start, q.end) if q else (m.end(), se)))
        if ce - cs > 6:
            out.append(Draft((m.start("v"), m.end("v")), _strip(text, m.start("sp"), m.end("sp")),
                             (cs, ce), q is not None))
            covered.append((m.start(), m.end()))
    for m in _RELAY_NO_VIA.finditer(text, ss, se):
        if any(a <= m.start() < b for a, b in covered):
            continue
        cs, ce = _strip(text, m.end(), se)
        cut = re.search(r"[،,]\s*(?:[وف])?(?:بحسب|حسب|وفقا\s*ل|نقلا\s+عن)(?![^\W_])", text[cs:ce])
        if cut:
            ce = _strip(text, cs, cs + cut.start())[1]
        if ce - cs > 6:
            out.append(Draft((m.start("v"), m.end("v")), _strip(text, m.start("sp"), m.end("sp")),
                             (cs, ce), keep_last=True))
    return out, covered


def marker_claims(text: str, ss: int, se: int, covered: list[tuple[int, int]],
                  claim_end: Callable[[str, int, int, list[int]], int],
                  verb_claims: list[Draft] | None = None) -> list[Draft]:
    """Claims marked by بحسب / وفق ما أفاد / نقلا عن X in the sentence ``[ss, se)``; the
    content is what precedes the marker, else what follows it. 'بحسب ما تشير الأدلة'
    (evidence, not a speaker) is the outlet's voice."""
    out: list[Draft] = []
    if not (text.find("حسب", ss, se) >= 0 or text.find("وفق", ss, se) >= 0
            or text.find("نقلا", ss, se) >= 0 or text.find("قول", ss, se) >= 0):
        return out
    for m in _ACCORDING_RE.finditer(text, ss, se):
        sp = _strip(text, m.start("sp"), m.end("sp"))
        if sp[1] - sp[0] < 2:
            continue
        before = _strip(text, ss, m.start())
        after = _strip(text, m.end(), se)
        claim = before if before[1] - before[0] > 10 else after
        if claim[1] - claim[0] < 6:
            continue
        if text.startswith("ما ", sp[0]):
            out.append(Draft((m.start("v"), m.end("v")), None, claim, outlet=True))
            continue
        if verb_claims and conduit(text, verb_claims, m.start(), sp):
            continue  # 'قال X إن ...، وفقا لوكالة سانا': the agency relays X's claim
        out.append(Draft((m.start("v"), m.end("v")), sp, claim))
    return out
