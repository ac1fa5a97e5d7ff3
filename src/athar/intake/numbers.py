"""Number phrases in digits (Western and Eastern, folded), Arabic words and English words."""

from __future__ import annotations

import re

from athar.intake.normalize import fold_text

__all__ = ["NUMBER_RE", "NUMBER_WORDS", "number_starts", "parse_number"]

_AR_UNITS = {
    "واحد": 1, "واحده": 1, "احد": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2,
    "اثني": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6,
    "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
    "عشر": 10, "عشره": 10, "ثلاثا": 3, "اربعا": 4, "خمسا": 5, "سبعا": 7, "ثمانيا": 8, "تسعا": 9,
}
_AR_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}
_AR_HUNDREDS = {"مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200}
for _v, _stem in enumerate(["ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع"], start=3):
    _AR_HUNDREDS[_stem + "مئه"] = _v * 100
    _AR_HUNDREDS[_stem + "مائه"] = _v * 100
_AR_HUNDREDS = {fold_text(k): v for k, v in _AR_HUNDREDS.items()}
_AR_THOUSANDS = {"الف": 1000, "الفا": 1000, "الفان": 2000, "الفين": 2000, "الاف": 1000}
_EN = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split())
}
_EN.update({w: (i + 2) * 10 for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())})
_EN_SCALE = {"hundred": 100, "thousand": 1000}

_AR_WORDS = sorted([*_AR_UNITS, *_AR_TENS, *_AR_HUNDREDS, *_AR_THOUSANDS], key=len, reverse=True)
_AR_W = "(?:" + "|".join(_AR_WORDS) + ")"
_EN_W = "(?:" + "|".join(sorted([*_EN, *_EN_SCALE, "dozen"], key=len, reverse=True)) + ")"
NUMBER_RE = re.compile(
    r"(?:(?<![\w.,/:\-])|(?<=(?<![\w])[وبل]))(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\w/:]|[.,]\d)"
    rf"|(?<![^\W_])(?:[وبل])?(?P<ar>{_AR_W}(?:\s+و?{_AR_W})*)(?![^\W_])"
    rf"|(?i:\b(?P<en>(?:a\s+)?{_EN_W}(?:[\s\-]+(?:and\s+)?{_EN_W})*)\b)"
)


NUMBER_WORDS = frozenset(
    [*_AR_UNITS, *_AR_TENS, *_AR_HUNDREDS, *_AR_THOUSANDS, *_EN, *_EN_SCALE, "dozen", "a"]
)


def number_starts(tokens: list[tuple[str, int]]) -> list[int]:
    """Folded offsets of tokens that may start a number phrase (cheap prefilter)."""
    out = []
    words = NUMBER_WORDS
    for k, (word, start) in enumerate(tokens):
        c = word[0]
        if c.isdigit():
            out.append(start)
        elif c in "وبل" and word[1:2].isdigit():
            out.append(start + 1)
        elif word in words or (c in "وبل" and word[1:] in words):
            if word in _WEAK and (k + 1 >= len(tokens) or tokens[k + 1][0] not in _SCALES):
                continue  # 'a', 'one', 'احد' alone never make a casualty figure
            out.append(start)
    return out


_WEAK = frozenset({"a", "one", "احد", "واحد", "واحده"})
_SCALES = frozenset({"dozen", "hundred", "thousand", "عشر", "عشره", *_AR_HUNDREDS, "الف", "الاف"})


def _ar(words: list[str]) -> int | None:
    total = current = 0
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("و") and w not in _AR_UNITS and w[1:] in {**_AR_UNITS, **_AR_TENS,
                                                                  **_AR_HUNDREDS, **_AR_THOUSANDS}:
            w = w[1:]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _AR_UNITS and nxt in ("عشر", "عشره") and _AR_UNITS[w] < 10:
            current += 10 + _AR_UNITS[w]
            i += 2
            continue
        if w in _AR_UNITS:
            current += _AR_UNITS[w]
        elif w in _AR_TENS:
            current += _AR_TENS[w]
        elif w in _AR_HUNDREDS:
            if w in ("ميه", "مايه") and 0 < current < 10:
                current *= 100
            else:
                current += _AR_HUNDREDS[w]
        elif w in _AR_THOUSANDS:
            current = (current or 1) * (_AR_THOUSANDS[w] if w != "الفين" else 1) * (
                2 if w in ("الفان", "الفين") else 1)
            if w in ("الفين",):
                current = 2000 if current == 2 else current * 1000
            total += current
            current = 0
        else:
            return None
        i += 1
    return total + current or None


def _en(words: list[str]) -> int | None:
    total = current = 0
    for w in words:
        if w in ("a", "and"):
            current = current or (1 if w == "a" else 0)
            continue
        if w == "dozen":
            current = (current or 1) * 12
        elif w in _EN:
            current += _EN[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current or None


def parse_number(match: re.Match[str]) -> int | None:
    """Value of a :data:`NUMBER_RE` match (folded text), or None if not a number."""
    if match["num"]:
        return int(match["num"].replace(",", ""))
    if match["ar"]:
        return _ar(match["ar"].split())
    return _en(re.split(r"[\s\-]+", match["en"].lower()))
