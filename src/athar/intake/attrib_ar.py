"""Arabic attribution rules: reporting verbs in all persons and forms, speakers
after or before the verb, complementisers, direct quotes, relays (نقلت ... عن),
statements carried by documents, post-posed sources (بحسب، وفقا لـ).

All patterns run on folded text (أ→ا, ة→ه, ى/ئ→ي, ؤ→و) and are compiled once."""

from __future__ import annotations

import re
from bisect import bisect_left

from athar.intake.attrib_ar_lex import PARTICIPLES, VERB_RE
from athar.intake.attrib_ar_np import (
    NP_PREP,
    np_base,
    skip_adjuncts,
    strip_prep,
    subject_after,
)
from athar.intake.attrib_ar_src import marker_claims, relay_claims
from athar.intake.claims import Draft
from athar.intake.segment import Quote

__all__ = ["VERB_RE", "find_claims_ar"]

_PARTICIPLES = PARTICIPLES
_VERB_RE = VERB_RE
_COMP = re.compile(
    r"\s*[،,]?\s*(?:(?<![^\W_])(?:من|الي|علي|في|عن)\s+)?(?<![^\W_])(?P<c>ب?(?:ان|انه|انها|انهم|انهما|اننا|انني|انه)"
    r"(?![^\W_]))|\s*(?P<colon>:)"
)
_ADJUNCT = re.compile(
    r"[،,]?\s*(?:في|خلال|عبر|ضمن|ب)\s*(?:ال)?(?:بيان|تصريح|تصريحات|حديث|مقابله|كلمه|موتمر|اجتماع|"
    r"جلسه|رساله|تقرير|تغريده|منشور|لقاء|اتصال|ندوه|صفحت|حساب|موقع|بيانها|بيانه|مذكره|رسالتين)"
    r"|[،,]?\s*(?<![^\W_])(?:يوم|امس|اليوم|صباح|مساء|ليل|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت"
    r"|مرارا|مجددا|ايضا|كذلك|جمله\s+وتفصيلا|بشده|فيها|لنا|لي|له|لها)"
    r"(?![^\W_])|[،,]\s*(?:من\s+جهت|بدور)"
)
_VIA_RE = re.compile(
    r"(?<![^\W_])ل(?P<via>(?:(?:وكاله|شبكه|قناه|صحيفه|موقع|تلفزيون|اذاعه|راديو|مراسل)[^،,:\"«“]{0,40}?"
    r"|(?:رويترز|فرانس\s+برس|اسوشيتد\s+برس|الاناضول|سانا|تاس|سبوتنيك|الجزيره|العربيه|بي\s+بي\s+سي)"
    r"|\s*[«\"“][^»\"”\n]{2,40}[»\"”]))"
    r"(?=\s*[:،,]|\s*$|\s+(?:ان|انه|انها)\b)"
)
_NOT_SPEAKER = re.compile(r"^(?:ما|الذي|التي|هذا|هذه|ذلك|تلك|الوقايع|الاحداث|الادله|المعطيات|"
                          r"الحقايق|الشواهد|الصور|الفيديو)(?![^\W_])")
# a conjunction carrying a pronoun (لكنها، إلا أنه) is an elided subject, not a speaker
_NOUN_NAFY = re.compile(r"\s+(?:ل\S{2,}|(?!ال)\S{2,}(?:ي|يه)(?:\s+ل\S{2,}|\s*$))")
_PRONOUN_CONJ = re.compile(r"^[وف]?(?:لكن|لكنه|لكنها|لكنهم|الا\s+انه|الا\s+انها|بل|ثم|انه|انها|انهم|"
                           r"هو|هي|هم)$")
_AR_DATELINE = re.compile(
    r"\s*[^\s\d،,.:«»\"-]{2,20}(?:\s+[^\s\d،,.:«»\"-]{2,20})?\s*(?:\([^)\n]{2,30}\)\s*)?[-–—]\s*"
    r"(?:[«\"“][^»\"”\n]{2,30}[»\"”]|[^\s\d،,.:«»\"-]{2,20}(?:\s+[^\s\d،,.:«»\"-]{2,20})?)\s*[-–—:]\s*"
    r"(?=\S)"
)
_KANA = re.compile(r"(?<![^\W_])(?:و|ف)?(?:كان|كانت|قد\s+كان)(?![^\W_])")
_CLAUSE_LEAD = re.compile(r"^\s*(?:[وف]?(?:قد|لقد|كما|ثم)|من\s+جهت\w*|بدور\w*|في\s+السياق\s+\w+"
                          r"|علي\s+الصعيد\s+\w+|الي\s+ذلك|وفي\s+\w+|في\s+\w+)?[\s،,]*$")


_ARABIC = re.compile(r"[\u0621-\u064a]")


def _long(text: str, q: Quote) -> bool:
    """A quotation long enough to be a statement (not a quoted name or term)."""
    return len(text[q.start:q.end].split()) >= 4


def _quote_at(quotes: list[Quote], pos: int, limit: int, text: str = "") -> Quote | None:
    for q in quotes:
        if text and not _long(text, q):
            continue
        if pos <= q.open < limit:
            return q if q.open - pos < 4 else None
    return None


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n،,:؛;\"«“”»'-–—":
        s += 1
    while e > s and text[e - 1] in " \t\n،,:؛;.\"«“”»'-–—":
        e -= 1
    return s, e


def _speaker_after(text: str, s: int, e: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Speaker span between verb and complementiser, minus adjuncts; and a 'told X' relay."""
    via = None
    m = _VIA_RE.search(text, s, e)
    if m:
        via = _strip(text, m.start("via"), m.end("via"))
        e = min(e, m.start())
    a = _ADJUNCT.search(text, s, e)
    if a and a.start() > s + 1:
        e = a.start()
    elif a:
        e = s
    s, e = _strip(text, s, e)
    if e - s < 2:
        return None, via
    return (s, e), via


def find_claims_ar(text: str, sents: list[tuple[int, int]], quotes: list[Quote]) -> list[Draft]:
    """Attributed claims in Arabic folded text (spans are folded offsets)."""
    out: list[Draft] = []
    opens = [q.open for q in quotes]
    for ss, se in sents:
        if not _ARABIC.search(text, ss, se):
            continue
        near = quotes[bisect_left(opens, ss) : bisect_left(opens, se)]
        out.extend(_sentence(text, ss, se, near))
    return out


def _claim_end(text: str, start: int, se: int, triggers: list[int]) -> int:
    end = se
    for t in triggers:
        if t > start:
            before = text[max(start, t - 12) : t]
            if re.search(r"[،,؛]\s*(?:[وف]?(?:فيما|بينما|في\s+حين|كما))?\s*$", before) or (
                    text[t:t + 1] in "وف" and text[t - 1:t].isspace()):  # "... وتلقي باللوم"
                end = min(end, t)
                break
    m = re.search(r"[،,]\s*(?:[وف])?(?:بحسب|حسب|وفقا\s*ل|نقلا\s+عن)(?![^\W_])", text[start:end])
    if m:
        end = start + m.start()
    m = _CLAUSE_AFTER.search(text, start, end)
    if m and m.start() - start > 12:
        end = m.start()
    return end


# an adverbial or appositive clause after the content: '، وذلك بعد ...'، '، وهو اتهام ...'
_CLAUSE_AFTER = re.compile(r"[،,]\s*(?:وذلك|وهو\s+ما|وهو\s+اتهام|وهي\s+تهمه|الامر\s+الذي|ولكن|لكن|"
                           r"في\s+حين|بينما|فيما|علما\s+بان|علما\s+ان)(?![^\W_])"
                           r"|\s(?:وهي|وهو)\s+(?:اول|ثاني|اخر|احد|احدي|جماعه|منظمه|فصيل)(?![^\W_])")


def _sentence(text: str, ss: int, se: int, quotes: list[Quote]) -> list[Draft]:
    out: list[Draft] = []
    dl = _AR_DATELINE.match(text, ss, se)
    if dl is not None:
        ss = dl.end()  # «دمشق - سانا -», «حلب (رويترز) -»: a dateline, not a speaker
    relays, covered = relay_claims(text, ss, se, quotes)
    out += relays
    verbs = [m for m in _VERB_RE.finditer(text, ss, se)
             if not any(a <= m.start() < b for a, b in covered)]
    triggers = [m.start() for m in verbs]
    for m in verbs:
        d = _verb_claim(text, m, ss, se, quotes, triggers)
        if d is not None:
            out.append(d)
    out += marker_claims(text, ss, se, covered, _claim_end, out)
    return out


# impersonal 'it is mentioned that' (يذكر أن، يشار إلى أن): the outlet's own voice
_IMPERSONAL = re.compile(r"\s*[وف]?(?:يذكر|يشار|يجدر\s+بالذكر|الجدير\s+بالذكر)\s*$")
# a reporting verb inside a source marker: 'وفق ما أفاد X' (handled as 'according to')
_IN_MARKER = re.compile(r"(?<![^\W_])[وف]?(?:وفق|حسب|بحسب|وفقا\s*ل)\s*ما\s*$|حسبما\s*$")


def _verb_claim(text: str, m: re.Match[str], ss: int, se: int, quotes: list[Quote],
                triggers: list[int]) -> Draft | None:
    verb = m["v"]
    vspan = (m.start("v"), m.end("v"))
    if _IN_MARKER.search(text, max(ss, m.start() - 10), m.start()):
        return None
    if verb == "نفي" and _NOUN_NAFY.match(text, m.end(), se):
        return None  # «نفي سوري لاستخدام ...»: the noun 'denial' in a headline, not the verb
    base = np_base(verb)
    window_end = min(se, m.end() + 260)
    comp = None
    for c in _COMP.finditer(text, m.end(), window_end):
        if _NOT_COMP.search(text, max(m.end(), c.start() - 12), c.start() + 1):
            continue
        comp = c
        break
    if _IMPERSONAL.fullmatch(text, ss, m.end()) and comp is not None:
        claim = _strip(text, comp.end(), _claim_end(text, comp.end(), se, triggers))
        return Draft(vspan, None, claim, outlet=True) if claim[1] - claim[0] > 6 else None
    if base is not None and comp is not None and (
            comp.start() - m.end() > 90 or any(m.end() < t < comp.start() for t in triggers)
            or (NP_PREP[base] and re.search(rf"(?<![^\W_]){NP_PREP[base]}\s+\S+\s+\S",
                                            text[m.end():comp.start()]))):
        comp = None  # 'خلص الفريق إلى وجود أسس للاعتقاد بأن': the content is the prepositional phrase
    q = None
    for qq in quotes:
        if m.end() <= qq.open < window_end and _long(text, qq):
            q = qq
            break
    if q is not None and comp is not None and not comp["colon"] and 0 <= comp.start() - q.close <= 4:
        q = None  # 'كشف مركز "..."، أن': the quotation is the speaker's name
    speaker: tuple[int, int] | None = None
    via = None
    direct = False
    # speaker/adjunct region ends at the complementiser or the quote, whichever first
    if q is not None and (comp is None or q.open <= comp.start() + 2):
        region_end = q.open
        claim = (q.start, q.end)
        direct = True
        if comp is not None and comp.start() < q.open and not comp["colon"]:
            region_end = comp.start()
    elif comp is not None:
        region_end = comp.start()
        cstart = comp.end()
        q2 = _quote_at(quotes, cstart, se, text)
        if q2 is not None:
            claim, direct = (q2.start, q2.end), True
        else:
            claim = (cstart, _claim_end(text, cstart, se, triggers))
    elif base is not None:
        return _np_claim(text, m, base, ss, se, triggers)
    else:
        return None
    if region_end - m.end() > 160 or any(m.end() < t < region_end for t in triggers):
        return _np_claim(text, m, base, ss, se, triggers) if base is not None else None
    before = _speaker_before(text, ss, m.start()) if verb not in _PARTICIPLES else None
    if before is not None and before[0] == ss and not m.group().strip().startswith(("و", "ف")):
        before = _clause_subject(text, ss, m.start()) or before  # 'نشر نشطاء فيديو قالوا'
    speaker, via = _speaker_after(text, m.end(), region_end)
    if speaker is not None and verb.startswith(("وصف", "يصف", "تصف", "واصف")):
        speaker = subject_after(text, speaker[0], speaker[1], verb)  # 'وصف المتحدث الهجوم بأنه
    if before is not None and (speaker is None or verb in _PARTICIPLES or _speaker_in_lead(
            text, ss, m.start())):
        speaker = before  # SVO; in VSO the subject between verb and complementiser wins
    if speaker is not None and (text[speaker[0]:speaker[1]].split()[0] in ("ان", "انه", "بان")
                                or _PRONOUN_CONJ.match(text[speaker[0]:speaker[1]])):
        speaker = None  # 'لكنها قالت': the subject is the previous one
    if speaker is None and verb not in _PARTICIPLES and m.group().strip()[:1] not in "وف":
        speaker = _clause_subject(text, ss, m.start())  # 'نشر نشطاء فيديو قالوا إنه ...'
    implicit = speaker is None
    cs, ce = _strip(text, *claim)
    if ce - cs < 3:
        return None
    if speaker is not None and _NOT_SPEAKER.match(text[speaker[0]:speaker[1]]):
        return Draft(None, None, (cs, ce), outlet=True)
    return Draft(vspan, speaker, (cs, ce), direct, via, implicit=implicit)


_SIDE_MARKER = re.compile(r"\s*(?:من\s+جهت\w*|من\s+جانب\w*|بدور\w*)\s*[،,]?\s*$")


def _speaker_before(text: str, ss: int, vstart: int) -> tuple[int, int] | None:
    """Subject before the verb: 'وكان X (قد) أعلن' or a sentence-initial noun phrase."""
    comps = list(re.finditer(r"(?<![^\W_])(?:ان|انه|بان|انها|انهم)(?![^\W_])", text[ss:vstart]))
    if comps:
        ss = ss + comps[-1].end()
    if _VERB_RE.search(text, ss, vstart):
        return None  # the lead holds another reporting verb
    lead = text[ss:vstart]
    if _CLAUSE_LEAD.match(lead):
        return None
    kanas = list(_KANA.finditer(text, ss, vstart))
    k = kanas[-1] if kanas else None
    if k is not None:
        s, e = _strip(text, k.end(), vstart)
        e2 = text.rfind(" قد", s - 1, e + 1)
        if e2 >= s - 1 and e2 >= e - 4:
            s, e = _strip(text, s, max(s, e2))
        if e - s < 2:  # 'X كان قد قال': the subject precedes كان
            s, e = _strip(text, ss, k.start())
            s = _after_comma(text, s, e)
        return (s, e) if 2 <= e - s <= 90 else None
    marker = _SIDE_MARKER.search(text, ss, vstart)
    if marker is not None:  # 'النظام السوري من جهته، نفى': the subject before 'from his side'
        s, e = _strip(text, ss, marker.start())
        s = _after_comma(text, s, e)
        return (s, e) if 2 <= e - s <= 90 and len(text[s:e].split()) <= 8 else None
    if re.search(r"[،,]\s*[وف]?\s*$", text[ss:vstart]):
        return None  # a coordinated clause: the subject is the previous one
    s, e = _strip(text, ss, vstart)
    s = _after_comma(text, s, e)
    am = re.match(r"اما\s+", text[s:e])
    if am:
        s += am.end()
        fm = re.search(r"[،,]\s*[فو](?:قد|لقد)?\s*$", text[s:e + 1])
        e = s + fm.start() if fm else e
    seg = text[s:e]
    lm = re.match(r"^[وف]?(?:قد|لقد|كما|ثم)\s+|^و(?=\S)", seg)
    if lm:
        s += lm.end()
    if _PREP_LEAD.match(text, s, e) or re.search(r"(?<![^\W_])(?:الذي|التي|الذين)\s*$", text[s:e]):
        return None
    if e - s < 2 or e - s > 90 or re.search(r"[.:؟!]", text[s:e]):
        return None
    if len(text[s:e].split()) > 10:
        return None
    return (s, e)


_NOT_COMP = re.compile(r"(?<![^\W_])(?:قبل|بعد|دون|بدل|رغم|منذ|حتي|اجل)\s*$")
_PREP_LEAD = re.compile(r"[وف]?(?:في|خلال|منذ|بعد|قبل|عند|علي|من|عن|الي|مع|حول|اذ|لان|لكن|حين|"
                        r"كما|الذي|التي|الذين|حيث|بينما|فيما)(?![^\W_])")


def _clause_subject(text: str, ss: int, vstart: int) -> tuple[int, int] | None:
    """The subject of the sentence's opening verb (VSO), for a reporting verb in a relative
    clause without its own subject: 'نشر نشطاء تسجيلا قالوا إنه ...' -> نشطاء."""
    first = re.match(r"\s*[وف]?(\S{3,})\s+", text[ss:vstart])
    if first is None or _VERB_RE.match(text, ss + first.start(1)):
        return None
    subj = subject_after(text, ss + first.end(), vstart, first.group(1))
    if subj is None or subj[1] > vstart or subj[0] - ss > 40:
        return None
    return subj


def _speaker_in_lead(text: str, ss: int, vstart: int) -> bool:
    """True when the words before the verb are only a subject (no clause of their own):
    then SVO holds even if a noun phrase also follows the verb."""
    lead = text[ss:vstart]
    return not re.search(r"[،,]|(?<![^\W_])(?:في|علي|من|الي|عن|مع|بعد|قبل|خلال)(?![^\W_])", lead) \
        and len(lead.split()) <= 6


def _after_comma(text: str, s: int, e: int) -> int:
    """Start of the last comma-separated piece of a lead (a subject is not split by one)."""
    c = max(text.rfind("،", s, e), text.rfind(",", s, e))
    if c < 0:
        return s
    piece = _strip(text, c + 1, e)
    return piece[0] if piece[1] - piece[0] >= 2 else s


def _np_claim(text: str, m: re.Match[str], base: str, ss: int, se: int,
              triggers: list[int]) -> Draft | None:
    """Warned of / denied / accused / demanded + noun phrase (no complementiser)."""
    verb = m["v"]
    if re.search(r"(?<![^\W_])(?:الذي|التي|الذين)\s*$", text[max(ss, m.start() - 8):m.start()]):
        return None
    rest_end = _claim_end(text, m.end(), se, [t for t in triggers if t > m.end()])
    cut = _NP_CUT.search(text, m.end(), rest_end)
    if cut:
        rest_end = cut.start()
    if base == "حمل" and "مسوول" not in text[m.end():rest_end]:
        return None
    pos = skip_adjuncts(text, m.end(), rest_end)
    before = None if verb in _PARTICIPLES else _speaker_before(text, ss, m.start())
    if before is not None and m.group().strip().startswith(("و", "ف")) and any(
            ss <= t < m.start() for t in triggers):
        before = None  # 'تنفي دمشق ... وتلقي باللوم': a coordinated verb shares the subject
    if before is not None and (re.search(r"(?:ه|ها|وه)$", verb) and base == "نفي" or
                               re.match(r"[وف]?(?:هو|هي|هم)\s", text[before[0]:before[1]])):
        before = None  # «وهو اتهام نفاه الجيش»: the subject follows the verb
    speaker, via = before, None
    coordinated = m.group().startswith("و") and re.search(r"[،,]\s*$", text[ss:m.start()])
    if before is not None and not _speaker_in_lead(text, ss, m.start()) and \
            subject_after(text, pos, rest_end, verb) is not None:
        before = speaker = None  # VSO: 'بينما نفى النظام ...' after a clause of its own
    if before is None and verb not in _PARTICIPLES:
        gender_verb = re.sub(r"(?:ها|ه)$", "", verb) if base == "نفي" and len(verb) > 3 else verb
        subj = subject_after(text, pos, rest_end, gender_verb)  # «نفاه»: ه is the object
        if subj is not None and coordinated and base in ("اتهم", "حمل", "ادان", "دعا", "طالب") and \
                re.match(r"\s*(?:ب\S|(?:ال)?مسوولي)", text[subj[1]:rest_end]):
            subj = None  # 'واتهم الفصائل بفبركة الهجوم': the noun is the object, the subject is elided
        if subj is not None and not (coordinated and subj[1] - subj[0] > 12):
            speaker = subj
            pos = subj[1]
            vm = _VIA_RE.match(text, pos, rest_end) or re.match(
                r"\s*(?P<via>ل(?:وكاله|قناه|صحيفه|موقع|صوت|شبكه|مراسل)[^\s،,]*(?:\s+ال[^\s،,]+)?)",
                text[pos:rest_end])
            if vm is not None:
                off = 0 if vm.re is _VIA_RE else pos
                via = _strip(text, off + vm.start("via") + 1, off + vm.end("via"))
                pos = off + vm.end()
            pos = skip_adjuncts(text, pos, rest_end)
    pos = strip_prep(text, pos, rest_end, NP_PREP[base])
    cs, ce = _strip(text, pos, rest_end)
    if re.search(r"(?:ه|ها|وه)$", verb) and base == "نفي":
        cs, ce = m.start("v"), m.end("v")  # «نفاه النظام»: the content is the antecedent (resolved later)
    if ce - cs < 3 or len(text[cs:ce].split()) < 1:
        return None
    if speaker is not None and _NOT_SPEAKER.match(text[speaker[0]:speaker[1]]):
        return None
    return Draft((m.start("v"), m.end("v")), speaker, (cs, ce), False, via,
                 implicit=speaker is None)


_NP_CUT = re.compile(r"[،,؛]\s*(?:و|ف(?!ي\s))\S|\s[وف](?:قال|اكد|اعلن|اتهم|تتهم|يتهم|نفي|نفت|تنفي|"
                     r"طالب|تطالب|حذر|تحذر|دعا|اضاف|اشار|تلقي|يلقي|القت|القي|حمل|حملت|تحمل|يحمل)"
                     r"(?![^\W_])")
