"""Places the gazetteer does not list, found by their grammar: a settlement noun and its name
(«بلدة تل براك», «حي السكري», «أحياء الشعلان والصالحية», "the town of Saraqeb", "the village
of Zawr", "the Zebdia neighborhood", "Sfuhon, a village in ..."), coordinated names included.

The name must look like one: in English capitalised words (with al-/Al-), in Arabic a word
that is no preposition, direction or descriptive adjective (a compound such as تل، عين، خان،
كفر، أبو takes the next word too). ``normalized`` is the English name as written, or a
transliteration for Arabic; coordinates are unknown (``precision`` "context"). Pure."""

from __future__ import annotations

import re

from athar.intake.document import Doc
from athar.intake.models import Place
from athar.intake.rx import trie
from athar.intake.translit import person_name

__all__ = ["find_context_places"]

_AR_TRIGGER = r"(?:قريه|قري|بلده|بلدات|بلدتي|قريتي|حي|احياء|ناحيه|مخيم|ضاحيه)"
_AR_WORD = r"[^\s\d،,.:;؛\"«»“”()\-–]{2,20}"
_AR_RE = re.compile(
    rf"(?<![^\W_])(?:[وبل]|ال|بال|وال|لل)?{_AR_TRIGGER}\s+(?P<q>[\"«“])?(?P<n>{_AR_WORD}(?:\s+{_AR_WORD})?)"
)
_AR_COMPOUND = {"تل", "عين", "خان", "دير", "كفر", "ابو", "ام", "الشيخ", "معره", "بيت", "جسر", "راس",
                "بني", "مشروع", "باب", "سوق", "تلول", "جبل", "وادي", "مرج", "القصر", "سيدي"}
_AR_STOP = re.compile(
    r"^(?:[وبفل]?(?:في|من|علي|الي|عن|مع|التي|الذي|الواقعه|الواقع|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|"
    r"غربي|وسط|ريف|بريف|السكنيه|السكني|سكني|سكنيه|المدنيين|المحاصره|الخاضعه|المحيطه|المجاوره|نفسها|"
    r"ذاتها|نفسه|كبيره|صغيره|مجاوره|قريبه|اخري|اخر|واحده|جديده|محاصره|محرره|اخرين|ميداني|الميداني|"
    r"هذه|هذا|تلك|ذلك|كل|عده|بعض|اي|عدد|عشرات|الحكومي|حكومي|المعارضه|النظام|الجيش|القصف|الهجوم|"
    r"المستهدفه|المنكوبه|المذكوره|الحدوديه|الصناعيه|الشرقيه|الغربيه|الشماليه|الجنوبيه|القديمه|"
    r"ان|انه|انها|بلغ|جراء|منذ|قرب|جديد|قديم|وهي|وهم|وهو|التابعه|التابع|المحرره|المحتله|"
    r"الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|الاحد|اليوم|امس|يوم|مساء|صباح|ليل|الشرقي|الغربي|"
    r"الشمالي|الجنوبي|قضاء|محافظه|مركز|الكبير|الصغير|الجديد|القديم))$"
)
_AR_COORD = re.compile(rf"\s*(?:،|,)?\s*و(?P<n>{_AR_WORD}(?:\s+{_AR_WORD})?)")
_EN_NAME = r"(?:(?:[Aa]l|[Ee]l)[- ])?[A-Z][a-z'’]+(?:[- ](?:al-|el-)?[A-Z][a-z'’]+){0,2}"
_EN_RE = re.compile(
    rf"\b(?:town|village|city|suburb|suburbs|neighbo(?:u)?rhood|district|camp|towns|villages|"
    rf"areas?)\s+of\s+(?P<n>{_EN_NAME})"
    rf"|\bthe\s+(?P<m>{_EN_NAME})\s+(?:neighbo(?:u)?rhood|district|suburb|quarter|camp)\b"
    rf"|\b(?P<k>{_EN_NAME}),\s+an?\s+(?:town|village|city|suburb|neighbo(?:u)?rhood)\b"
    rf"|\b(?P<a>{_EN_NAME})\s+and\s+(?P<b>{_EN_NAME})\s+(?:towns|villages|neighbo(?:u)?rhoods|suburbs)\b"
)
_EN_COORD = re.compile(rf"\s*(?:,|,?\s+and)\s+(?P<n>{_EN_NAME})")
_EN_STOP = re.compile(r"^(?:The|A|An|In|On|At|This|That|These|Those|Syrian|Syria|Russian|Turkish|"
                      r"Kurdish|Islamic|Government|Regime|Idlib\s+Province|Province|Governorate)$")


def _ar_name(words: str) -> str | None:
    parts = words.split()
    if not parts or _AR_STOP.match(parts[0]) or (
            not parts[0].startswith("ال") and re.search(r"(?:ي|يه)$", parts[0]) and len(parts[0]) > 3):
        return None
    first = parts[0]
    if (re.match(r"(?:ب|ل|و)(?!ال)\S", first) and len(first) <= 5 and first not in _AR_COMPOUND) or \
            re.match(r"(?:ب|ل|و)ال\S{3,}|ب\S{4,}", first):
        return None  # a preposition or conjunction glued to a common word: «بقذائف», «بالأسلحة»
    if first in _AR_COMPOUND and len(parts) > 1 and not _AR_STOP.match(parts[1]):
        return f"{first} {parts[1]}"
    return first


_EN_ANCHOR = re.compile(trie(["town", "village", "city", "suburb", "neighborhood", "neighbourhood",
                              "district", "camp", "area", "quarter"]))
_AR_ANCHOR = re.compile(trie(["قريه", "قري", "بلده", "بلدات", "بلدتي", "قريتي", "حي ", "احياء", "ناحيه",
                              "مخيم", "ضاحيه"]))


def _windows(anchor: re.Pattern[str], text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged windows around the anchors (the full patterns only run there: linear, fast)."""
    wins: list[list[int]] = []
    for a in anchor.finditer(text):
        lo, hi = max(0, a.start() - before), min(len(text), a.end() + after)
        if wins and lo <= wins[-1][1]:
            wins[-1][1] = hi
        else:
            wins.append([lo, hi])
    return [(lo, hi) for lo, hi in wins]


def find_context_places(doc: Doc, taken: list[tuple[int, int]]) -> list[Place]:
    """Places named after a settlement noun, not overlapping ``taken`` (original spans)."""
    text = doc.folded.text
    found: list[tuple[int, int]] = []
    ar_hits = [m for lo, hi in _windows(_AR_ANCHOR, text, 6, 70) for m in _AR_RE.finditer(text, lo, hi)]
    if ar_hits:
        for m in ar_hits:
            name = _ar_name(m["n"])
            pos = m.start("n")
            if m["q"]:  # a quoted name: «بلدة "تل براك"»
                close = re.search(r"[\"»”]", text[pos:pos + 40])
                if close:
                    found.append((pos, pos + close.start()))
                continue
            while name is not None:
                found.append((pos, pos + len(name)))
                c = _AR_COORD.match(text, pos + len(name))
                if c is None or not (c["n"].startswith("ال") or c["n"].split()[0] in _AR_COMPOUND):
                    break  # a coordinated name: «أحياء الشعلان والصالحية وأبو رمانة»
                name, pos = _ar_name(c["n"]), c.start("n")
    for m in [m for lo, hi in _windows(_EN_ANCHOR, text, 60, 70) for m in _EN_RE.finditer(text, lo, hi)]:
        for g in ("n", "m", "k", "a", "b"):
            if m[g] and not _EN_STOP.match(m[g]):
                found.append((m.start(g), m.end(g)))
        if m["n"]:
            end = m.end("n")
            while (c := _EN_COORD.match(text, end)) is not None and not _EN_STOP.match(c["n"]):
                found.append((c.start("n"), c.end("n")))
                end = c.end("n")
    out: list[Place] = []
    seen: set[tuple[int, int]] = set()
    for fs, fe in sorted(found):
        s, e = doc.span(fs, fe)
        if e <= s or (s, e) in seen or any(a < e and s < b for a, b in taken):
            continue
        seen.add((s, e))
        written = doc.text[s:e]
        normalized = written if re.match(r"[A-Za-z]", written) else (person_name(written) or written)
        out.append(Place(written, normalized, None, None, None, s, e, "place"))
    return out
