"""Rough English spellings of Arabic personal names (for ``speaker_normalized``).

A dictionary of common given names and name parts comes first; other words are
transliterated letter by letter. Titles become "Dr." or are dropped.
"""

from __future__ import annotations

import re

from athar.intake.normalize import fold_text

__all__ = ["person_name"]

_COMMON = {
    "محمد": "Mohammed", "احمد": "Ahmed", "محمود": "Mahmoud", "خالد": "Khalid", "علي": "Ali",
    "عمر": "Omar", "حسن": "Hassan", "حسين": "Hussein", "ابو": "Abu", "ام": "Umm", "عبد": "Abd",
    "عبدالله": "Abdullah", "عبد الله": "Abdullah", "عبدالرحمن": "Abdulrahman",
    "عبدالفتاح": "Abdel Fattah", "عبدالكريم": "Abdel Karim", "عبدالعزيز": "Abdulaziz",
    "عبدالرزاق": "Abdul Razzaq", "ابوعمر": "Abu Omar", "ابومحمد": "Abu Mohammed", "يوسف": "Youssef",
    "ابراهيم": "Ibrahim", "مصطفي": "Mustafa", "سامر": "Samer", "حداد": "Haddad", "سامي": "Sami",
    "رامي": "Rami", "فادي": "Fadi", "باسل": "Basel", "بشار": "Bashar", "فيصل": "Faisal",
    "وليد": "Walid", "سعيد": "Said", "سليمان": "Suleiman", "صالح": "Saleh", "ماجد": "Majed",
    "مازن": "Mazen", "نبيل": "Nabil", "عماد": "Imad", "عمار": "Ammar", "زياد": "Ziad",
    "رياض": "Riyad", "جمال": "Jamal", "كمال": "Kamal", "هاني": "Hani", "طارق": "Tariq",
    "يحيي": "Yahya", "مريم": "Maryam", "فاطمه": "Fatima", "نور": "Nour", "ليلي": "Layla",
    "رنا": "Rana", "هدي": "Huda", "سلمي": "Salma", "عيسي": "Issa", "موسي": "Musa",
    "منذر": "Munther", "مهند": "Muhannad", "ايمن": "Ayman", "انس": "Anas", "قاسم": "Qasim",
    "جابر": "Jaber", "حمزه": "Hamza", "عثمان": "Othman", "غسان": "Ghassan", "ناصر": "Nasser",
    "منصور": "Mansour", "سمير": "Samir", "حازم": "Hazem", "عادل": "Adel", "عدنان": "Adnan",
    "توفيق": "Tawfiq", "رضوان": "Radwan", "مروان": "Marwan", "هيثم": "Haitham", "وسام": "Wissam",
    "لينا": "Lina", "دانا": "Dana", "سوسن": "Sawsan", "ريم": "Reem", "اسماعيل": "Ismail",
    "هشام": "Hisham", "حاج": "Hajj", "الحاج": "al-Hajj", "طه": "Taha", "ياسين": "Yassin",
    "خليل": "Khalil", "ازاد": "Azad", "باران": "Baran", "شيار": "Shiyar", "جوان": "Jwan",
    "فتاح": "Fattah", "الفتاح": "Fattah", "رحمن": "Rahman", "الرحمن": "Rahman", "كريم": "Karim",
    "الكريم": "Karim", "عزيز": "Aziz", "العزيز": "Aziz", "رزاق": "Razzaq", "الرزاق": "Razzaq",
    "جبوري": "Jubouri", "شامي": "Shami", "حموي": "Hamawi", "حلبي": "Halabi", "حمصي": "Homsi",
    "ادلبي": "Idlibi", "عبيدي": "Obeidi", "تميمي": "Tamimi", "دليمي": "Dulaimi", "كردي": "Kurdi",
    "يوسفي": "Youssefi", "العمر": "al-Omar", "ايوب": "Ayoub",
    "يعقوب": "Yaqoub", "داود": "Dawoud", "سلمان": "Salman", "رامز": "Ramez", "نضال": "Nidal",
    "بسام": "Bassam", "معاذ": "Muadh", "اسامه": "Osama", "بلال": "Bilal",
    "فراس": "Firas", "لؤي": "Louay", "لوي": "Louay", "غياث": "Ghiath", "مهدي": "Mahdi",
    "يوري": "Yuri", "ايغور": "Igor", "الكسندر": "Alexander", "ديمتري": "Dmitry",
}
_TITLES = {"الدكتور": "Dr.", "الدكتوره": "Dr.", "د": "Dr.", "الطبيب": "Dr.", "الطبيبه": "Dr."}
_DROP = re.compile(
    r"^(?:ال(?:ناشط|ناشطه|مواطن|مواطنه|سيد|سيده|شيخ|مسعف|ممرض|ممرضه|مراسل|صحفي|صحافي|محلل|"
    r"اعلامي|الاعلامي|ميداني|مدني|طبي|عسكري|مقدم|عقيد|عميد|لواء|نقيب|ملازم|رقيب|مهندس|مزارع|"
    r"شاهد|ساكن|معلم|مدرس|فريق|ركن|باحث|خبير)|السيد|احد|الركن)$"
)
_LETTERS = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "a", "و": "w",
    "ي": "i", "ء": "",
}


_EN_TITLES = re.compile(
    r"^(?:(?:U\.S\.|US|UN|Russian|Syrian|Turkish|Iraqi|State\s+Department|Foreign|Defence|Defense"
    r"|Deputy|Chief|Senior|Major|Brigadier|Lieutenant|Lt\.|Maj\.|Brig\.|Gen\.|Col\.|General|Colonel"
    r"|Commander|Ambassador|Amb\.|Minister|Spokes(?:man|woman|person)|President|Envoy|Mr\.|Ms\.|Mrs\.)"
    r"\s+)+(?=[A-Z])"
)


def _word(w: str) -> str:
    if w in _COMMON:
        return _COMMON[w]
    if w.startswith("ال") and w[2:] in _COMMON:
        return "al-" + _COMMON[w[2:]]
    prefix = ""
    if w.startswith("ال") and len(w) > 3:
        prefix, w = "al-", w[2:]
    out = []
    for i, ch in enumerate(w):
        t = _LETTERS.get(ch, ch)
        if ch == "و" and 0 < i < len(w) - 1:
            t = "ou" if w[i - 1] not in "اي" else "w"
        elif ch == "ي" and i == 0:
            t = "y"
        elif ch == "ي" and i < len(w) - 1:
            t = "i" if w[i + 1] not in "اوي" else "y"
        elif ch in "اع" and i == 0:
            t = "a"
        elif ch == "ه" and i < len(w) - 1:
            t = "h"
        out.append(t)
    s = "".join(out)
    if prefix:
        return prefix + s.capitalize()
    return s.capitalize()


def person_name(written: str) -> str:
    """An English spelling for a personal name as written (Latin text is kept as is)."""
    if not re.search(r"[\u0600-\u06ff]", written):
        name = re.split(r",\s*(?:who|which|an?|the|whose)\b", written)[0]
        name = _EN_TITLES.sub("", " ".join(name.split()))
        return name or " ".join(written.split())
    parts = [p.strip() for p in re.split(r"[،,]", written) if p.strip()]
    if len(parts) > 1 and len(parts[-1].split()) <= 5:
        written = parts[-1]  # 'مدير صحة حلب، الدكتور زياد حاج طه': the name follows the title
    words = re.findall(r"[^\W\d_]+", fold_text(written))
    for i in range(len(words) - 1):  # عبد الفتاح -> عبدالفتاح (one name)
        if words[i] in ("عبد", "ابو") and words[i + 1].startswith("ال"):
            words[i:i + 2] = [words[i] + words[i + 1], ""]
    words = [w for w in words if w]
    cut = next((i for i, w in enumerate(words) if i and w in ("من", "في", "لدي", "داخل")), None)
    if cut is not None:  # 'محمد العمر من المشفى الميداني': the affiliation is not the name
        words = words[:cut]
    head: list[str] = []
    while words and (_DROP.match(words[0]) or words[0] in _TITLES):
        if words[0] in _TITLES and not head:
            head.append(_TITLES[words[0]])
        words.pop(0)
        if words and words[0] in ("الاعلامي", "الميداني", "المحلي"):
            words.pop(0)
    return " ".join([*head, *(_word(w) for w in words)])
