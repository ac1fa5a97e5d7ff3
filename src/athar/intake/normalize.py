"""Matching-only normalisation that keeps a map back to the original text.

Arabic is folded (alef forms, alef maqsura, ta marbuta, hamza carriers,
Persian letter forms, Eastern digits) and diacritics, tatweel and invisible
or bidi control characters are removed. Folding never changes the order of
characters, so every folded index maps to exactly one original index.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Folded", "INVISIBLE_RE", "fold", "fold_text"]

# Zero-width, directional and other invisible format characters.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\ufff9\ufffa\ufffb"
)
INVISIBLE_RE = re.compile("[" + _INVISIBLE + "]")

# Arabic diacritics (harakat, Quranic marks), superscript alef, tatweel.
_DELETE = _INVISIBLE + "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640"
_DELETE += "".join(chr(c) for c in range(0x06D6, 0x06EE))
_DELETE_RE = re.compile("[" + re.escape(_DELETE) + "]+")

_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ھ": "ه",
    "ؤ": "و", "ک": "ك", "ڪ": "ك", "گ": "ك",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",
    "٫": ".", "٬": ",",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)
_TABLE = str.maketrans(_MAP)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus the mapping of each folded index to its original index."""

    text: str
    original: str
    _seg_folded: tuple[int, ...]
    _seg_original: tuple[int, ...]

    def to_original(self, i: int) -> int:
        """Map a folded index (0..len) to the original index of the same character."""
        if not self._seg_folded:
            return i
        k = bisect.bisect_right(self._seg_folded, i) - 1
        return self._seg_original[k] + (i - self._seg_folded[k])

    def to_folded(self, o: int) -> int:
        """Map an original index to the folded index of the next kept character."""
        if not self._seg_folded:
            return o
        k = bisect.bisect_right(self._seg_original, o) - 1
        if k < 0:
            return 0
        seg_len = (self._seg_folded[k + 1] - self._seg_folded[k]) if k + 1 < len(
            self._seg_folded) else len(self.text) - self._seg_folded[k]
        return self._seg_folded[k] + min(o - self._seg_original[k], seg_len)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded half-open span to the original text (end exclusive)."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


_MAPPED_RE = re.compile("[" + re.escape("".join(_MAP)) + "]")


def _translate(text: str) -> str:
    """Apply the folding table; most English texts need no change, which one scan tells."""
    return text.translate(_TABLE) if _MAPPED_RE.search(text) else text


def fold_text(text: str) -> str:
    """Fold a lexicon entry or query for matching (no offsets kept)."""
    return _DELETE_RE.sub("", text).translate(_TABLE)


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; guarantees ``len`` of each kept char is unchanged.

    The returned :class:`Folded` maps every folded index back to the original.
    """
    segs_f: list[int] = []
    segs_o: list[int] = []
    parts: list[str] = []
    pos = 0
    flen = 0
    deleted = False
    for m in _DELETE_RE.finditer(text):
        deleted = True
        if m.start() > pos:
            segs_f.append(flen)
            segs_o.append(pos)
            parts.append(text[pos : m.start()])
            flen += m.start() - pos
        pos = m.end()
    if not deleted:
        return Folded(_translate(text), text, (), ())
    segs_f.append(flen)
    segs_o.append(pos)
    parts.append(text[pos:])
    folded = _translate("".join(parts))
    return Folded(folded, text, tuple(segs_f), tuple(segs_o))


@lru_cache(maxsize=4096)
def fold_key(text: str) -> str:
    """Fold and lower-case a short string, collapsing whitespace (dictionary keys)."""
    return " ".join(fold_text(text).lower().split())
