"""Lexicon facts: places (gazetteer), chemical agents, armed actors, loaded wording."""

from __future__ import annotations

from athar.intake.document import Doc
from athar.intake.models import AgentMention, LoadedTerm, Perpetrator, Place
from athar.intake.resources import GazEntry

__all__ = ["find_agents", "find_loaded", "find_perpetrators", "find_places"]


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
    for h in hits:
        entry = _pick(h.value, named)
        s, e = doc.span(h.start, h.end)
        if e <= s:
            continue
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
