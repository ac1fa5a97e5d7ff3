"""Sentences, paragraphs and quotations, as half-open spans of the folded text."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes", "paragraphs", "sentences"]

_ABBREV = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "maj", "sgt", "capt", "prof", "st", "no",
           "u.s", "u.n", "u.k", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "jr", "sr", "rev", "gov",
           "sen", "rep", "amb", "brig", "adm", "cmdr", "approx", "al"}
_END_RE = re.compile(r"[.!?؟]+(?=[\s\"'”»’)]|$)|\n|\|")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``start``/``end`` bound its content, without the marks."""

    open: int
    start: int
    end: int
    close: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty paragraphs split on blank lines or single newlines."""
    out = []
    pos = 0
    for m in re.finditer(r"\n", text):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


MAX_SENTENCE = 900  # characters; longer runs are cut at clause boundaries
MAX_QUOTE_SPAN = 3000  # a longer "quotation" is a stray mark, not one statement
_CLAUSE_CUT = re.compile(r"[,;،؛:]\s|\s")


def _bounded(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut ``[s, e)`` into pieces of at most MAX_SENTENCE characters, at the last clause
    boundary (comma, semicolon, else a space) before the limit. Keeps rule costs linear."""
    out = []
    while e - s > MAX_SENTENCE:
        lim = s + MAX_SENTENCE
        cut = -1
        for m in _CLAUSE_CUT.finditer(text, s + MAX_SENTENCE // 2, lim):
            if m.group()[0] != " " or cut < 0:
                cut = m.end() if m.group()[0] != " " else m.start()
        if cut <= s:
            cut = lim
        out.append((s, cut))
        s = cut
    if text[s:e].strip():
        out.append((s, e))
    return out


def sentences(text: str, quotes: list[Quote] | None = None) -> list[tuple[int, int]]:
    """Sentence spans; a full stop inside a quotation does not end the sentence
    when the quotation continues in the same paragraph. No span is longer than
    :data:`MAX_SENTENCE` characters, so every per-sentence rule runs in linear time."""
    inside: list[tuple[int, int]] = sorted(
        (q.start, q.end) for q in quotes or [] if q.end - q.start <= MAX_QUOTE_SPAN)
    in_starts = [a for a, _ in inside]
    longest = max((e - a for a, e in inside), default=0)
    out = []
    pos = 0
    for m in _END_RE.finditer(text):
        if m.group() not in ("\n", "|"):
            w = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if w and m.group() == ".":
                word = w.group(1).lower().rstrip(".")
                if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                    continue
                if m.end() < len(text) and text[m.end() : m.end() + 1].isdigit():
                    continue
            p = m.start()
            near = inside[bisect_left(in_starts, p - longest) : bisect_left(in_starts, p)]
            if any(s < p < e - 1 and "\n" not in text[p:e] for s, e in near):
                continue
        end = m.end() if m.group() not in ("\n", "|") else m.start()
        if text[pos:end].strip():
            out.extend(_bounded(text, pos, end))
        pos = m.end()
    if text[pos:].strip():
        out.extend(_bounded(text, pos, len(text)))
    return out


_PAIRS = {"«": "»", "“": "”", "„": "“", "‹": "›"}


def find_quotes(text: str) -> list[Quote]:
    """Quotations in « », “ ” and straight double quotes.

    Straight quotes pair up within a paragraph; when a paragraph holds an odd
    number of them, the first one pairs with the last (a quote embedding a
    quoted phrase, a common slip in wire copy).
    """
    out: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for m in re.finditer(r"[«»“”„‹›]", text):
        ch = m.group()
        if ch in _PAIRS and not (ch == "“" and stack and stack[-1][0] == "„"):
            stack.append((ch, m.start()))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[k][0]] == ch or (ch == "”" and stack[k][0] == "“"):
                    o = stack[k][1]
                    del stack[k:]
                    out.append(Quote(o, o + 1, m.start(), m.end()))
                    break
    for ps, pe in paragraphs(text):
        marks = [m.start() for m in re.finditer('"', text[ps:pe])]
        if len(marks) % 2 == 1 and len(marks) >= 3:
            marks = [marks[0], marks[-1]]
        elif len(marks) % 2 == 1:
            marks = marks[:-1]
        for a, b in zip(marks[::2], marks[1::2], strict=True):
            out.append(Quote(ps + a, ps + a + 1, ps + b, ps + b + 1))
    out.sort(key=lambda q: q.open)
    return out
