"""A token n-gram lexicon matcher shared by places, agents, actors and speakers.

Entries are keyed by folded, lower-cased word sequences. Matching walks the
tokens of a folded text once, tries Arabic proclitics (و ف ب ل ك and their
pairs) on the first word, and keeps the longest match at each position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from athar.intake.normalize import Folded, fold_key

__all__ = ["Lexicon", "LexMatch", "Token", "candidate_starts", "tokenize"]

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "ولل", "فلل", "لل", "و", "ف", "ب", "ل", "ك",
               "وب", "ول", "وك", "فب", "فل")
_LATIN_RE = re.compile(r"[A-Za-z]")
_SOFT_GAP = re.compile(r"[\s\-'’‘\u2010\u2011.]{0,3}")


class Token(NamedTuple):
    """One word of a folded text: folded lower-case form and folded offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LexMatch:
    """A lexicon hit: folded token span, folded char span, the entry payload."""

    first: int
    last: int
    start: int
    end: int
    value: Any


def tokenize(folded: Folded | str) -> list[Token]:
    """Split folded text into word tokens (letters and digits) with folded offsets."""
    text = folded.text if isinstance(folded, Folded) else folded
    low = text.lower()
    if len(low) != len(text):  # rare: lower-casing changed the length; go word by word
        return [Token(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    new = Token._make
    return [new((m.group(), m.start(), m.end())) for m in _TOKEN_RE.finditer(low)]


@lru_cache(maxsize=65536)
def _variants(word: str) -> tuple[tuple[str, int], ...]:
    """(stem, chars stripped) for a word with and without Arabic proclitics (cached)."""
    return tuple(_gen_variants(word))


def _gen_variants(word: str) -> Iterator[tuple[str, int]]:
    yield word, 0
    if len(word) < 4 or _LATIN_RE.match(word):
        return
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p):]
            if p.endswith("ال"):
                yield "ال" + rest, len(p) - 2
            elif p.endswith("لل"):
                yield "ال" + rest, len(p) - 2
            else:
                yield rest, len(p)


_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "the"})


def _capitalised(text: str, tokens: list[Token], i: int, size: int) -> bool:
    """True when the first word of a match, after 'al-'/'the', starts with a capital."""
    j = i
    while j < i + size - 1 and tokens[j].text in _ARTICLES:
        j += 1
    return text[tokens[j].start].isupper() or text[tokens[i].start].isupper()


class Lexicon:
    """Maps multi-word surface forms to payloads; longest match wins."""

    def __init__(self, entries: Iterable[tuple[str, Any]], *, case_sensitive_latin: bool = True):
        self._map: dict[str, Any] = {}
        self._lens: dict[str, int] = {}
        self._cased: dict[str, bool] = {}
        self._prefixes: set[str] = set()
        self.case_sensitive_latin = case_sensitive_latin
        for surface, value in entries:
            key = fold_key(surface)
            words = _TOKEN_RE.findall(key)
            if not words:
                continue
            key = " ".join(words)
            self._map.setdefault(key, value)
            for k in range(1, len(words)):
                self._prefixes.add(" ".join(words[:k]))
            first = words[0]
            self._lens[first] = max(self._lens.get(first, 0), len(words))
            self._cased[key] = any(c.isupper() for c in surface)

    def __len__(self) -> int:
        return len(self._map)

    @property
    def first_words(self) -> frozenset[str]:
        """First words of all entries (a cheap prefilter shared by several lexicons)."""
        return frozenset(self._lens)

    def get(self, phrase: str) -> Any:
        """Return the payload for an exact (folded) phrase, or None."""
        return self._map.get(" ".join(_TOKEN_RE.findall(fold_key(phrase))))

    def find(self, tokens: list[Token], original: str | None = None,
             folded: Folded | None = None, first_only: bool = False,
             candidates: list[int] | None = None) -> list[LexMatch]:
        """Return non-overlapping longest matches, left to right.

        When ``case_sensitive_latin`` is set, a Latin entry written with a capital
        only matches text whose first letter is upper case (needs ``folded``).
        ``candidates`` (sorted token indices) restricts where a match may start.
        """
        out: list[LexMatch] = []
        n = len(tokens)
        lens = self._lens
        text = folded.text if folded is not None else None
        order = candidates if candidates is not None else range(n)
        nxt = 0
        for i in order:
            if i < nxt:
                continue
            best: LexMatch | None = None
            for stem, cut in _variants(tokens[i].text):
                maxlen = lens.get(stem)
                if not maxlen:
                    continue
                # grow the phrase word by word while it is a prefix of some entry
                key = stem
                cands = []
                for size in range(1, min(maxlen, n - i) + 1):
                    if size > 1:
                        key = key + " " + tokens[i + size - 1].text
                    if key in self._map:
                        cands.append((size, key))
                    if key not in self._prefixes:
                        break
                for size, key in reversed(cands):
                    if best is not None and size <= best.last - best.first + 1:
                        break
                    value = self._map[key]
                    if text is not None and size > 1 and not all(
                        _SOFT_GAP.fullmatch(text[tokens[j].end : tokens[j + 1].start])
                        for j in range(i, i + size - 1)
                    ):
                        continue
                    start = tokens[i].start + cut
                    if (self.case_sensitive_latin and folded is not None and self._cased[key]
                            and _LATIN_RE.match(stem)
                            and not _capitalised(folded.text, tokens, i, size)):
                        continue
                    best = LexMatch(i, i + size - 1, start, tokens[i + size - 1].end, value)
                    break
            if first_only:
                return [best] if best is not None else []
            if best is not None:
                out.append(best)
                nxt = best.last + 1
        return out


_MEMO: dict[frozenset[str], dict[str, bool]] = {}


def candidate_starts(tokens: list[Token], first_words: frozenset[str]) -> list[int]:
    """Indices of tokens that (after removing a proclitic) start some lexicon entry."""
    out = []
    memo = _MEMO.setdefault(first_words, {})
    if len(memo) > 200_000:
        memo.clear()
    for i, t in enumerate(tokens):
        hit = memo.get(t.text)
        if hit is None:
            hit = memo[t.text] = any(stem in first_words for stem, _ in _variants(t.text))
        if hit:
            out.append(i)
    return out

