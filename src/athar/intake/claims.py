"""Claim drafts shared by the Arabic and English attribution rules, and their
assembly into :class:`~athar.intake.models.Claim` (speakers, nesting, spans)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from athar.intake.document import Doc
from athar.intake.models import Claim
from athar.intake.normalize import fold_key
from athar.intake.segment import Quote
from athar.intake.speakers import Resolved, SpeakerContext

__all__ = ["Draft", "anaphoric_denials", "assemble", "resumed_quotes", "split_coordinated",
           "stance_of"]

_PRONOUN = re.compile(r"(?i:he|she|they|it|we|هو|هي|هم)")
_PERSON_HEAD = (r"spokes\w*|official|minister|envoy|ambassador|doctor|president|commander|"
                r"general|diplomat|director|head|chief|representative|expert|investigator")
# a mention that only points back: a pronoun, or 'the' + a person noun ('the spokesman');
# 'the ministry' names its speaker and is kept as written (guideline: "It said" -> "The ministry")
_ANAPHOR = re.compile(rf"(?:he|she|they|it|we|هو|هي|هم|the\s+(?:{_PERSON_HEAD})"
                      r"|the\s+(?:group|agency|organi[sz]ation|watchdog|body)|الوكاله|المنظمه)")
_PERSONISH_KEY = re.compile(rf"^(?:he|she|we|هو|هي|the\s+(?:{_PERSON_HEAD}))$")
_PERSON_WORDS = re.compile(rf"(?i:\b(?:{_PERSON_HEAD})\b|متحدث|وزير|مدير|رييس|طبيب|الدكتور)")
_NAME = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Maj|Lt|Prof|Adm|Rear\s+Adm|Maj\.\s+Gen)\.?\s+)?"
    r"[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+|de\s+|van\s+)?[A-Z][\w'’.-]+){1,3}"
)
_ORG_WORDS = re.compile(
    r"(?i:^the\s|ministry|agency|group|organi[sz]ation|army|military|centre|center|observatory|"
    r"watchdog|society|association|union|foundation|institute|league|movement|front|brigade|"
    r"helmets|defen[cs]e|doctors|physicians|médecins|medecins|"
    r"mechanism|mission|network|committee|commission|council|coalition|department|office|"
    r"government|command|forces|systems|news|reuters|وزار|منظم|هيي|مرصد|شبك|مركز|لجن|وكال|جيش|قوات|"
    r"حكوم|بيان|تقرير|قياده|مجلس|اداره|ايتلاف)"
)


def _antecedent(key: str, named: list[tuple[str, int | None, int | None, Resolved]]
                ) -> tuple[str, int | None, int | None, Resolved] | None:
    """The nearest earlier naming mention an anaphoric speaker points back to: a person
    ('Igor Konashenkov', 'a spokesman for the ministry') for 'he' or 'the spokesman', an
    organisation for 'it' or 'they'."""
    want_person = key not in ("it", "they", "هم") and _PERSONISH_KEY.search(key) is not None
    media = key in ("the agency", "الوكاله")
    for cand in reversed(named):
        written = cand[0]
        if re.match(r"(?i:its|his|her|their|our)\s", written):
            continue  # 'its fact-finding mission' points back itself; it names no one
        if media and cand[3].type != "media":
            continue  # 'the agency' is the news agency named before, not its source
        person = (_NAME.fullmatch(written) is not None and not _ORG_WORDS.search(written)) or \
            _PERSON_WORDS.search(written) is not None or (
                cand[3].type == "person" and not _ORG_WORDS.search(written))
        if person == want_person:
            return cand
    return None


_DENY = re.compile(  # on the folded, lower-cased verb
    r"^(?:denie[sd]|deny|denying|refute[sd]?|refuting|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|"
    r"disputed?|disputes|rebuffed|rebuts?|rebutted)$"
    r"|^[وف]?(?:نفي|نفت|نفوا|ينفي|تنفي|ينفون|نافيا|نافيه|نافين|نفاه|نفته|نفاها|نفوه|ينفيه|تنفيه|رفض|رفضت|يرفض|ترفض|رافضا|رافضه|كذب|كذبت|"
    r"فند|فندت|يفند|تفند|دحض|دحضت)$"
)


def stance_of(verb: str | None) -> str:
    """'denies' when the reporting verb denies, refutes or rejects its content, else 'asserts'
    (so a denial is never counted as agreement with what it denies)."""
    if verb is None:
        return "asserts"
    return "denies" if _DENY.search(fold_key(verb)) else "asserts"


@dataclass
class Draft:
    """A claim found by a rule, in folded offsets, before speaker resolution.

    ``speaker`` is a folded span or None (implicit subject: the last speaker).
    ``sibling_of`` marks a participle/continuation that shares the previous speaker.
    """

    verb: tuple[int, int] | None
    speaker: tuple[int, int] | None
    claim: tuple[int, int]
    direct_quote: bool = False
    via: tuple[int, int] | None = None
    outlet: bool = False
    implicit: bool = False
    hedge: bool = False  # 'reportedly', 'وردت تقارير': the cue is the (unnamed) source
    keep_last: bool = False  # a relayed source: later elided subjects stay with the relayer


def _text(doc: Doc, span: tuple[int, int] | None) -> tuple[str | None, int | None, int | None]:
    if span is None:
        return None, None, None
    s, e = doc.span(*span)
    if e <= s:
        return None, None, None
    return doc.text[s:e], s, e


def assemble(doc: Doc, drafts: list[Draft], source: str | None) -> list[Claim]:
    """Resolve speakers in document order, compute nesting, drop empty claims."""
    ctx = SpeakerContext()
    ctx.seed(source)
    drafts = sorted(drafts, key=lambda d: (d.claim[0], -(d.claim[1] - d.claim[0])))
    out: list[Claim] = []
    spans: list[tuple[int, int]] = []
    longest = 0
    last_written: str | None = None
    last_pos: tuple[int | None, int | None] = (None, None)
    last_res: Resolved | None = None
    named: list[tuple[str, int | None, int | None, Resolved]] = []
    for d in drafts:
        cs, ce = doc.span(*d.claim)
        if ce <= cs:
            continue
        verb, _, _ = _text(doc, d.verb)
        if verb is None and d.verb is not None:  # a colon attribution: the verb is '::' or ':'
            v0, v1 = doc.span(*d.verb, trim=False)
            verb = doc.text[v0:v1].strip() or None
        via, _, _ = _text(doc, d.via)
        if d.outlet:
            name = source or "outlet"
            res = Resolved(name, "unattributed_outlet_voice")
            written, ss, se = source, None, None
        elif d.hedge:
            written, ss, se = _text(doc, d.speaker)
            res = Resolved(written or "unnamed source", "unnamed_source")
        elif d.speaker is not None and _text(doc, d.speaker)[0]:
            written, ss, se = _text(doc, d.speaker)
            assert written is not None
            res = ctx.resolve(written)
            key = fold_key(written)
            ante = _antecedent(key, named) if _ANAPHOR.fullmatch(key) else None
            if ante is not None:  # 'he said', 'the ministry added': the naming mention
                written, ss, se, res = ante
            elif not _PRONOUN.fullmatch(written):
                named.append((written, ss, se, res))
        else:
            written, (ss, se) = last_written, last_pos
            res = last_res or Resolved(source or "outlet", "unattributed_outlet_voice")
            if last_res is None:
                written = source
        if d.via is not None:  # a conduit is a naming mention too ('Reuters reported, citing ...')
            vw, vs, ve = _text(doc, d.via)
            if vw:
                named.append((vw, vs, ve, Resolved(vw, "media")))
        if not d.hedge and not d.keep_last and (not d.outlet or d.verb is None):
            last_written, last_pos, last_res = written, (ss, se), res
        nested = None
        for i in range(len(out) - 1, -1, -1):
            ps, pe = spans[i]
            if cs - ps > longest:
                break  # starts sorted: no earlier claim can contain this one (linear time)
            if ps <= cs and ce <= pe and (ps, pe) != (cs, ce) and (
                    ss is not None and ps <= ss) and not out[i].direct_quote and not d.outlet:
                nested = i
                break
        if nested is not None and via is None and out[nested].speaker_type != "unattributed_outlet_voice":
            via = out[nested].speaker  # embedded source: it reaches us through the outer speaker
        out.append(Claim(written, res.name, res.type, verb, doc.text[cs:ce], cs, ce,
                         d.direct_quote, via, nested, ss, se, stance_of(verb)))
        spans.append((cs, ce))
        longest = max(longest, ce - cs)
    return out


# the object of a denial that only points back: 'denies responsibility', «نفاه»
_ANAPHORIC_OBJECT = re.compile(
    r"(?i:(?:any\s+|all\s+)?(?:responsibility|involvement|the\s+(?:reports?|claims?|allegations?|"
    r"accusations?|charges?)|these\s+(?:reports|claims|allegations|accusations|charges)|it|this|that|"
    r"them|the\s+accusation))"
    r"|(?:هذه|تلك)?\s*(?:ال)?(?:اتهامات|الاتهامات|الاتهام|المزاعم|الادعاءات|التقارير|الانباء|ذلك|هذا|"
    r"مسووليته|مسووليتها|اي\s+مسووليه|المسووليه)"
)
_PRONOMINAL_DENIAL = re.compile(r"^[وف]?(?:نفاه|نفته|نفاها|نفوه|ينفيه|تنفيه|denied\s+it|denies\s+it)$")


def anaphoric_denials(text: str, drafts: list[Draft]) -> list[Draft]:
    """Denials whose object only points back ('Damascus denies responsibility', 'denies the
    reports', «وهو اتهام نفاه النظام») take the antecedent claim's span (guideline)."""
    ordered = sorted(drafts, key=lambda d: d.claim[0])
    for k, d in enumerate(ordered):
        if d.verb is None or stance_of(text[d.verb[0]:d.verb[1]]) != "denies":
            continue
        obj = text[d.claim[0]:d.claim[1]].strip(" .،,")
        pronominal = _PRONOMINAL_DENIAL.match(text[d.verb[0]:d.verb[1]]) is not None
        if not pronominal and not _ANAPHORIC_OBJECT.fullmatch(obj):
            continue
        ante = next((p for p in reversed(ordered[:k]) if p is not d and p.claim[1] <= d.verb[0]
                     and stance_of(text[p.verb[0]:p.verb[1]] if p.verb else None) == "asserts"), None)
        if ante is not None and d.verb[0] - ante.claim[1] < 600:
            d.claim = ante.claim
            d.direct_quote = False
        elif d.claim == d.verb:
            d.claim = (0, 0)  # a pronoun with no antecedent: nothing to annotate
    return [d for d in drafts if d.claim != (0, 0)]


# a second complement with its own complementiser: '... and that ...', «...، وأن ...»
_AND_THAT = re.compile(r"(?:,\s*|\s+)and\s+that\s+|[،,]?\s+و(?:ان|انه|انها|انهم|بان)(?![^\W_])\s*")


def split_coordinated(text: str, drafts: list[Draft], quotes: list[Quote]) -> list[Draft]:
    """Coordinated complements each with their own complementiser are separate claims with
    the same speaker and verb (guideline); a split never falls inside a quotation."""
    out: list[Draft] = []
    for d in drafts:
        if d.outlet or d.hedge or d.verb is None:
            out.append(d)
            continue
        s, e = d.claim
        cuts = [m for m in _AND_THAT.finditer(text, s, e)
                if not any(q.start <= m.start() < q.end for q in quotes) and m.start() - s > 8
                and e - m.end() > 8]
        if not cuts:
            out.append(d)
            continue
        pieces = [(s, cuts[0].start())] + [(a.end(), b.start()) for a, b in zip(cuts, cuts[1:], strict=False)]
        pieces.append((cuts[-1].end(), e))
        for k, (a, b) in enumerate(pieces):
            a, b = _trim(text, a, b)
            if b - a < 3:
                continue
            out.append(d if k == 0 else Draft(d.verb, d.speaker, (a, b), False, d.via,
                                               implicit=d.implicit, keep_last=True))
            if k == 0:
                d.claim, d.direct_quote = (a, b), d.direct_quote and a == s and b == e
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n,،\"“”«»":
        a += 1
    while b > a and text[b - 1] in " \t\n,،.\"“”«»":
        b -= 1
    return a, b


def resumed_quotes(text: str, quotes: list[Quote], drafts: list[Draft]) -> list[Draft]:
    """Quotations resumed after a tag ('"A massacre," he said, his voice breaking, "and the
    world looks away."' or '..., the statement read. "..."'): each is a second claim with the
    same speaker and verb as the quotation before it (guideline). Folded offsets."""
    quoted = sorted((d for d in drafts if d.direct_quote and d.verb is not None),
                    key=lambda d: d.claim[1])
    ends = [d.claim[1] for d in quoted]
    spans = sorted(d.claim for d in drafts)
    starts = [s for s, _ in spans]
    out: list[Draft] = []
    for q in quotes:
        if q.end - q.start < 3 or len(text[q.start:q.end].split()) < 2:
            continue
        k = bisect_right(starts, q.end) - 1
        if k >= 0 and spans[k][0] < q.end and q.start < max(e for _, e in spans[:k + 1]):
            continue  # already (part of) a claim
        j = bisect_right(ends, q.open) - 1
        if j < 0:
            continue
        prev = quoted[j]
        gap = text[prev.claim[1]:q.open]
        if q.open - prev.claim[1] > 200 or len(gap.split()) > 14 or re.search(r"[\"“”«»]\s*\w", gap[1:]) \
                or "\n" in gap.strip():
            continue
        out.append(Draft(prev.verb, prev.speaker, (q.start, q.end), True, prev.via,
                         implicit=prev.speaker is None))
        quoted.insert(j + 1, out[-1])
        ends.insert(j + 1, q.end)
    return out
