"""A report prepared for matching: original text, folded text, tokens, spans."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property

from athar.intake.lexicon import Lexicon, LexMatch, Token, _variants, candidate_starts, tokenize
from athar.intake.normalize import INVISIBLE_RE, Folded, fold

__all__ = ["Doc", "trim_span"]

_EDGE = " \t\r\n\u00a0.,،؛;:!?؟«»\"“”„'‘’()[]{}-–—…"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so it has no edge punctuation/space and no invisible chars.

    If invisible characters sit inside, the longest clean piece is kept.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    pieces = []
    pos = start
    for m in INVISIBLE_RE.finditer(text, start, end):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, end))
    if len(pieces) > 1:
        start, end = max(pieces, key=lambda p: p[1] - p[0])
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE and not _closes(text, start, end):
        end -= 1
    return start, end


def _closes(text: str, start: int, end: int) -> bool:
    """True when the span ends on a bracket it opened itself: 'Hawar news agency (ANHA)'."""
    return text[end - 1] in ")]" and text.count("(" if text[end - 1] == ")" else "[", start, end) > \
        text.count(text[end - 1], start, end - 1)


_CAND_MEMO: dict[str, tuple[int, ...]] = {}  # token -> indices of the lexicons it may start


@cache
def _first_words() -> tuple[frozenset[str], ...]:
    """(union, places, agents, actors, loaded) first words of the fact lexicons."""
    from athar.intake.resources import actors, agents, gazetteer, loaded

    each = [x.first_words for x in (gazetteer(), agents(), actors(), loaded())]
    return (frozenset().union(*each), *each)


@dataclass
class Doc:
    """Original and folded text of one report plus lazily built tokens."""

    text: str
    folded: Folded = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        """Word tokens of the folded text."""
        return tokenize(self.folded)

    @cached_property
    def facts(self) -> dict[str, list[LexMatch]]:
        """Matches of the shipped fact lexicons (places, agents, actors, loaded), one pass."""
        from athar.intake.resources import actors, agents, gazetteer, loaded

        lex = {"places": gazetteer(), "agents": agents(), "actors": actors(), "loaded": loaded()}
        firsts = _first_words()
        memo = _CAND_MEMO
        if len(memo) > 200_000:
            memo.clear()
        per: list[list[int]] = [[] for _ in lex]
        for i in candidate_starts(self.tokens, firsts[0]):
            word = self.tokens[i].text
            mask = memo.get(word)
            if mask is None:
                stems = [stem for stem, _ in _variants(word)]
                mask = memo[word] = tuple(k for k, fw in enumerate(firsts[1:])
                                          if any(st in fw for st in stems))
            for k in mask:
                per[k].append(i)
        return {name: v.find(self.tokens, folded=self.folded, candidates=per[k])
                for k, (name, v) in enumerate(lex.items())}

    def find(self, lexicon: Lexicon) -> list[LexMatch]:
        """Longest lexicon matches over the whole document."""
        return lexicon.find(self.tokens, folded=self.folded)

    @cached_property
    def _clean(self) -> bool:
        return INVISIBLE_RE.search(self.text) is None

    def span(self, fstart: int, fend: int, *, trim: bool = True) -> tuple[int, int]:
        """Map a folded span to the original text, trimmed of edges and invisibles."""
        s, e = self.folded.span(fstart, fend)
        if not trim:
            return s, e
        if not self._clean:
            return trim_span(self.text, s, e)
        text = self.text
        e = max(s, min(e, len(text)))
        while s < e and text[s] in _EDGE:
            s += 1
        while e > s and text[e - 1] in _EDGE and not _closes(text, s, e):
            e -= 1
        return s, e

    def search(self, pattern: re.Pattern[str], start: int = 0,
               end: int | None = None) -> Iterator[re.Match[str]]:
        """``pattern.finditer`` over the folded text."""
        return pattern.finditer(self.folded.text, start, len(self.folded.text) if end is None else end)
