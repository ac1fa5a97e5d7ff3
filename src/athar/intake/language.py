"""Offline language identification by script and a few function words."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["detect_language"]

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_SCRIPTS = [
    ("ru", re.compile(r"[\u0400-\u04ff]+")), ("he", re.compile(r"[\u0590-\u05ff]+")),
    ("el", re.compile(r"[\u0370-\u03ff]+")), ("zh", re.compile(r"[\u4e00-\u9fff]+")),
    ("ja", re.compile(r"[\u3040-\u30ff]+")), ("ko", re.compile(r"[\uac00-\ud7af]+")),
    ("hy", re.compile(r"[\u0530-\u058f]+")), ("ka", re.compile(r"[\u10a0-\u10ff]+")),
    ("hi", re.compile(r"[\u0900-\u097f]+")), ("th", re.compile(r"[\u0e00-\u0e7f]+")),
]
_PERSIAN = re.compile(r"[پچژگی]|(?<![^\W_])(?:است|این|می|های|برای)(?![^\W_])")
_URDU = re.compile(r"[ٹڈڑںےھ]")
_LATIN_WORDS = {
    "en": "the and of to in that is was for on with said by from as at were had have has it its "
          "an a be this which they their been are not or but told people after",
    "fr": "le la les et des du une est que dans pour sur au pas",
    "es": "el la los las y de del que en por para una con es",
    "de": "der die das und ist nicht mit den von zu ein eine auf",
    "tr": "ve bir bu ile için da de olarak olan gibi",
    "it": "il di che è la per gli una non del sono",
    "nl": "de het een van en is dat op te niet",
    "pt": "o os as e de do da que em para não uma com",
}
_LATIN_SETS = {k: set(v.split()) for k, v in _LATIN_WORDS.items()}


def _count(rx: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in the script of ``rx`` (a run-matching pattern)."""
    return sum(map(len, rx.findall(text)))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of ``text`` ("ar", "en", ...) or "und".

    Deterministic and offline: the dominant script decides, Latin text is told
    apart by function words, Arabic script by Persian/Urdu letters and words.
    """
    sample = text[:3000]
    ar = _count(_ARABIC, sample)
    la = _count(_LATIN, sample)
    if max(ar, la) * 3 > len(sample):  # clearly Arabic or Latin script: skip the other scripts
        others = [(0, "und")]
    else:
        others = [(_count(rx, sample), code) for code, rx in _SCRIPTS]
    best_other = max(others) if others else (0, "und")
    top = max(ar, la, best_other[0])
    if top < 3:
        return "und"
    if top == ar:
        part = sample[:3000]  # enough to tell Persian and Urdu apart from Arabic
        ar_part = _count(_ARABIC, part)
        fa = len(_PERSIAN.findall(part))
        if len(_URDU.findall(part)) > 5:
            return "ur"
        return "fa" if fa > max(5, ar_part // 50) else "ar"
    if top == la:
        words = re.findall(r"[a-zà-ÿ]+", sample[:3000].lower())
        counts = Counter(words)
        scores = {k: sum(counts[w] for w in s) for k, s in _LATIN_SETS.items()}
        lang = max(scores, key=lambda k: (scores[k], k == "en"))
        if lang != "en" and (scores[lang] < scores["en"] + 2 or scores[lang] < 3):
            return "en"
        return lang
    return best_other[1]
