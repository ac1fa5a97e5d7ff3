"""English attribution rules: "X said (that) ...", "..., X said", '"...," said X',
"according to X", accused/denied/warned/told, relays ("quoted by", "told Reuters").

Patterns run on folded text (English is unchanged by folding); compiled once."""

from __future__ import annotations

import re
from bisect import bisect_left

from athar.intake.attrib_en_src import source_claims
from athar.intake.attrib_en_tags import (
    APPOSITION,
    DET_BEFORE,
    LEAD,
    LEAD_CLAUSE,
    NEGATED,
    NOUN_NEXT,
    RELATIVE_SUBJECT,
    TAG_TAIL,
    THAT_AFTER,
    clean_speaker,
    interrupted,
    sentence_subject,
)
from athar.intake.claims import Draft
from athar.intake.rx import trie
from athar.intake.segment import Quote

__all__ = ["VERB_RE", "find_claims_en"]

_VERB_WORDS = (
    "said says say told tells added adds stated states announced announces reported reports "
    "claimed claims alleged alleges accused accuses denied denies warned warns insisted insists "
    "confirmed confirms noted notes stressed stresses wrote writes argued argues maintained "
    "acknowledged acknowledges admitted admits explained explains asserted asserts declared "
    "declares concluded concludes blamed blames condemned condemns urged urges demanded "
    "demands rejected rejects dismissed dismisses charged charges suggested suggests "
    "recounted recalled testified described describes disputed emphasised emphasized "
    "reiterated underlined observed estimated found finds called calls accuse accusing saying "
    "adding warning insisting claiming affirm affirms affirmed describe report "
    "affirming stressing asserting noting indicating reaffirming reiterating emphasizing "
    "emphasising explaining stating declaring arguing alleging denying confirming acknowledging "
    "admitting suggesting urging contending maintaining reaffirmed refuted refutes documented "
    "cautioned cautioning read reads claim allege deny warn insist confirm suspect suspects "
    "suspected testified testify telling revealed reveals indicated indicates mentioned mentions "
    "highlighted highlights countered responded replied echoed complained speculated predicted "
    "vowed conceded disclosed specified tweeted"
).split() + ["pointed out", "points out"]
# both run on the lower-cased text (same offsets), which is much faster than (?i)
VERB_RE = _VERB_RE = re.compile(r"(?<![^\W_])(?P<v>" + trie(_VERB_WORDS) + r")\b")
# verb words that are nouns after a determiner ('the report notes', 'further claims')
_NOUNABLE = frozenset("claim claims report reports note notes call calls charge charges demand demands "
                      "estimate estimates finds read reads warning warnings suspected alleged reported "
                      "claimed confirmed documented denied".split())  # and participles used as adjectives
_DATELINE = re.compile(  # used with .match(text, pos): no '^', which would never match at pos > 0
    r"[A-Z][A-Z .'-]{2,40}(?:,\s*(?:\d{1,2}\s+)?[A-Za-z]{3,9}\.?(?:\s*\d{1,4}){0,2})?\s*"
    r"(?:\([^)]{1,40}\))?\s*(?:[-–—]|:(?!:))\s*(?:(?:\"[^\"]{2,40}\"|“[^”]{2,40}”)\s*[-–—]\s*)?"
    # 'Damascus, SANA -', 'Beirut - "Outlet" -': a city, then the agency or outlet, then a dash
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s*[,\-–—]\s*(?:[A-Z]{2,}[A-Za-z]*|\"[^\"]{2,40}\"|“[^”]{2,40}”)"
    r"\s*[-–—]\s*(?:[A-Z][a-z]+\s*[-–—]\s*)?"
)
_AFTER_VERB = re.compile(
    r"(?i:\s*(?:(?P<told>(?:reporters|journalists|the\s+[a-z]+|(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})))"
    r"(?=\s+(?:that|on|in|by|,|:|\"|“|the|it|a|an|[a-z]+\s))\s*)?"
    r"(?:,?\s*(?:on|in|late|early|last|this|by)\s+(?:a\s+|an\s+|the\s+|its\s+|his\s+|her\s+)?"
    r"(?:statement|monday|tuesday|wednesday|thursday|friday|saturday|sunday|phone|telephone|"
    r"interview|briefing|report|tweet|post|news\s+conference|press\s+conference|"
    r"\w+day|\w+\s+statement)\b[^,\"“]{0,40}?(?=\s+that\b|,|:|\"|“|$|\s))*"
    r"\s*,?\s*(?:that\b|:)?\s*)"
)
_MEDIA_VIA = re.compile(r"(?i:\b(?:reuters|afp|ap|sana|tass|ria|sputnik|al\s+jazeera|bbc|wire|network|"
                        r"agency|news|television|tv|radio|channel|newspaper|times|post|press)\b)")
_QUOTED_BY = re.compile(r"(?i:,?\s+(?:quoted|cited)\s+by\s+(?P<via>.+)$)")


_LATIN3 = re.compile(r"[A-Za-z]{3}")
_ABBR = re.compile(r"\b(?:[A-Z]\.){1,3}|\b(?:Dr|Mr|Mrs|Ms|Gen|Col|Lt|Maj|Brig|Prof|St|Amb|Sen)\.")


def _nominal_use(text: str, low: str, ss: int, m: re.Match[str]) -> bool:
    """A verb word used as a noun or adjective: after a determiner or a preposition ('the
    report notes', 'amid credible reports'), after a nationality ('Russian claim'), or a
    participle after a preposition ('in suspected chemical attack')."""
    lo = max(ss, m.start() - 30)
    if DET_BEFORE.search(text, max(ss, m.start() - 20), m.start()):
        return True
    if re.search(r"\b(?i:by|of|on|in|about|amid|after|for|with|despite|following)\s+(?:[a-z]+\s+)?$",
                 text[lo:m.start()]) or re.search(r"\b[A-Z][a-z]+(?:ian|ish|ese|i)\s+$", text[lo:m.start()]):
        return True
    return False


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n,:;\"“”'-–—(":
        s += 1
    while e > s and text[e - 1] in " \t\n,:;.\"“”'-–—)":
        if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break  # a bracket the span opened itself stays: 'Hawar news agency (ANHA)'
        e -= 1
    return s, e


def find_claims_en(text: str, sents: list[tuple[int, int]], quotes: list[Quote]) -> list[Draft]:
    """Attributed claims in English text (folded offsets)."""
    out: list[Draft] = []
    opens = [q.open for q in quotes]
    low = text.lower()
    if len(low) != len(text):  # pragma: no cover - exotic case mappings
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    verbs = list(_VERB_RE.finditer(low))
    vstarts = [m.start() for m in verbs]
    for ss, se in sents:
        if not _LATIN3.search(text, ss, se):
            continue
        # quotes that may matter: opening before the sentence end, closing after ss - 400
        near = [q for q in quotes[bisect_left(opens, ss - 3000) : bisect_left(opens, se)]
                if q.close > ss - 400]
        sv = verbs[bisect_left(vstarts, ss) : bisect_left(vstarts, se)]
        out.extend(_sentence(text, low, ss, se, near, sv))
    return out


def _long(text: str, q: Quote) -> bool:
    return len(text[q.start:q.end].split()) >= 3


def _said_quote(text: str, q: Quote, ss: int = -1) -> bool:
    """A quotation that is a statement: long, or opening its sentence and ending on its own
    comma or stop ('"A massacre," he said'); a short quoted term inside a clause is not."""
    if _long(text, q):
        return True
    opens = ss < 0 or not text[max(ss, 0):q.open].strip(" \t\n\"“”")
    return opens and q.end > q.start and text[q.end - 1] in ",.!?…"


def _sentence(text: str, low: str, ss: int, se: int, quotes: list[Quote],
              verbs: list[re.Match[str]]) -> list[Draft]:
    out: list[Draft] = []
    d0 = _DATELINE.match(text, ss, se)
    if d0:
        ss = d0.end()
    verbs = [m for m in verbs if m.start() >= ss
             and not (low[m.start():m.end()] in _NOUNABLE and _nominal_use(text, low, ss, m))
             and not NOUN_NEXT.match(text, m.end() - 1)
             and not (text[m.start()].isupper() and text[ss:m.start()].strip())
             and not any(q.start <= m.start() < q.end for q in quotes)]
    prev_end = ss
    for m in verbs:
        if NEGATED.search(text, max(ss, m.start() - 16), m.start()):
            continue  # 'the OPCW did not accuse anyone': no claim is reported
        d = _verb(text, m, ss, se, prev_end, quotes)
        if d is not None:
            coord = re.search(r"(?:,\s*|\s)(?:and|but)\s*$|,\s*$", text[prev_end:m.start()])
            if coord and out and d.implicit:
                cut = prev_end + coord.start()
                last = out[-1]
                if last.claim[0] < cut < last.claim[1]:
                    last.claim = _strip(text, last.claim[0], cut)
            if d.claim[1] <= m.start() and d.speaker is not None and d.speaker[0] > d.claim[1]:
                for inner in out:  # '[Syria denies C, affirming D], a ministry source said'
                    if d.claim[0] <= inner.claim[0] < d.claim[1] and not inner.direct_quote:
                        if inner.claim[1] > d.claim[1]:
                            inner.claim = (inner.claim[0], d.claim[1])
                        if inner.via is None:  # embedded: the inner claim reaches us via the tag
                            inner.via = d.speaker
            out.append(d)
            prev_end = m.end()
    return source_claims(text, low, ss, se, quotes, out)


def _via_split(text: str, s: int, e: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    m = _QUOTED_BY.search(text, s, e)
    if m:
        return _strip(text, s, m.start()), _strip(text, m.start("via"), m.end("via"))
    return (s, e), None


def _verb(text: str, m: re.Match[str], ss: int, se: int, prev_end: int,
          quotes: list[Quote]) -> Draft | None:
    vspan = (m.start("v"), m.end("v"))
    verb = m["v"].lower()
    if re.match(r"\s+(?:by|from)\s", text[m.end():se]) or text[m.start() - 1:m.start()] == "-":
        return None  # 'claims by X that' (a noun, see _NOUN_BY), 'so-called'
    if verb in ("alleged", "reported", "found", "charged") and not THAT_AFTER.match(
            text, m.end(), se) and not TAG_TAIL.match(text, m.end(), se) and not (
            verb == "reported" and re.match(r"\s*[\"“]", text[m.end():se])):
        return None
    inter = interrupted(text, m, ss, se, prev_end)
    if inter is not None:
        return inter
    # 1. quote before the verb: '"...," X said' / '"...," said X'
    qb = next((q for q in quotes if q.close <= m.start() and m.start() - q.close <= 80
               and q.close > ss - 400 and _said_quote(text, q, ss)), None)
    between_q = text[qb.close:m.start()] if qb else ""
    if qb is not None and (re.fullmatch(r"[\s,]*(?:and|but|and\s+then)\s*", between_q)
                           or ss < prev_end <= qb.open or prev_end >= qb.close or "\n" in between_q
                           or (qb.close <= ss and text[qb.end - 1:qb.end] in ".!?")):
        qb = None  # '... "quote," and said': the quote belongs to the previous verb
    if qb and not re.search(r"[.;]", _ABBR.sub("", between_q)) and len(between_q.split()) <= 12:
        after = text[m.end():se]
        if between_q.strip(" ,") == "":  # '"...," said X, title.'
            sp = _strip(text, m.end(), se)
            sp_end = sp[1]
            name = re.match(r"\s*((?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Prof)\.?\s+)?[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+)?"
                            r"[A-Z][\w'’.-]+){0,3})\s*,", text[m.end():se])
            if name:  # '"...," said Edmond Mulet, Head of ...': the name, without its title
                sp = (m.end() + name.start(1), m.end() + name.end(1))
                sp_end = sp[1]
        else:
            sp = _strip(text, qb.close, m.start())
            sp_end = sp[1]
        spk = clean_speaker(text, sp[0], sp_end)
        via = None
        told = re.match(r"\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})", after)
        if verb == "told" and told and _MEDIA_VIA.search(told.group(1)):
            via = _strip(text, m.end() + told.start(1), m.end() + told.end(1))
        head = max(ss, prev_end)
        if qb.open > head and len(text[head:qb.open].split()) >= 2 and not re.search(
                r"[\"“”]", text[head:qb.open]) and qb.open < m.start():
            # 'The compound held "a warehouse with toxic substances," the ministry said':
            # the content is the whole clause, the quotation a part of it
            claim = _strip(text, head, qb.close)
            return Draft(vspan, spk, claim, False, via) if spk else None
        return Draft(vspan, spk, (qb.start, qb.end), True, via) if spk else None
    if verb in ("read", "reads"):
        return None  # 'the statement read' only as a tag after a quotation
    # 2. speaker before the verb
    start = max(ss, prev_end)
    if re.fullmatch(r"\s*(?i:it)\s+(?:was|is|has\s+been|had\s+been)\s+(?:also\s+)?", text[start:m.start()]):
        that = re.match(r"\s+that\s+", text[m.end():se])  # 'It was also stated that ...'
        if that is not None:
            return Draft(vspan, None, _strip(text, m.end() + that.end(), se), outlet=True)
    region = text[start:m.start()]
    after_text = text[m.end():se]
    told = re.match(r"\s+(?P<to>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})", after_text) \
        if verb in ("told", "tells") else None
    tail_from = m.end() + (told.end() if told else 0)
    postposed = (region.rfind(",") >= 0 and not text[tail_from:se].strip(" .,;:\"”")) or (
        TAG_TAIL.match(text, tail_from, se) is not None and "," in region)
    if not postposed:
        lead = LEAD.match(text, start, m.start())
        if lead:
            start = lead.end()
    if postposed:
        cut = text.rfind(",", start, m.start())
        if not text[cut + 1:m.start()].strip() and text.rfind(",", start, cut) >= 0:
            cut = text.rfind(",", start, cut)  # 'X, a doctor, told': the tag is 'X, a doctor'
            sp = _strip(text, cut + 1, text.rfind(",", start, m.start()))
        else:
            sp = _strip(text, cut + 1, m.start())
        cstart = ss if prev_end == ss or not re.search(r"[.;]", text[ss:start]) else start
        appos = APPOSITION.search(text, cstart, cut)
        if appos and re.match(r"(?:an?|the|its|his|her)\s+\S", text[sp[0]:sp[1]]):
            sp, cut = (appos.start("name"), appos.end("name")), appos.start()  # 'X, a doctor, said'
        claim = _strip(text, cstart, cut)
        spk = clean_speaker(text, *sp)
        if spk is None or len(text[claim[0]:claim[1]].split()) < 5:
            return None
        via = None
        if told and _MEDIA_VIA.search(told.group("to")):
            via = _strip(text, m.end() + told.start("to"), m.end() + told.end("to"))
        return Draft(vspan, spk, claim, False, via)
    if verb in ("found", "finds", "estimated", "reports", "reported", "notes",
                "noted") and not re.match(r"\s+(?:on|for)\b|\s*[\"“]", after_text) \
            and not THAT_AFTER.match(text, m.end(), se):
        return None
    inverted = re.match(r"\s*(?P<sp>[A-Z][^,.;:]{1,80}?)\s*[,.]", after_text) if region.strip(
        " ,") == "" and verb in ("said", "says", "added", "wrote") else None
    if inverted and ss < m.start() and text[ss:m.start()].strip().endswith(","):
        return None
    spk_span = _strip(text, start, m.start())
    lead_clause = LEAD_CLAUSE.match(text, spk_span[0], spk_span[1])
    if lead_clause is not None:
        spk_span = (lead_clause.end(), spk_span[1])
    rel = RELATIVE_SUBJECT.search(text, spk_span[0], spk_span[1])
    if rel is not None:  # '..., which activists claim was carried out by ...'
        spk_span = (rel.start("sp"), spk_span[1])
    elif "," in text[spk_span[0]:spk_span[1]] and clean_speaker(text, *spk_span) is None:
        spk_span = _strip(text, text.rfind(",", *spk_span) + 1, spk_span[1])  # 'Referring to X, Y said'
    spk_span, via = _via_split(text, *spk_span)
    clause = list(re.finditer(r",\s*(?:but|and|while|whereas|yet)\s+", text[spk_span[0]:spk_span[1]]))
    if clause:  # '..., but the government has always denied ...': the subject of the last clause
        spk_span = (spk_span[0] + clause[-1].end(), spk_span[1])
    rel_who = re.search(r"\s+(?:who|which)\s*$", text[spk_span[0]:spk_span[1]])
    if rel_who is not None:  # 'One activist who said C told ...': the subject before 'who'
        spk_span = _strip(text, spk_span[0], spk_span[0] + rel_who.start())
    implicit = start > ss and (re.fullmatch(
        r"(?i:and|but|then|and\s+then|while|also|and\s+also)?",
        text[spk_span[0]:spk_span[1]].strip()) is not None or re.search(
        r"(?:,\s*|\s)(?:and|but)\s*$", text[start:m.start()]) is not None)
    spk = None if implicit else clean_speaker(text, *spk_span)
    if spk is None and not implicit and not verb.endswith("ing"):
        return None
    av = _AFTER_VERB.match(text, m.end(), se)
    cstart = av.end() if av else m.end()
    that = THAT_AFTER.match(text, m.end(), se)
    if that is not None:
        av, cstart = None, max(cstart, that.end())
    told_that = re.match(r"\s+(?P<to>(?:[\w'’.-]+\s+){1,5}?)that\b", text[m.end():se]) \
        if verb in ("told", "tells", "telling") else None
    if told_that is not None:  # 'told a Syrian TV network that ...'
        av, cstart = None, m.end() + told_that.end()
        if _MEDIA_VIA.search(told_that["to"]):
            via = _strip(text, m.end() + told_that.start("to"), m.end() + told_that.end("to"))
    if verb.startswith(("accus", "blam", "charg", "urg", "call", "describ", "attribut")):
        av, cstart = None, m.end()  # the object is part of the content: 'accused X of ...'
    if verb.endswith("ing"):
        if not re.search(r",\s*$", text[max(ss, prev_end):m.start()]):
            return None
        spk = sentence_subject(text, ss, m.start()) if start == ss else None
        implicit = spk is None
    if av and av.group("told") and verb in ("told", "tells") and _MEDIA_VIA.search(av.group("told")):
        via = _strip(text, av.start("told"), av.end("told"))
    elif av and av.group("told") and verb not in ("told", "tells", "urged", "accused", "blamed",
                                                  "charged", "called"):
        cstart = av.start("told")
    q = next((q for q in quotes if cstart <= q.open < se and len(text[cstart:q.open].split()) <= 6
              and _long(text, q)), None)
    if q is not None and (text[cstart:q.open].strip() or re.search(
            r"\w", re.sub(r",?\s*(?:he|she|they|it)\s+(?:said|added)\b", "", text[q.close:se]))):
        q = None  # a quotation inside reported speech: the claim is the whole clause
    if q is not None:
        return Draft(vspan, spk, (q.start, q.end), True, via, implicit=implicit)
    claim = _strip(text, cstart, se)
    trail = re.search(r",\s*(?:however|though|too|as\s+well|instead|in\s+turn)\s*[.]?\s*$", text[claim[0]:se])
    if trail:  # 'denied responsibility, however'
        claim = _strip(text, claim[0], claim[0] + trail.start())
    tag = re.search(r",\s*(?:he|she|they|it|the\s+\w+)\s+(?:said|added)\b|,\s*(?:attempting|trying|seeking|"
                    r"hoping|aiming|in\s+an\s+(?:attempt|effort))\b|,\s*(?:while|whereas|although|"
                    r"though|as\s+(?:it|they|he|she)\s+(?:has|have|had|did|does))\s",
                    text[claim[0]:claim[1]])
    if tag:
        claim = _strip(text, claim[0], claim[0] + tag.start())
    if claim[1] - claim[0] < 6:
        return None
    return Draft(vspan, spk, claim, False, via, implicit=implicit)
