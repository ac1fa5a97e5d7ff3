"""Vague casualty quantities: "dozens of people", «عشرات المصابين», "hundreds were killed",
«عدد من المدنيين». Their figure is ``dozens``, ``hundreds`` or ``several`` (guideline).

A quantity word counts only when people follow it (a person noun, a casualty noun) or a
casualty word sits right next to it ("killing hundreds", «مقتل العشرات»); the kind comes
from the nearest casualty word of its clause, as for numbers."""

from __future__ import annotations

import re

from athar.intake.casualties import KIND_RE, PERSON, classify, kind_of
from athar.intake.document import Doc
from athar.intake.models import Casualty

__all__ = ["find_vague"]

_QUANT = re.compile(
    r"(?<![^\W_])[وبل]?(?:(?P<dozens>(?:ال)?عشرات|tens|dozens|scores)|(?P<hundreds>(?:ال)?مئات|(?:ال)?ميات|"
    r"hundreds)|(?P<several>عدد\s+من|عددا\s+من|العديد\s+من|بضعه|several|a\s+number\s+of))(?![^\W_])",
    re.IGNORECASE,
)
_PEOPLE_AFTER = re.compile(
    rf"\s*(?:(?:of|من)\s+)?(?:(?:the|ال)\s*)?(?:[\w-]+\s+)?(?:ال)?(?:{PERSON}|حالات|مصابين|جرحي|"
    r"قتلي|الجرحي|القتلي|المصابين|ضحايا|casualties)(?![^\W_])",
    re.IGNORECASE,
)


def find_vague(doc: Doc, taken: list[tuple[int, int]]) -> list[Casualty]:
    """Vague casualty quantities not overlapping ``taken`` (original spans of figures)."""
    text = doc.folded.text
    out: list[Casualty] = []
    for m in _QUANT.finditer(text):
        people = _PEOPLE_AFTER.match(text, m.end())
        end = people.end() if people else m.end()
        kind, immediate, end = classify(text, m.start(), m.end(), end, people is not None)
        own = KIND_RE.search(text, m.end(), end) if people is not None else None
        if own is not None:  # 'عشرات المصابين', 'dozens of casualties': the noun says the kind
            kind, immediate = kind_of(own), True
        if kind is None or not (people is not None or immediate):
            continue
        if people is None:
            before = [k for k in KIND_RE.finditer(text, max(0, m.start() - 14), m.start())]
            if not before and not immediate:
                continue
            if before:
                kind = kind_of(before[-1])
        s, e = doc.span(m.start(), end)
        if e <= s or any(a < e and s < b for a, b in taken):
            continue
        figure = next(k for k in ("dozens", "hundreds", "several") if m[k])
        out.append(Casualty(figure, kind, doc.text[s:e], s, e))
    return out
