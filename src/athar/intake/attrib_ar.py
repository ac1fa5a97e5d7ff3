"""Arabic attribution rules: reporting verbs in all persons and forms, speakers
after or before the verb, complementisers, direct quotes, relays (نقلت ... عن),
statements carried by documents, post-posed sources (بحسب، وفقا لـ).

All patterns run on folded text (أ→ا, ة→ه, ى/ئ→ي, ؤ→و) and are compiled once."""

from __future__ import annotations

import re
from bisect import bisect_left

from athar.intake.claims import Draft
from athar.intake.rx import trie
from athar.intake.segment import Quote

__all__ = ["find_claims_ar"]

_VERBS = """
قال قالت قالوا يقول تقول يقولون قايلا قايله
اكد اكدت اكدوا يوكد توكد يوكدون موكدا موكده
اعلن اعلنت اعلنوا يعلن تعلن معلنا معلنه
اوضح اوضحت اوضحوا يوضح توضح موضحا موضحه
افاد افادت افادوا يفيد تفيد مفيدا مفيده
اضاف اضافت اضافوا يضيف تضيف مضيفا مضيفه
ذكر ذكرت ذكروا يذكر تذكر ذاكرا
صرح صرحت صرحوا يصرح تصرح مصرحا مصرحه
كشف كشفت يكشف تكشف كاشفا كاشفه
اورد اوردت
اعتبر اعتبرت اعتبروا يعتبر تعتبر معتبرا معتبره
راي رات راوا يري تري
شدد شددت شددوا يشدد تشدد مشددا مشدده
تابع تابعت اردف اردفت
ختم ختمت اختتم اختتمت مختتما مختتمه
زعم زعمت زعموا يزعم تزعم زاعما زاعمه
ادعي ادعت ادعوا يدعي تدعي مدعيا مدعيه
لفت لفتت يلفت تلفت لافتا لافته
اشار اشارت اشاروا يشير تشير مشيرا مشيره
نوه نوهت منوها منوهه
ابلغ ابلغت
اعترف اعترفت
رجح رجحت
حذر حذرت حذروا يحذر تحذر محذرا محذره
نفي نفت نفوا ينفي تنفي نافيا نافيه
اتهم اتهمت اتهموا يتهم تتهم متهما متهمه
طالب طالبت طالبوا يطالب تطالب مطالبا مطالبه
دعا دعت دعوا يدعو تدعو داعيا داعيه
ادان ادانت ادانوا يدين تدين
ندد نددت يندد تندد منددا مندده
اعرب اعربت معربا معربه
""".split()
_PARTICIPLES = {v for v in _VERBS if v[0] in "مقلذكزدن" and v.endswith(("ا", "ه")) and len(v) >= 5}
_PARTICIPLES -= {"ذكروا", "اكدوا"}
_NP_VERBS = {  # verbs whose content may be a noun phrase, with the preposition it takes
    "حذر": "من", "نفي": "", "اتهم": "", "طالب": "ب", "دعا": "الي", "ادان": "", "ندد": "ب",
    "اعرب": "عن",
}
_VERB_RE = re.compile(
    r"(?<![^\W_])(?:[وف]|فقد|وقد|ولقد|كما|وكما)?\s?(?P<v>" + trie(_VERBS) + r")(?![^\W_])"
)
_COMP = re.compile(
    r"\s*[،,]?\s*(?:(?<![^\W_])(?:من|الي|علي|في|عن)\s+)?(?<![^\W_])(?P<c>ب?(?:ان|انه|انها|انهم|انهما|اننا|انني|انه)"
    r"(?![^\W_]))|\s*(?P<colon>:)"
)
_ADJUNCT = re.compile(
    r"[،,]?\s*(?:في|خلال|عبر|ضمن|ب)\s*(?:ال)?(?:بيان|تصريح|تصريحات|حديث|مقابله|كلمه|موتمر|اجتماع|"
    r"جلسه|رساله|تقرير|تغريده|منشور|لقاء|اتصال|ندوه|صفحت|حساب|موقع|بيانها|بيانه)"
    r"|[،,]?\s*(?:يوم|امس|اليوم|صباح|مساء|ليل|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت)"
    r"(?![^\W_])|[،,]\s*(?:من\s+جهت|بدور)"
)
_VIA_RE = re.compile(
    r"(?<![^\W_])ل(?P<via>(?:وكاله|شبكه|قناه|صحيفه|موقع|تلفزيون|اذاعه|راديو|مراسل)[^،,:\"«“]{0,40}?)"
    r"(?=\s*[:،,]|\s*$|\s+(?:ان|انه|انها)\b)"
)
_RELAY_RE = re.compile(
    r"(?<![^\W_])(?:[وف])?(?:كما\s+)?(?P<v>نقلت|نقل|اوردت|اورد)\s+(?P<via>[^،,.:]{2,60}?)\s+عن\s+"
    r"(?P<sp>[^،,.:]{2,80}?)\s*(?:[،,]\s*)?(?:قول(?:ه|ها|هم)?|تاكيد(?:ه|ها)?|ان|انه|:)"
)
_ACCORDING_RE = re.compile(
    r"(?<![^\W_])(?:[وف])?(?P<v>بحسب|حسب|وفقا\s*ل|نقلا\s+عن|على\s+حد\s+قول|علي\s+حد\s+قول)"
    r"\s*(?P<sp>[^،,.:؛]{2,80})"
)
_NOT_SPEAKER = re.compile(r"^(?:ما|الذي|التي|هذا|هذه|ذلك|تلك|الوقايع|الاحداث|الادله|المعطيات|"
                          r"الحقايق|الشواهد|الصور|الفيديو)(?![^\W_])")
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
            if re.search(r"[،,؛]\s*(?:[وف]?(?:فيما|بينما|في\s+حين|كما))?\s*$", before):
                end = min(end, t)
                break
    m = re.search(r"[،,]\s*(?:[وف])?(?:بحسب|حسب|وفقا\s*ل|نقلا\s+عن)(?![^\W_])", text[start:end])
    if m:
        end = start + m.start()
    return end


def _sentence(text: str, ss: int, se: int, quotes: list[Quote]) -> list[Draft]:
    out: list[Draft] = []
    covered: list[tuple[int, int]] = []
    for m in _RELAY_RE.finditer(text, ss, se):
        cstart = m.end()
        comp = re.match(r"\s*(?:ب?ان|انه|انها)(?![^\W_])", text[cstart:se])
        if comp:
            cstart += comp.end()
        q = _quote_at(quotes, cstart, se, text)
        claim = (q.start, q.end) if q else (cstart, se)
        cs, ce = _strip(text, *claim)
        out.append(Draft((m.start("v"), m.end("v")), _strip(text, m.start("sp"), m.end("sp")),
                         (cs, ce), q is not None, _strip(text, m.start("via"), m.end("via"))))
        covered.append((m.start(), m.end()))
    verbs = [m for m in _VERB_RE.finditer(text, ss, se)
             if not any(a <= m.start() < b for a, b in covered)]
    triggers = [m.start() for m in verbs]
    for m in verbs:
        d = _verb_claim(text, m, ss, se, quotes, triggers)
        if d is not None:
            out.append(d)
    for m in _ACCORDING_RE.finditer(text, ss, se):
        sp = _strip(text, m.start("sp"), m.end("sp"))
        if sp[1] - sp[0] < 2:
            continue
        before = _strip(text, ss, m.start())
        after = _strip(text, m.end(), se)
        claim = before if before[1] - before[0] > 10 else after
        if claim[1] - claim[0] < 6:
            continue
        out.append(Draft((m.start("v"), m.end("v")), sp, claim))
    return out


def _verb_claim(text: str, m: re.Match[str], ss: int, se: int, quotes: list[Quote],
                triggers: list[int]) -> Draft | None:
    verb = m["v"]
    vspan = (m.start("v"), m.end("v"))
    base = next((k for k in _NP_VERBS if verb.startswith(k[:3]) or verb[1:4] == k[:3]), None)
    window_end = min(se, m.end() + 260)
    comp = None
    for c in _COMP.finditer(text, m.end(), window_end):
        comp = c
        break
    q = None
    for qq in quotes:
        if m.end() <= qq.open < window_end and _long(text, qq):
            q = qq
            break
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
        return _np_claim(text, m, base, se, triggers)
    else:
        return None
    if region_end - m.end() > 160 or any(m.end() < t < region_end for t in triggers):
        return None
    speaker, via = _speaker_after(text, m.end(), region_end)
    if speaker is not None and text[speaker[0]:speaker[1]].split()[0] in ("ان", "انه", "بان"):
        speaker = None
    implicit = False
    if speaker is None and verb not in _PARTICIPLES:
        speaker = _speaker_before(text, ss, m.start())
        implicit = speaker is None
    elif speaker is None:
        implicit = True
    cs, ce = _strip(text, *claim)
    if ce - cs < 3:
        return None
    if speaker is not None and _NOT_SPEAKER.match(text[speaker[0]:speaker[1]]):
        return Draft(None, None, (cs, ce), outlet=True)
    return Draft(vspan, speaker, (cs, ce), direct, via, implicit=implicit)


def _speaker_before(text: str, ss: int, vstart: int) -> tuple[int, int] | None:
    """Subject before the verb: 'وكان X (قد) أعلن' or a sentence-initial noun phrase."""
    comps = list(re.finditer(r"(?<![^\W_])(?:ان|انه|بان)(?![^\W_])", text[ss:vstart]))
    if comps:
        ss = ss + comps[-1].end()
    lead = text[ss:vstart]
    if _CLAUSE_LEAD.match(lead):
        return None
    kanas = list(_KANA.finditer(text, ss, vstart))
    k = kanas[-1] if kanas else None
    if k is not None:
        s, e = _strip(text, k.end(), vstart)
        e2 = text.rfind(" قد", s, e + 1)
        if e2 > s and e2 >= e - 4:
            s, e = _strip(text, s, e2)
        return (s, e) if e - s >= 2 else None
    s, e = _strip(text, ss, vstart)
    seg = text[s:e]
    lm = re.match(r"^[وف]?(?:قد|لقد|كما|ثم)\s+|^و(?=\S)", seg)
    if lm:
        s += lm.end()
    if e - s < 2 or e - s > 90 or re.search(r"[.:؟!]", text[s:e]):
        return None
    if len(text[s:e].split()) > 10:
        return None
    return (s, e)


def _np_claim(text: str, m: re.Match[str], base: str, se: int, triggers: list[int]) -> Draft | None:
    """Warned of / denied / accused / demanded + noun phrase (no complementiser)."""
    prep = _NP_VERBS[base]
    rest_end = _claim_end(text, m.end(), se, [t for t in triggers if t > m.end()])
    if prep:
        p = re.search(rf"(?<![^\W_]){prep}(?=\s|\S)", text[m.end():rest_end]) if prep != "ب" else \
            re.search(r"(?<![^\W_])ب(?=[^\W\d_]{2,})", text[m.end():rest_end])
        if p is None:
            return None
        ps = m.end() + p.start()
        speaker, via = _speaker_after(text, m.end(), ps)
        cstart = ps + len(prep) if prep != "ب" else ps + 1
    else:
        words = list(re.finditer(r"\S+", text[m.end():rest_end]))
        if len(words) < 2:
            return None
        n = 1
        while n < len(words) - 1 and words[n].group().startswith("ال") and n < 4:
            n += 1
        speaker = (m.end() + words[0].start(), m.end() + words[n - 1].end())
        via = None
        cstart = m.end() + words[n].start()
    cs, ce = _strip(text, cstart, rest_end)
    if ce - cs < 3:
        return None
    implicit = speaker is None
    if speaker is not None and _NOT_SPEAKER.match(text[speaker[0]:speaker[1]]):
        return None
    return Draft((m.start("v"), m.end("v")), speaker, (cs, ce), False, via, implicit=implicit)
