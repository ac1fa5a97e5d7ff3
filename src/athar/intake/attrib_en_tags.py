"""English attribution tags and speakers: where a reporting verb's tag ends ('said Wednesday
in a statement'), tags that interrupt the content, names with a description, 'citing', nouns
that look like verbs, negated attributions, where a subject ends and what is no speaker.
Patterns run on folded text; compiled once."""

from __future__ import annotations

import re

from athar.intake.claims import Draft

__all__ = [
    "APPOSITION", "AUX_TAIL", "CITING_THAT", "CONDUIT", "DET_BEFORE", "LEAD", "LEAD_CLAUSE", "NEGATED",
    "NON_SPEAKER", "NOUN_NEXT", "RELATIVE_SUBJECT", "SPEAKER_APPOS", "SUBJ_END", "TAG_SUBJECT",
    "TAG_TAIL", "THAT_AFTER", "clean_speaker", "interrupted", "sentence_subject",
]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n,:;\"“”'-–—(":
        s += 1
    while e > s and text[e - 1] in " \t\n,:;.\"“”'-–—)":
        if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
            break  # a bracket the span opened itself stays: 'Hawar news agency (ANHA)'
        e -= 1
    return s, e


CITING_THAT = re.compile(r"citing\s+(?P<sp>[^,;:\"“]{2,90}?)\s*,?\s+that\s+")
CONDUIT = re.compile(r"(?P<via>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})\s+"
                      r"(?P<v>reported|said|reports|says|wrote)\s*,?\s*$")

NEGATED = re.compile(r"(?i:\b(?:did|does|do|has|have|had|would|will|could)\s*(?:not|n['’]t)\s+|\bnever\s+)$")
# 'the poison gas claims came as ...': a verb word followed by a finite verb is a noun
NOUN_NEXT = re.compile(r"s\s+(?:came|come|comes|were|was|is|are|have|had|has|remain|remained)\b")
# a verb word right after a determiner is a noun: 'the report notes', 'the claims came'
DET_BEFORE = re.compile(r"(?i:\b(?:the|a|an|its|his|her|their|our|this|that|these|those|such|"
                         r"whose|new|latest|recent|earlier|further|any|no|international|western|"
                         r"unconfirmed|unverified|conflicting|initial|numerous|repeated|unsupported|"
                         r"false|baseless)\s+)$")
# trailing words of a post-posed tag: '..., the ministry said (on) Wednesday (in a statement).'
TAG_TAIL = re.compile(
    r"(?i:(?:\s*,?\s*(?:(?:on|late|early|last|this|earlier|later)\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|"
    r"earlier|later|recently|again|also)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\s*,?\s*(?:in|on|during|at)\s+(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}"
    r"(?:statement|briefing|interview|report|tweet|post|conference|meeting|session|letter|"
    r"website|speech|message|note)(?:\s+(?:on|to|with|at)\s+[\w\s]{1,40}?)?"
    r"|\s*,?\s*by\s+(?:phone|telephone)"
    r"|\s*,?\s*on\s+(?:twitter|facebook|telegram|x)"
    r"|\s*,?\s*(?:on|in)\s+(?:\d{1,2}\s+)?[A-Z][a-z]+(?:\s+\d{1,4})?)*"
    r"\s*(?:,\s*(?:\w+ing|in\s+what|as|amid|after|while|which|with|where|when|though|although)\b"
    r"[^\"“]*)?[.]?\s*$)"
)

SPEAKER_APPOS = re.compile(
    r"(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Maj|Lt|Prof|Adm|Rear\s+Adm|Maj\.\s+Gen|Brig)\.?\s+)?"
    r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+)?[A-Z][\w'’.-]+){1,3}),\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:deputy|head|chief|spokes\w+|director|minister|official|member|commander|representative|"
    r"envoy|ambassador|doctor|coordinator|president|secretary|[\w]+-based|monitor|group|watchdog|"
    r"organi[sz]ation|charity|agency)\b"
)



# adjuncts a verb may carry before its 'that': 'reported Wednesday that', 'said in a briefing that'
THAT_AFTER = re.compile(
    r"(?i:(?:\s+(?:on\s+|last\s+|late\s+|early\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|yesterday|today|earlier|later|again|also|\w+ly)"
    r"|\s+(?:in|on|at|during)\s+(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:statement|briefing|interview|report|tweet|post|conference|meeting|session|letter|speech|"
    r"message|note)(?:\s+(?:released|issued|published|posted|sent)(?:\s+(?:on|late|early|last|this)?"
    r"\s*\w+)?)?|\s+on\s+(?:twitter|facebook|telegram|x|its\s+website|his\s+account|her\s+account|"
    r"social\s+media))*\s+that\b)"
)
TAG_SUBJECT = re.compile(  # the subject of a tag that interrupts the content: ', he said,'
    r"(?:he|she|they|it|we|(?:the|a|an)\s+[a-z]+(?:\s+[a-z]+)?|"
    r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)"
)


def interrupted(text: str, m: re.Match[str], ss: int, se: int, prev_end: int) -> Draft | None:
    """'The gas, he said, had affected 100 residents': the tag splits the content, the span
    runs across it. The clause starts after the comma before the content (or the sentence)."""
    if not re.match(r"\s*(?:on\s+\w+\s*)?,", text[m.end():se]):
        return None
    start = max(ss, prev_end)
    c1 = text.rfind(",", start, m.start())
    if c1 < 0:
        return None
    subj = _strip(text, c1 + 1, m.start())
    if not TAG_SUBJECT.fullmatch(text[subj[0]:subj[1]]):
        return None
    c0 = text.rfind(",", start, c1)
    cstart = c0 + 1 if c0 >= 0 else start
    claim = _strip(text, cstart, se)
    before, after = text[cstart:c1].split(), text[text.index(",", m.end()) + 1:se].split()
    if len(before) < 2 or len(after) < 3 or any(q in text[cstart:c1] for q in '"“”'):
        return None
    if re.match(r"(?i:\w+ing|in\s+what|as|amid|after|while|which|with|where|when|though|"
                r"although|his|her|their)\b", " ".join(after)):
        return None  # '..., the opposition says, in what ...': a trailing tag, not an interruption
    tail = re.search(r",\s*(?:[a-z]+\s+){0,4}[a-z]+,\s*(?:he|she|they|it)\s+\w+,", text[m.end():se])
    if tail:  # a second interrupted tag further on: '..., some of whom, he asserted, were ...'
        claim = _strip(text, cstart, m.end() + tail.start())
    return Draft((m.start("v"), m.end("v")), subj, claim)


APPOSITION = re.compile(  # ', Mohamed Elwan' right before the tag's apposition
    r",\s*(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Prof)\.?\s+)?[A-Z][\w'’-]+(?:\s+(?:al-|bin\s+)?[A-Z][\w'’-]+){1,3})\s*$"
)


# the subject of a reporting verb inside a relative clause: ', which activists claim (was ...)'
RELATIVE_SUBJECT = re.compile(r"(?:^|,\s*|\s)(?:which|that|what)\s+(?P<sp>[^,;:\"“]{2,80})$")
# a participial or prepositional lead before the subject: 'Referring to the attack, X said'
LEAD_CLAUSE = re.compile(r"(?:[A-Z][a-z]+ing|In|On|At|After|Before|During|Following|Asked|"
                         r"Responding|Speaking|Addressing)\b[^\"“]{0,160},\s*(?=\S)")


# --- speakers: where a subject ends, what is not one ---

AUX_TAIL = re.compile(
    r"(?i:(?:\s+(?:also|later|earlier|previously|repeatedly|has|have|had|was|were|is|are|would|"
    r"will|again|further|then|separately|strongly|flatly|publicly|quickly|on\s+\w+|today|"
    r"yesterday|swiftly|categorically|has\s+also|it|went\s+on\s+to|then\s+went\s+on\s+to|always|"
    r"never|long|consistently|since|has\s+always|had\s+always))+\s*$)"
)
LEAD = re.compile(
    r"(?i:\s*(?:(?:in|on|at|during|after|before|speaking|writing|meanwhile|separately|however|but|and|"
    r"earlier|later|last|also)\b[^,]{0,35},\s*)+)"
)

NON_SPEAKER = re.compile(r"(?i:^(?:it\s+\w+|this|that|which|what|there|as\b|where\b|when\b|none\b|"
                          r"no\s+one\b|nobody\b|neither\b|"
                          r"(?:of|for|to|in|on|at|with|by|from|and|but|or|into|over)\s|"
                          r"(?:all\s+)?(?:the\s+)?(?:available\s+|new\s+|such\s+)?(?:evidence|facts|images|"
                          r"footage|video|report's|findings|data)\b))")

SUBJ_END = re.compile(r"\s(?:gave|has|had|have|is|was|were|are|put|issued|released|published|made|"
                       r"took|said|says|told|tells|wrote|\w+ed)\b")


def sentence_subject(text: str, ss: int, end: int) -> tuple[int, int] | None:
    """The subject of a sentence's main clause (its words before the first finite verb)."""
    lead = LEAD.match(text, ss, end)
    s = lead.end() if lead else ss
    m = SUBJ_END.search(text, s, end)
    if m is None or len(text[s:m.start()].split()) > 8:
        return None
    return clean_speaker(text, s, m.start())


def clean_speaker(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The speaker span inside ``[s, e)`` without trailing auxiliaries ('has also') or a
    description after the name; None when it is no speaker (a pronoun clause, evidence, a
    prepositional phrase, a passive, or longer than 16 words)."""
    s, e = _strip(text, s, e)
    tail = AUX_TAIL.search(text, s, e)
    if tail:
        e = tail.start()
    s, e = _strip(text, s, e)
    conj = re.match(r"(?:but|and|yet|while|whereas)\s+", text[s:e])
    if conj:  # '..., but the government has always denied': the clause's own subject
        s += conj.end()
    seg = text[s:e]
    rel = re.search(r",\s*(?:who|which|whose)\b[^,]*,?\s*$", seg)
    if rel and rel.start() > 1:  # 'Ahmed Hassan, who runs the clinic,': the name
        e = s + rel.start()
        seg = text[s:e]
    title_name = re.fullmatch(r"(?i:an?|the)\s+[^,]{3,80},\s*((?:(?:Dr|Mr|Mrs|Ms|Gen|Col)\.?\s+)?"
                              r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+|abu\s+|Abu\s+)?[A-Z][\w'’.-]+){1,3})",
                              seg)
    if title_name:  # 'A spokesman for the White Helmets, Ibrahim Abu Laith': the name
        s, e = s + title_name.start(1), s + title_name.end(1)
        seg = text[s:e]
    appos = SPEAKER_APPOS.match(seg)
    if appos:  # 'Rear Adm. X Y, deputy head of ...': the name, without its description
        e = s + appos.end("name")
        seg = text[s:e]
    if seg.count("(") > seg.count(")") and text[e:e + 1] == ")":
        e += 1  # 'Hawar news agency (ANHA)': keep the closing bracket
        seg = text[s:e]
    if e - s < 2 or len(re.sub(r"\([^)]*\)", "", seg).split()) > 16 or NON_SPEAKER.match(seg):
        return None
    if re.search(r"\b(?:was|were|is|are|had|has|have|been|being|will|would)\b\s+\w+ed\b", seg) or \
            re.search(r"\b(?:be|been|being|is|are|was|were)$", seg):
        return None  # a passive: "the results will be announced"
    return s, e
