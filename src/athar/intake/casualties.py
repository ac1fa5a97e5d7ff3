"""Casualty figures (digits, Eastern digits, Arabic and English number words) and
what they count: ``killed``, ``injured`` or ``affected``."""

from __future__ import annotations

import re
from bisect import bisect_right

from athar.intake.document import Doc
from athar.intake.models import Casualty
from athar.intake.normalize import fold_text
from athar.intake.numbers import NUMBER_RE, number_starts, parse_number
from athar.intake.rx import trie

__all__ = ["KIND_RE", "PERSON", "classify", "find_casualties", "kind_of"]


def _words(*ws: str) -> str:
    return "|".join(sorted({fold_text(w) for w in ws}, key=len, reverse=True))


_KILLED = _words(
    "قتل", "قتلت", "قتلوا", "مقتل", "قتيل", "قتيلا", "قتلى", "مصرع", "وفاة", "وفيات", "توفي",
    "توفوا", "متوفين", "حتفهم", "شهيد", "شهيدا", "شهداء", "استشهاد", "استشهد", "ضحية", "ضحايا",
    "الوفيات", "القتلى", "الضحايا", "الشهداء", "قضوا", "قضى", "موت", "فارق", "فارقا", "فارقوا",
    "فارقت", "أودى بحياة", "أودت بحياة", "بحياة", "حصيلة", "قتيلين", "قتيلان",
)
_INJURED = _words(
    "إصابة", "إصابات", "مصاب", "مصابا", "مصابين", "مصابون", "المصابين", "المصابون", "الإصابات",
    "جرحى", "الجرحى", "جريح", "جريحا", "جرح", "جرحت", "أصيب", "أصيبوا", "اصابه", "جريحين",
    "جريحان", "بحروق", "حروق",
    # the guideline counts suffocation, poisoning and treatment as injury
    "اختناق", "حالات اختناق", "الاختناق", "تسمم", "التسمم", "أعراض", "عولج", "عولجوا", "معالجة",
    "إسعاف", "أسعف", "أسعفوا", "ضيق تنفس", "ضيق في التنفس", "مستشفى", "المستشفى", "المستشفيات",
    "عالج", "عالجت", "عالجوا", "يعالج", "تعالج",
)
_AFFECTED = _words(  # exposure with the harm unclear
    "المتضررين", "متضررين", "المتضررون", "تعرض", "تعرضوا", "تعرضت", "المعرضين",
)
_EN_KILLED = (r"killed|kill|killing|dead|died|die|deaths?|fatalities|death toll|toll|lives"
              r"|perished")
_EN_INJURED = (r"injured|injuring|injuries|wounded|wounding|hurt|casualties|burns|burned|burnt|"
               r"symptoms|treated|suffocation|suffocating|hospitali[sz]ed|sickened|poisoning|"
               r"poisoned|breathing difficulties|respiratory|admitted|sought\s+medical\s+help|"
               r"patients|cases")
_EN_AFFECTED = r"affected|exposed|received|rescued|evacuated"
_PERSON = _words(
    "أشخاص", "شخصا", "شخص", "مدنيا", "مدنيين", "مدنيون", "طفلا", "أطفال", "امرأة", "نساء",
    "مواطنا", "مواطنين", "رجلا", "رجال", "عنصرا", "عناصر", "جنديا", "جنود", "مقاتلا", "مقاتلين",
    "مسعفا", "مسعفين", "مريضا", "مرضى", "حالة", "حالات", "فردا", "أفراد", "ضحية", "ضحايا",
    "أشخاصا", "شخصًا", "آخرين", "اخرين", "آخرون",
) + (r"|people|persons|person|civilians|civilian|children|child|women|men|residents|soldiers"
     r"|fighters|patients|cases|victims|individuals|others")

_KIND = re.compile(
    rf"(?<![^\W_])(?:[وبل]|ال|وال|بال|لل)?(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED})"
    rf"|(?P<affected>{_AFFECTED}))(?![^\W_])"
    rf"|(?i:\b(?:(?P<ekilled>{_EN_KILLED})|(?P<einjured>{_EN_INJURED})|(?P<eaffected>{_EN_AFFECTED}))\b)"
)
_AFTER_NUM = re.compile(
    rf"\s*(?:(?:من\s+)?(?:ال)?(?:{_PERSON})(?![^\W_])|(?i:(?:of\s+(?:our|the|their|its|them|whom)"
    rf"\s+)?(?:[a-z][\w-]*\s+){{0,2}}?(?:{_PERSON})\b))"
    rf"(?:\s+(?:(?:مدنيين|civilians|people|more|other|others)\b))?"
)
_ADJ = re.compile(
    rf"(?:\s+(?!و|and\b|but\b)(?:[^\W\d]+)){{0,2}}?\s*(?:[بل]|ال|بال)?"
    rf"(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED})|(?P<affected>{_AFFECTED}))(?![^\W_])"
    rf"|(?i:(?:\s+(?!and\b|but\b)[a-z]+){{0,2}}?\s+(?:(?P<ekilled>{_EN_KILLED})"
    rf"|(?P<einjured>{_EN_INJURED})|(?P<eaffected>{_EN_AFFECTED}))\b)"
)
_SINGLE = {"احد", "واحد", "واحده", "a", "one"}
_PARTITIVE_KILLED = re.compile(
    rf"\s*(?:(?:من\s+(?:ال)?\w+|(?i:of\s+(?:them|the\s+\w+)))\s+|(?P<after>\s+))"
    rf"(?:\w+\s+){{0,2}}?"
    rf"(?:(?:{_KILLED})(?![^\W_])|(?i:(?:{_EN_KILLED})\b))(?:\s+الحياه)?"
)
_NOT_PEOPLE = re.compile(r"\s*(?:سيارات|سياره|قذايف|قذيفه|صواريخ|براميل|برميل|طايرات|مروحيات|"
                         r"ساعه|ساعات|يوما|يوم|ايام|دقيقه|دقايق|اسبوع|اسابيع|اسبوعا|شهر|اشهر|شهرا|"
                         r"سنه|سنوات|عاما|اعوام|كيلومتر|كيلومترا|كم|متر|مترا|"
                         r"(?i:ambulances|vehicles|shells|rockets|barrels|helicopters|aircraft|hours?|"
                         r"days?|weeks?|months?|years?|minutes?|kilometers?|kilometres?|km|miles?|"
                         r"metres?|meters?|percent|per\s+cent|%))"
                         r"(?![^\W_])")
# a document or resolution number: 'Note Verbale 89', 'note No. 89', «المذكرة رقم 89»
_DOC_NUMBER = re.compile(r"(?:(?i:\b(?:no|nos|number|verbale|resolution|note|article|paragraph|"
                         r"ref|reference)\.?)|(?<![^\W_])(?:رقم|القرار|المذكره|الماده|الفقره))\s*$")
_COUNT_NOUN = re.compile(r"(?i:patients|cases|حالات|حاله|مرضي)")
# Arabic duals: one word that counts two people (شخصين، جنديين، قتيلين)
_DUAL = re.compile(  # one literal trie: fast to scan; the word start is checked in code
    trie([a + b for a in ("شخص", "جندي", "طفل", "عنصر", "رجل", "امرات", "ضحيت", "قتيل", "جريح")
          for b in ("ين", "ان")]
         + [a + " " + b for a in ("مدنيين", "مواطنين", "مقاتلين", "مسعفين", "اطفال")
            for b in ("اثنين", "اثنان")])
    + r"(?![^\W_])"
)
_DUAL_START = re.compile(r"(?:^|[^\w])(?:[وبل]|ال)?$")
_COPULA = re.compile(r"(?i:\s+(?:were|was|are|is|have\s+been|had\s+been|has\s+been|been|suffered|"
                     r"were\s+reportedly|have\s+reportedly\s+been)\s)")
_EITHER = re.compile(
    rf"(?i:\s+(?:or|and)\s+(?:(?P<killed>{_EN_KILLED})|(?P<injured>{_EN_INJURED})|(?P<affected>{_EN_AFFECTED}))\b)"
    r"(?P<ekilled>(?!))?(?P<einjured>(?!))?(?P<eaffected>(?!))?"
)
_IN_NAME = re.compile(r"[A-Z][a-z]+\s+$")
_CLAUSE_END = re.compile(r"[.!?؟\n;؛]|(?<=\s)(?:but|while|بينما|فيما)\s")


def _kind(m: re.Match[str]) -> str:
    for k in ("killed", "injured", "affected"):
        if m[k] or m["e" + k]:
            return k
    return "affected"


def find_casualties(doc: Doc, skip: list[tuple[int, int]]) -> list[Casualty]:
    """Casualty figures with their kind; numbers inside ``skip`` spans (dates) are ignored.

    A number counts when a person noun follows it or a casualty word is next to it;
    the kind comes from the nearest casualty word in the same clause.
    """
    text = doc.folded.text
    out: list[Casualty] = []
    pos = 0
    skip = sorted(skip)
    skip_starts = [a for a, _ in skip]
    for start in number_starts([(t.text, t.start) for t in doc.tokens]):
        if start < pos:
            continue
        m = NUMBER_RE.match(text, start)
        if m is None:
            continue
        pos = m.end()
        value = parse_number(m)
        if not value or value > 1_000_000 or m.group().lower() in _SINGLE:
            continue
        if m["num"] and len(m["num"]) == 4 and 1900 <= value <= 2100:
            continue
        os_, oe_ = doc.folded.span(m.start(), m.end())
        k = bisect_right(skip_starts, os_) - 1
        if k >= 0 and os_ < skip[k][1]:
            continue
        if _DOC_NUMBER.search(text, max(0, m.start() - 14), m.start()):
            continue
        if _NOT_PEOPLE.match(text, m.end()) or (
                _IN_NAME.search(text, max(0, m.start() - 20), m.start())
                and re.match(r"\s+[A-Z]", text[m.end():m.end() + 3])):
            continue  # 'Channel 4 News': a number inside a name
        tail = _AFTER_NUM.match(text, m.end())
        end = tail.end() if tail else m.end()
        has_person = end > m.end()
        kind, immediate, end = _classify(text, m.start(), m.end(), end, has_person)
        part = _PARTITIVE_KILLED.match(text, end)
        if part is not None and (not part["after"] or re.search(r"\sمن\s", text[m.end():end])):
            kind, end, has_person = "killed", part.end(), True
        if kind is None and has_person and _COUNT_NOUN.search(text, m.end(), end):
            kind = "injured"  # '45 patients', '58 cases': treated, so injured (guideline)
        if kind is None or not (has_person or immediate):
            continue
        if m["en"] and not has_person and end <= m.end():
            continue  # a bare English number word: 'two', 'three'

        s, e = doc.span(m.start(), end)
        if e > s:
            out.append(Casualty(value, kind, doc.text[s:e], s, e))
    taken = [(c.start, c.end) for c in out]
    for m in _DUAL.finditer(text):
        if not _DUAL_START.search(text, max(0, m.start() - 3), m.start()):
            continue
        s, e = doc.span(m.start(), m.end())
        if any(a < e and s < b for a, b in taken):
            continue
        kind = {"قتيل": "killed", "جريح": "injured"}.get(m.group()[:4])
        end = m.end()
        if kind is None:
            kind, _, end = _classify(text, m.start(), m.start(), m.end(), True)
        part = _PARTITIVE_KILLED.match(text, end)
        if part is not None and not part["after"]:
            kind, end = "killed", part.end()
        if kind is not None:
            s, e = doc.span(m.start(), end)
            out.append(Casualty(2, kind, doc.text[s:e], s, e))
    out.sort(key=lambda c: c.start)
    return out


def _classify(text: str, ms: int, me: int, end: int, has_person: bool
              ) -> tuple[str | None, bool, int]:
    """Kind of the figure at ``[ms, me)`` (person noun up to ``end``) from the words of its clause."""
    lo = max(0, ms - 120)
    seg = text[lo : ms]
    cut = [x.end() for x in _CLAUSE_END.finditer(seg)]
    lo = lo + (cut[-1] if cut else 0)
    hi = min(len(text), end + 80)
    stop = _CLAUSE_END.search(text, end, hi)
    hi = stop.start() if stop else hi
    before = list(_KIND.finditer(text, lo, ms))
    after_near = _ADJ.match(text, end, hi)
    kind: str | None = None
    immediate = False
    copula = after_near is not None and _COPULA.match(after_near.group()) is not None
    if after_near is not None and (len(after_near.group().split()) == 1 or copula):
        kind, immediate = _kind(after_near), True  # '9 wounded', 'nine people were injured'
        either = _EITHER.match(text, after_near.end())
        if either is not None and _kind(either) != kind:
            kind = "affected"  # 'hundreds were killed or injured': harm unclear per person
        if not has_person:
            end = after_near.end()
    elif before and ms - before[-1].end() <= 8:
        kind, immediate = _kind(before[-1]), True
    elif after_near is not None and after_near.end() - end <= 30:
        kind, immediate = _kind(after_near), True
        if not has_person:
            end = after_near.end()
    elif before:
        kind = _kind(before[-1])
        immediate = ms - before[-1].end() <= 15
    else:
        later = _KIND.search(text, end, hi)
        if later is not None and later.start() - end <= 40:
            kind = _kind(later)
    return kind, immediate, end


KIND_RE = _KIND  # casualty words (killed / injured / affected), folded Arabic and English
PERSON = _PERSON  # person and case nouns a figure may count


def kind_of(m: re.Match[str]) -> str:
    """The kind (killed, injured, affected) of a :data:`KIND_RE` match."""
    return _kind(m)


def classify(text: str, ms: int, me: int, end: int, has_person: bool
             ) -> tuple[str | None, bool, int]:
    """Kind of the quantity at ``[ms, me)`` from its clause, whether a casualty word is
    right next to it, and where its phrase ends (see :func:`find_casualties`)."""
    return _classify(text, ms, me, end, has_person)
