"""Lexicon facts: places (gazetteer), chemical agents, armed actors, loaded wording."""

from __future__ import annotations

import re

from athar.intake.document import Doc
from athar.intake.models import AgentMention, LoadedTerm, Perpetrator, Place
from athar.intake.resources import GazEntry

__all__ = ["find_agents", "find_loaded", "find_perpetrators", "find_places"]


_ADJECTIVAL = re.compile(r"U\.S\.?|US|U\.K\.?|UK|E\.U\.?|EU")
_ADJ_NEXT = re.compile(r"\.?(?:-|\s+(?!(?:said|says|has|have|is|was|will|would|and|or)\b)[A-Za-z])")


def _pick(cands: tuple[GazEntry, ...], context: set[str]) -> GazEntry:
    """Choose among same-named places: prefer one whose city/admin is also named."""
    if len(cands) == 1:
        return cands[0]
    for c in cands:
        if c.admin in context:
            return c
    return cands[0]


def find_places(doc: Doc) -> list[Place]:
    """Every gazetteer place named in the text, in order; spans are exact substrings."""
    hits = doc.facts["places"]
    named = {c.name for h in hits for c in h.value if len(h.value) == 1}
    named |= {c.admin for h in hits for c in h.value if len(h.value) == 1}
    out: list[Place] = []
    orgs = [(a.start, a.end) for a in doc.facts["actors"]]
    for h in hits:
        entry = _pick(h.value, named)
        if any(a < h.end and h.start < b and (a, b) != (h.start, h.end) for a, b in orgs):
            continue  # a place inside an organisation's name: قوات سوريا الديمقراطية
        s, e = doc.span(h.start, h.end)
        if e <= s:
            continue
        if _ADJECTIVAL.fullmatch(doc.text[s:e]) and _ADJ_NEXT.match(doc.text, e):
            continue  # 'U.S.-led', 'U.S. officials': an adjective, not the country
        out.append(Place(doc.text[s:e], entry.name, entry.lat, entry.lon, entry.admin or None,
                         s, e, entry.kind))
    return out


def find_agents(doc: Doc) -> list[AgentMention]:
    """Chemical agents named in the text with their canonical English label."""
    out = []
    for h in doc.facts["agents"]:
        if h.value == "__block__":
            continue
        s, e = doc.span(h.start, h.end)
        if e > s:
            out.append(AgentMention(doc.text[s:e], h.value, s, e))
    return out


def find_perpetrators(doc: Doc) -> list[Perpetrator]:
    """Armed actors named in the text (names only: Athar states no finding)."""
    out = []
    for h in doc.facts["actors"]:
        s, e = doc.span(h.start, h.end)
        if e > s:
            out.append(Perpetrator(doc.text[s:e], h.value, s, e))
    return out


def find_loaded(doc: Doc) -> list[LoadedTerm]:
    """Loaded or emotive wording from the Arabic and English lexicons."""
    out = []
    tokens = doc.tokens
    for h in doc.facts["loaded"]:
        # Convention (as the dev set): a preposition proclitic (ب، ل، ك) stays in the span
        # ("لمجزرة", "بفبركة"); a conjunction (و، ف) does not ("وإرهابيو" -> "إرهابيو").
        tok = tokens[h.first]
        start = tok.start + (1 if tok.text[:1] in "وف" and h.start > tok.start else 0)
        s, e = doc.span(start, h.end)
        if e > s:
            out.append(LoadedTerm(doc.text[s:e], s, e, h.value))
    return out
