"""A report's text with its extracted spans marked up as safe HTML (pure: no I/O).

Intake finds spans in a report (claims with their speaker, places, dates,
agents, figures, alleged perpetrators, loaded wording); they may nest or
overlap. :func:`segments` cuts the text at every span boundary, so each piece
carries the set of spans covering it and overlaps need no special case;
:func:`render` turns the pieces into HTML, one ``<p dir="auto">`` per line of
the text, escaping every character of the report.

Two guarantees, checked by property tests:

- the text content of the HTML (tags removed, entities decoded) is the
  original text, character for character;
- nothing from the text can open a tag: ``<`` and ``&`` are always escaped,
  and explicit bidi controls (embeddings, overrides, isolates) are each
  wrapped in their own ``<bdi>`` so an override in a report cannot reorder
  the text around it, while staying visible (CSS marks them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = ["BIDI_CONTROLS", "Segment", "Span", "render", "segments", "spans_from_extraction"]

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI: the controls that change the order of other text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_RE = re.compile("([" + "".join(sorted(BIDI_CONTROLS)) + "])")

# The extraction's lists and the CSS class each gets.
_ITEM_CLASSES = {
    "places": "hl-place", "dates": "hl-date", "agents": "hl-agent", "casualties": "hl-figure",
    "alleged_perpetrators": "hl-perp", "loaded_language": "hl-loaded",
}
OUTLET_VOICE = "unattributed_outlet_voice"


@dataclass(frozen=True)
class Span:
    """A marked stretch ``[start, end)`` of the text: its CSS class, and the claim it belongs to."""

    start: int
    end: int
    css: str
    claim: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class Segment:
    """A piece of text with every span covering it."""

    text: str
    start: int
    spans: tuple[Span, ...] = ()

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(sorted({c for s in self.spans for c in s.css.split()}))

    @property
    def claims(self) -> tuple[int, ...]:
        return tuple(sorted({s.claim for s in self.spans if s.claim is not None}))


def _valid(start: Any, end: Any, n: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n


def _verb_span(text: str, claim: dict[str, Any]) -> tuple[int, int] | None:
    """Where the claim's reporting verb stands: between speaker and claim, else just around the claim."""
    verb = claim.get("verb")
    if not verb:
        return None
    s, e = claim["start"], claim["end"]
    ss, se = claim.get("speaker_start"), claim.get("speaker_end")
    windows = []
    if isinstance(ss, int) and isinstance(se, int):
        windows.append((se, s) if se <= s else (e, ss))
        windows.append((max(0, min(ss, s) - 40), min(len(text), max(se, e) + 40)))
    windows.append((max(0, s - 80), s))
    windows.append((e, min(len(text), e + 80)))
    for lo, hi in windows:
        i = text.find(verb, lo, hi) if lo < hi else -1
        if i >= 0:
            return i, i + len(verb)
    return None


def spans_from_extraction(text: str, extraction: dict[str, Any]) -> list[Span]:
    """Spans for every claim (with its speaker and verb) and every item of an intake extraction.

    A claim in the outlet's own voice gets ``hl-outlet``, a direct quote ``hl-quote``;
    spans that do not fit the text are dropped rather than trusted.
    """
    n = len(text)
    out: list[Span] = []
    for no, c in enumerate(extraction.get("claims", [])):
        if not _valid(c.get("start"), c.get("end"), n):
            continue
        css = "hl-claim"
        if c.get("speaker_type") == OUTLET_VOICE:
            css += " hl-outlet"
        if c.get("direct_quote"):
            css += " hl-quote"
        out.append(Span(c["start"], c["end"], css, no, c.get("speaker_normalized") or c.get("speaker")))
        if _valid(c.get("speaker_start"), c.get("speaker_end"), n):
            out.append(Span(c["speaker_start"], c["speaker_end"], "hl-speaker", no,
                            c.get("speaker_type")))
        verb = _verb_span(text, c)
        if verb:
            out.append(Span(verb[0], verb[1], "hl-verb", no))
    for key, css in _ITEM_CLASSES.items():
        for item in extraction.get(key, []):
            if _valid(item.get("start"), item.get("end"), n):
                title = item.get("normalized") or item.get("iso") or item.get("gloss") or None
                if key == "casualties":
                    title = f"{item.get('figure')} {item.get('kind')}"
                out.append(Span(item["start"], item["end"], css, None,
                                str(title) if title is not None else None))
    return out


def segments(text: str, spans: Iterable[Span], breaks: Sequence[int] = ()) -> list[Segment]:
    """Cut ``text`` at every span boundary (and at ``breaks``); each piece lists the spans covering it.

    ``"".join(s.text for s in result) == text`` always holds; spans outside the
    text are ignored.
    """
    n = len(text)
    kept = [s for s in spans if 0 <= s.start < s.end <= n]
    cuts = sorted({0, n, *(b for b in breaks if 0 < b < n), *(s.start for s in kept),
                   *(s.end for s in kept)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = tuple(s for s in kept if s.start <= a and b <= s.end)
        out.append(Segment(text[a:b], a, covering))
    return out


def _escape_text(text: str) -> str:
    """Escape ``text`` for HTML, each explicit bidi control isolated in its own ``<bdi>``."""
    parts = []
    for piece in _BIDI_RE.split(text):
        if piece in BIDI_CONTROLS:
            code = f"U+{ord(piece):04X}"
            parts.append(f'<bdi class="bidi-ctl" title="{code}">&#x{ord(piece):04x};</bdi>')
        elif piece:
            parts.append(str(escape(piece)))
    return "".join(parts)


def _segment_html(seg: Segment, first_of: dict[int, int]) -> str:
    body = _escape_text(seg.text)
    if not seg.spans:
        return body
    attrs = [f'class="{escape(" ".join(seg.classes))}"']
    if seg.claims:
        attrs.append(f'data-claims="{" ".join(map(str, seg.claims))}"')
    anchors = [c for c in seg.claims if first_of.get(c) == seg.start]
    if anchors:
        attrs.append(f'id="claim-{anchors[0]}"')
    titles = list(dict.fromkeys(s.title for s in seg.spans if s.title))
    if titles:
        attrs.append(f'title="{escape(_BIDI_RE.sub("", " · ".join(titles)))}"')
    return f"<span {' '.join(attrs)}>{body}</span>"


def render(text: str, spans: Iterable[Span]) -> Markup:
    """The text as HTML: a ``<p dir="auto">`` per line, each span-covered piece a classed ``<span>``.

    Each claim's first piece carries ``id="claim-N"`` (N its index in the
    extraction), so ``#claim-N`` links to it. Line breaks between paragraphs
    are kept as text, so the HTML's text content is exactly ``text``.
    """
    spans = list(spans)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    breaks = [i for a, b in lines for i in (a, b)]
    segs = segments(text, spans, breaks)
    first_of: dict[int, int] = {}
    for s in sorted(spans, key=lambda s: s.start):
        if s.claim is not None and s.claim not in first_of and s.css.startswith("hl-claim"):
            first_of[s.claim] = s.start
    html: list[str] = []
    i = 0
    for a, b in lines:
        gap = []
        while i < len(segs) and segs[i].start < a:
            gap.append(segs[i].text)
            i += 1
        html.append(_escape_text("".join(gap)))
        inner = []
        while i < len(segs) and segs[i].start < b:
            inner.append(_segment_html(segs[i], first_of))
            i += 1
        html.append('<p dir="auto">' + "".join(inner) + "</p>")
    html.append(_escape_text("".join(s.text for s in segs[i:])))
    return Markup("".join(html))
