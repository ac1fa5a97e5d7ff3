"""Lexicon facts: places (gazetteer), chemical agents, armed actors, loaded wording."""

from __future__ import annotations

import re

from athar.intake.document import Doc
from athar.intake.models import AgentMention, LoadedTerm, Perpetrator, Place
from athar.intake.resources import GazEntry

__all__ = ["drop_metonyms", "find_agents", "find_loaded", "find_perpetrators", "find_places"]


_ADJECTIVAL = re.compile(r"U\.S\.?|US|U\.K\.?|UK|E\.U\.?|EU")
_ADJ_NEXT = re.compile(r"\.?(?:[-–—]|\s+(?!(?:said|says|has|have|is|was|will|would|and|or)\b)[A-Za-z])")


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
    # 'the nerve agent sarin', 'sarin nerve agent': the class names the specific agent beside it
    keep = []
    for i, a in enumerate(out):
        if a.normalized == "nerve agent" and any(
                b.normalized in ("sarin", "VX") and 0 <= max(b.start - a.end, a.start - b.end) <= 3
                for b in out[max(0, i - 1):i + 2]):
            continue
        keep.append(a)
    return keep


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


# a state or capital acting as its government: 'Russia claimed', 'Washington responded',
# 'Syria denies', «نفت دمشق», «ردت واشنطن» (guideline: metonymic uses are not places)
_GOV_ACT = (r"(?:has|have|had|is|was|also|then|later|quickly|again|has\s+also|would|will|"
            r"on\s+\w+day|yesterday|today|categorically|repeatedly|strongly|itself)")
_GOV_VERB_EN = re.compile(
    rf"(?:['’]s\s+(?:government|foreign\s+ministry|defen[cs]e\s+ministry|envoy|ambassador|"
    rf"mission|delegation|representative|position|claims?|accusations?|civil\s+war|war|regime|"
    rf"army|president|conflict|crisis|forces|allies|military|leaders?|officials?)\b"
    rf"|(?:\s+{_GOV_ACT})*\s+(?:is|are|was)\s+(?:\w+ly\s+)?(?:concerned|ready|committed|"
    rf"determined|opposed|prepared|willing|responsible)\b"
    rf"|(?:\s+(?:has|had|have))?\s+(?!based\b|led\b)[a-z]+ed\s+(?:to|that|on|its|the|a|an)\b"
    rf"|(?:\s+{_GOV_ACT})*\s+(?:said|says|say|denied|denies|deny|accused|accuses|claimed|claims|"
    rf"responded|condemned|condemns|rejected|rejects|warned|warns|threatened|blamed|blames|insisted|"
    rf"insists|affirmed|affirms|reiterated|reiterates|stressed|called|urged|announced|vowed|demanded|"
    rf"argued|maintained|refused|agreed|expressed|dismissed|retaliated|struck|launched|tried|"
    rf"attempted|backed|supports|supported|confirmed|reported|has\s+always|does|did|doesn['’]t|"
    rf"didn['’]t|never|carried|joined|handed|possess\w*)\b)",
    re.IGNORECASE,
)
_GOV_VERB_AR = re.compile(
    r"(?<![^\W_])[وف]?(?:قالت|نفت|تنفي|اتهمت|تتهم|ردت|اكدت|تؤكد|توكد|اعلنت|حذرت|تحذر|رفضت|ترفض|"
    r"طالبت|تطالب|دعت|تدعو|ادانت|نددت|زعمت|تزعم|هددت|اعتبرت|شددت|اعربت|لوحت|استخدمت|شنت|قصفت|اثارت|قدمت|عرضت|وزعت|ارسلت|ابلغت|سلمت)\s*$"
)


_PLACE_PREP = re.compile(r"(?i:\b(?:in|of|from|at|near|across|into|inside|outside|to|"
                         r"north|south|east|west|northern|southern|eastern|western|\w+east|"
                         r"\w+west|central)\s+(?:the\s+)?)$|(?<![^\W_])(?:في|من|الي|إلى|داخل|"
                         r"شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي)\s+$")
_NOT_WORDS = re.compile(r"(?i:\b(?:and|or|the)\b|(?<![^\W_])و|[\s,،])")


def drop_metonyms(doc: Doc, places: list[Place], speakers: list[tuple[int, int]]) -> list[Place]:
    """Places minus states and capitals used for their governments: a claim's speaker
    ('Moscow said'), the subject of a verb of saying or acting ('Russia claimed',
    «نفت دمشق»), or a possessor ("Iran's foreign ministry"). ``speakers`` are original spans."""
    from athar.intake.speakers import is_country

    out: list[Place] = []
    text = doc.text
    dropped_end = -1
    for p in places:
        if _IN_NAME_AFTER.match(text, p.end) or _IN_NAME_BEFORE.search(text, max(0, p.start - 30),
                                                                         p.start):
            continue  # 'the New York Times', 'Britain-based', 'وكالة شهبا برس', 'State of Iraq'
        key = " ".join(doc.folded.text[doc.folded.to_folded(p.start):doc.folded.to_folded(p.end)]
                       .lower().split())
        if p.kind == "country" or is_country(key) or is_country(key.removeprefix("ال")):
            if any(s <= p.start and p.end <= e and not _PLACE_PREP.search(text, s, p.start)
                   and not re.search(r"\w{3}", _NOT_WORDS.sub("", text[s:e].replace(p.as_written, "")))
                   for s, e in speakers):
                continue  # the speaker is the state itself: 'Moscow', 'دمشق وموسكو'
            fs = doc.folded.to_folded(p.start)
            if _GOV_OF.search(text, max(0, p.start - 40), p.start) or _POSSESSOR.match(text, p.end):
                dropped_end = p.end  # 'the president of the United States', "Syria's civil war"
                continue
            if _PLACE_PREP.search(text, max(0, p.start - 14), p.start):
                pass  # 'in northeast Syria said': the place is a location
            elif _GOV_VERB_EN.match(text, p.end) or _GOV_VERB_AR.search(
                    doc.folded.text, max(0, fs - 12), fs) or _GOV_NOUN_AR.search(
                    doc.folded.text, max(0, fs - 14), fs) or (
                    dropped_end >= 0 and _COORD.fullmatch(text, dropped_end, p.start)):
                dropped_end = p.end  # a state coordinated with a dropped one: 'A وB وC'
                continue
        out.append(p)
    return out


# a place inside a name or an adjective: 'the New York Times', 'Britain-based', 'Iran Foreign
# Ministry', 'وكالة شهبا برس', 'Islamic State of Iraq and the Levant'
_IN_NAME_AFTER = re.compile(
    r"(?:\s+(?:Times|Post|Press|News|Herald|Tribune|Observer|Journal|Foreign\s+Ministry|"
    r"Defen[cs]e\s+Ministry|Ministry)\b|-based\b|\s+(?:برس|نيوز|تايمز|بوست)(?![^\W_]))"
)
_IN_NAME_BEFORE = re.compile(r"(?:\bState\s+of\s+(?:\w+\s+and\s+)?(?:the\s+)?|(?<![^\W_])وكالة\s+)$")
# a state as the holder of an office or a stance: 'the president of the United States',
# "Syria's civil war", «اعتراض روسيا»
_GOV_OF = re.compile(
    r"(?i:\b(?:president|government|minister|ambassador|envoy|leader|army|forces|delegation|"
    r"representative|people|authorities|position|objection|allies)\s+of\s+(?:the\s+)?)$"
)
_GOV_NOUN_AR = re.compile(
    r"(?<![^\W_])[وبل]?(?:اعتراض|رفض|موقف|اتهام|تهديد|دعم|حكومه|رييس|وزير|سفير|مندوب|جيش|قوات|"
    r"ادعاء|مزاعم|ادعاءات|اتهامات|نظام)\s*$"
)
_POSSESSOR = re.compile(
    r"(?i:['’]s\s+(?:government|foreign\s+ministry|defen[cs]e\s+ministry|envoy|ambassador|mission|"
    r"delegation|representative|position|civil\s+war|war|regime|army|president|conflict|crisis|"
    r"forces|allies|military|leaders?|officials?)\b)"
)
_COORD = re.compile(r"\s*(?:,|،)?\s*(?:and\s+|و)?")
