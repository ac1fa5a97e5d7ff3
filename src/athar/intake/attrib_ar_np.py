"""Arabic verbs whose content is a noun phrase (نفى، اتهم، طالب، حذر من، شكك في،
دعا، حمّل، توعد، وثق، تحدث عن، وصف): who is the subject, where the content starts.

Word order is verb-subject-object, or subject-verb-object in headlines and after
a sentence-initial subject ("زاخاروفا تتهم الغرب ..."). The subject after the verb
is recognised by its head (a known speaker, a title, a speaker noun such as
الوزارة/مصدر/ناشطون, a common given name) and by gender agreement with the verb.
All offsets are folded-text offsets."""

from __future__ import annotations

import re
from functools import lru_cache

from athar.intake.lexicon import tokenize
from athar.intake.resources import speakers
from athar.intake.speakers import is_country

__all__ = ["NP_PREP", "np_base", "subject_after", "skip_adjuncts", "strip_prep"]

# verb stem (3 folded letters found in every form) -> preposition stripped from the content
NP_PREP = {
    "حذر": "من", "نفي": "", "نفت": "", "نفو": "", "اتهم": "", "تهم": "", "طالب": "",
    "دعا": "الي", "دعو": "الي", "ادان": "", "دين": "", "ندد": "", "اعرب": "عن", "شكك": "في",
    "حمل": "", "توعد": "", "افاد": "ب", "تحدث": "عن", "شدد": "علي", "نوه": "ب",
    "اكد": "علي", "وثق": "", "لفت": "الي", "كشف": "عن", "رجح": "", "خلص": "الي", "اعلن": "عن",
    "لوم": "علي",
}
_FORMS = {  # folded surface form -> base key of NP_PREP
    **{f: "حذر" for f in "حذر حذرت حذروا يحذر تحذر محذرا محذره".split()},
    **{f: "نفي" for f in "نفي نفت نفوا ينفي تنفي نافيا نافيه نفاه نفته نفاها نفوه ينفيه تنفيه".split()},
    **{f: "اتهم" for f in "اتهم اتهمت اتهموا يتهم تتهم متهما متهمه".split()},
    **{f: "طالب" for f in "طالب طالبت طالبوا يطالب تطالب مطالبا مطالبه".split()},
    **{f: "دعا" for f in "دعا دعت دعوا يدعو تدعو داعيا داعيه".split()},
    **{f: "ادان" for f in "ادان ادانت ادانوا يدين تدين".split()},
    **{f: "ندد" for f in "ندد نددت يندد تندد منددا مندده".split()},
    **{f: "اعرب" for f in "اعرب اعربت معربا معربه".split()},
    **{f: "شكك" for f in "شكك شككت يشكك تشكك مشككا مشككه".split()},
    **{f: "حمل" for f in "حملت يحمل تحمل".split()},  # محملا/محملة mean 'loaded with' 
    **{f: "توعد" for f in "توعد توعدت يتوعد تتوعد متوعدا متوعده".split()},
    **{f: "افاد" for f in "افاد افادت افادوا يفيد تفيد".split()},
    **{f: "تحدث" for f in "تحدث تحدثت يتحدث تتحدث".split()},
    # verbs whose content may also be a noun phrase: 'أكد مسؤولية ...', 'شدد على ضرورة ...'
    **{f: "شدد" for f in "شدد شددت شددوا يشدد تشدد".split()},
    **{f: "اكد" for f in "اكد اكدت اكدوا يوكد توكد".split()},
    **{f: "وثق" for f in "وثق وثقت وثقوا يوثق توثق".split()},
    **{f: "لفت" for f in "لفت لفتت يلفت تلفت".split()},
    **{f: "كشف" for f in "كشف كشفت يكشف تكشف".split()},
    **{f: "رجح" for f in "رجح رجحت يرجح ترجح مرجحا مرجحه".split()},
    **{f: "خلص" for f in "خلص خلصت خلصوا يخلص تخلص".split()},
    **{f: "اعلن" for f in "اعلن اعلنت اعلنوا يعلن تعلن".split()},
    **{f: "لوم" for f in ("تلقي باللوم", "يلقي باللوم", "القت باللوم", "القي باللوم", "القوا باللوم")},
}
NP_VERB_FORMS = tuple(_FORMS)

_HEADS = set("""
الوزاره وزاره الشبكه الهيئه هيئه المنظمه منظمه منظمات المصدر مصدر مصادر ناشطون ناشطين
نشطاء المرصد مرصد الجيش الحكومه حكومه المتحدث متحدث المتحدثه الوزير وزير الرئيس رئيس
المندوب مندوب السفير الخارجيه الدفاع الامم وكاله الوكاله القوات قوات التحالف الاداره
الاهالي اهالي سكان شهود اطباء مسعفون مراقبون محللون الناشط الناشطه الطبيب الدكتور
القياده قياده المكتب مكتب مجلس المجلس البعثه بعثه اللجنه لجنه الفصايل فصايل عده
الايتلاف ايتلاف النظام المعارضه مركز المركز فريق الفريق تقرير التقرير ناشطو نشطاء
الخوذ الدفاع المديريه مديريه وحدات تنظيم التنظيم جبهه الجبهه حركه الحركه الامين الدول دول
جيش فصيل الفصيل كتيبه لواء اللواء رجل امراه شاب مواطن ممرض مسعف احد ناشط شاهد
""".split())
_MASC = set("""مجلس المجلس مركز المركز المرصد مرصد الجيش جيش التحالف الامين الوزير وزير
المتحدث متحدث الرئيس رئيس المندوب مندوب السفير مصدر المصدر المكتب مكتب الطبيب الدكتور""".split())
_GIVEN = set("""محمد احمد محمود خالد علي عمر حسن حسين ابو يوسف ابراهيم مصطفي سامر سامي رامي
فادي باسل وليد سعيد سليمان صالح ماجد مازن نبيل عماد عمار زياد رياض جمال كمال هاني طارق حمزه
مريم فاطمه نور ليلي رنا هدي سلمي منذر مهند ايمن انس قاسم جابر ناصر منصور سمير حازم عادل""".split())
_MODIFIERS = {"المدعوم", "المدعومه", "الموالي", "المواليه", "التابع", "التابعه", "المقرب", "المقربه"}
_ADJ_RX = re.compile(
    r"\s*(?:[،,]\s*)?(?:(?:في|خلال|عبر|ضمن)\s+(?:ال)?(?:بيان|تصريح|تصريحات|حديث|مقابله|كلمه|"
    r"موتمر|اجتماع|جلسه|رساله|رسالتين|تقرير|تغريده|منشور|لقاء|اتصال|مذكره)\S*(?:\s+(?:ل(?:ها|ه|هم)|"
    r"صحفي|صحافي|رسمي|مشترك|مصور|شفهيه|الصحفي|عقده|نقلته|نشرته)\S*)*"
    r"|(?:يوم|اليوم|امس|صباح|مساء|ليل)(?:\s+(?:ال)?(?:اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|احد))?"
    r"(?:\s+(?:الماضي|الجاري))?|مرارا|مجددا|ايضا|كذلك|بشده|جمله\s+وتفصيلا|فيها|فيه|بدور(?:ه|ها))"
    r"(?![^\W_])\s*[،,]?"
)
_STOP = re.compile(r"(?:هذه|هذا|هذين|هاتين|تلك|ذلك|اي|كل|جميع|ما|ان|بان|انه|من|الي|علي|في|عن)$")


@lru_cache(maxsize=8192)
def _lexicon_head(phrase: str) -> tuple:  # type: ignore[type-arg]
    """Speaker-lexicon match (name or title) at the very start of ``phrase``, if any."""
    names, titles = speakers()
    toks = tokenize(phrase)
    hit = names.find(toks, first_only=True) or titles.find(toks, first_only=True)
    return tuple(h for h in hit if h.first == 0)


def np_base(verb: str) -> str | None:
    """The NP_PREP key of a folded reporting verb whose content may be a noun phrase."""
    return _FORMS.get(verb)


def skip_adjuncts(text: str, pos: int, end: int) -> int:
    """Skip dates, 'في بيان لها' and adverbs right after ``pos``."""
    while True:
        m = _ADJ_RX.match(text, pos, end)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def strip_prep(text: str, pos: int, end: int, prep: str) -> int:
    """Skip the verb's preposition (من، في، عن) when the content starts with it."""
    if not prep:
        return pos
    m = re.match(rf"[\s،,]*{prep}(?:\s+|(?=ال))", text[pos:end]) if prep != "ب" else \
        re.match(r"[\s،,]*ب(?=\S{2,})", text[pos:end])
    return pos + m.end() if m else pos


def _feminine_verb(verb: str) -> bool:
    return (verb.endswith("ت") and len(verb) >= 3) or verb.startswith("ت") or verb.endswith("ه")


def _feminine_noun(word: str) -> bool:
    return word.endswith(("ه", "ات")) or (word.endswith("ا") and not word.startswith("ال"))


def subject_after(text: str, pos: int, end: int, verb: str) -> tuple[int, int] | None:
    """The subject right after a verb at ``pos`` (VSO order), or None (implicit subject)."""
    words = [(m.start() + pos, m.end() + pos, m.group()) for m in
             re.finditer(r"[^\s،,:؛\"«»“”()]+", text[pos:end])]
    if not words:
        return None
    first = words[0][2]
    head = first[1:] if first[:1] == "و" and first[1:] in _HEADS else first
    hit = _lexicon_head(text[words[0][0]:min(end, words[0][0] + 90)])
    if not hit and head not in _HEADS and head not in _GIVEN and not is_country(head):
        return None
    if _feminine_verb(verb) and head in _MASC:
        return None
    if not _feminine_verb(verb) and not hit and _feminine_noun(head) and head not in _GIVEN \
            and head.endswith("ه"):
        return None
    if hit:
        s, e = words[0][0], words[0][0] + hit[0].end
        return s, _apposition(text, e, end)  # a title may be followed by the name
    s, e = words[0][0], words[0][1]
    if is_country(head):
        return s, e
    definite = head.startswith("ال")
    i = 1
    while i < len(words) and i < 9:
        w = words[i][2]
        gap = text[words[i - 1][1]:words[i][0]]
        if "،" in gap or "," in gap or skip_adjuncts(text, words[i - 1][1], end) > words[i - 1][1]:
            break
        if w in ("في", "باسم", "لدي") and i + 1 < len(words):
            e = words[i + 1][1]
            definite = words[i + 1][2].startswith("ال")
            i += 2
            continue
        if w in _MODIFIERS and i + 2 < len(words):
            e = words[i + 2][1] if words[i + 1][2] == "من" else words[i + 1][1]
            i += 3 if words[i + 1][2] == "من" else 2
            continue
        if i == 1 and not definite and head[-2:] in ("ون", "ين") and w.endswith(head[-2:]) \
                and len(w) > 4 and w not in _HEADS:
            e = words[i][1]  # a plural adjective agreeing with its head: 'ناشطون معارضون'
            i += 1
            continue
        if definite and i == 1 and w.startswith("الم") and w not in _HEADS and \
                _feminine_noun(w) == _feminine_noun(head) and len(w) > 4:
            e = words[i][1]  # a definite adjective agreeing with its head: 'الائتلاف المعارض'
            i += 1
            continue
        quoted = text[words[i][0] - 1] in "\"«“"
        nisba = re.search(r"(?:ي|يه|يين|يون)$", w) is not None and len(w) >= 4 and w not in _HEADS
        genitive = not definite and w.startswith(("ال", "لل"))
        if quoted or nisba or genitive or w in _GIVEN:
            if w.startswith("ل") and not w.startswith(("ال", "لل")):
                break
            e = words[i][1]
            definite = definite or genitive
            if quoted:  # take the whole quoted name
                close = re.search(r"[\"»”]", text[words[i][0]:end])
                if close:
                    e = words[i][0] + close.start()
                    while i < len(words) and words[i][0] < e:
                        i += 1
                    continue
            i += 1
            continue
        break
    return s, _apposition(text, e, end)


def _apposition(text: str, e: int, end: int) -> int:
    """Extend a subject over '، NAME،' (an apposition of at most four words)."""
    m = re.match(r"\s*[،,]\s*([^\s،,:؛]+(?:\s+[^\s،,:؛]+){0,3})\s*[،,]", text[e:end])
    if m and not re.match(r"(?:اليوم|امس|يوم|في|خلال|من|الذي|التي)(?![^\W_])", m.group(1)):
        return e + m.end(1)
    return e
