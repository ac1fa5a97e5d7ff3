"""The report highlighter: safe HTML, exact text, overlaps, bidi controls."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from athar.intake import extract
from athar.web.highlight import BIDI_CONTROLS, Span, render, segments, spans_from_extraction

OUR_TAG = re.compile(r'<p dir="auto">|</p>|<span( [a-z-]+="[^"<>]*")*>|</span>|'
                     r'<bdi class="bidi-ctl" title="U\+[0-9A-F]{4}">|</bdi>')


def text_of(markup: str) -> str:
    """The text content of our HTML: our tags removed, entities decoded."""
    return html.unescape(OUR_TAG.sub("", markup))


def test_claim_speaker_verb_and_items_get_their_classes():
    text = "The ministry said that chlorine was used in Ariha, a heinous crime."
    ex = {"claims": [{"speaker": "The ministry", "speaker_normalized": "Ministry", "speaker_type":
                      "government", "verb": "said", "claim": "chlorine was used in Ariha",
                      "start": 23, "end": 49, "speaker_start": 0, "speaker_end": 12}],
          "agents": [{"start": 23, "end": 31, "normalized": "chlorine"}],
          "places": [{"start": 44, "end": 49, "normalized": "Ariha"}],
          "loaded_language": [{"start": 53, "end": 66, "gloss": "emotive"}]}
    out = render(text, spans_from_extraction(text, ex))
    assert '<span class="hl-speaker" data-claims="0" title="government">The ministry</span>' in out
    assert '<span class="hl-verb" data-claims="0">said</span>' in out
    assert 'class="hl-agent hl-claim" data-claims="0" id="claim-0"' in out
    assert '<span class="hl-loaded" title="emotive">heinous crime</span>' in out
    assert text_of(out) == text


def test_outlet_voice_and_quotes_are_styled_apart():
    text = 'Rebels staged it. "We smelled chlorine," he said.'
    ex = {"claims": [
        {"speaker_type": "unattributed_outlet_voice", "claim": "Rebels staged it", "start": 0, "end": 16},
        {"speaker_type": "person", "verb": "said", "direct_quote": True, "start": 19, "end": 38,
         "speaker_start": 41, "speaker_end": 43}]}
    out = render(text, spans_from_extraction(text, ex))
    assert 'class="hl-claim hl-outlet"' in out
    assert 'class="hl-claim hl-quote"' in out
    assert '<span class="hl-verb" data-claims="1">said</span>' in out


def test_overlapping_and_nested_spans_are_cut_not_lost():
    text = "abcdefghij"
    spans = [Span(0, 6, "hl-claim", 0), Span(4, 10, "hl-claim", 1), Span(2, 5, "hl-place")]
    segs = segments(text, spans)
    assert "".join(s.text for s in segs) == text
    assert [s.text for s in segs] == ["ab", "cd", "e", "f", "ghij"]
    assert segs[2].claims == (0, 1) and segs[2].classes == ("hl-claim", "hl-place")


def test_html_in_the_report_is_escaped():
    text = '<script>alert("x")</script> & <b onmouseover=1>'
    out = render(text, [Span(0, 8, "hl-claim", 0), Span(30, 33, "hl-loaded", title='"><img>')])
    assert "<script" not in out and "<b " not in out and "<img" not in out
    assert text_of(out) == text


def test_bidi_overrides_are_isolated_and_kept():
    text = "the army \u202eesab sdrawkcab\u202c said\nسطر \u2067عربي\u2069"
    out = render(text, [Span(0, 8, "hl-speaker", 0)])
    assert "\u202e" not in out  # only as a character reference, inside its own <bdi>
    assert '<bdi class="bidi-ctl" title="U+202E">&#x202e;</bdi>' in out
    assert out.count("<bdi") == 4
    assert out.count('<p dir="auto">') == 2
    assert text_of(out) == text


def test_spans_outside_the_text_are_dropped():
    text = "short"
    ex = {"claims": [{"start": 2, "end": 99}, {"start": 0, "end": 3, "speaker_start": -1,
                                                 "speaker_end": 2}],
          "places": [{"start": "x", "end": 3}]}
    spans = spans_from_extraction(text, ex)
    assert [(s.start, s.end, s.css) for s in spans] == [(0, 3, "hl-claim")]


def test_a_real_arabic_report():
    text = "قال المرصد السوري لحقوق الإنسان إن غاز الكلور استخدم في أريحا يوم الخميس."
    ex = extract(text).to_json()
    out = render(text, spans_from_extraction(text, ex))
    assert "hl-claim" in out and "hl-speaker" in out
    assert text_of(out) == text


_alphabet = st.sampled_from(list("ab <>&\"'\n\r\t؟عربي") + sorted(BIDI_CONTROLS) + ["\x00", "\u200f"])
_text = st.text(alphabet=_alphabet, max_size=60)


@st.composite
def _text_and_spans(draw):
    text = draw(_text)
    n = len(text)
    spans = []
    if n:
        for _ in range(draw(st.integers(0, 6))):
            a = draw(st.integers(0, n - 1))
            b = draw(st.integers(a + 1, n))
            css = draw(st.sampled_from(["hl-claim", "hl-speaker", "hl-verb", "hl-loaded", "hl-place"]))
            title = draw(st.none() | st.text(alphabet=_alphabet, max_size=8))
            spans.append(Span(a, b, css, draw(st.none() | st.integers(0, 3)), title))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(_text_and_spans())
def test_rendering_is_safe_and_exact(case):
    text, spans = case
    out = str(render(text, spans))
    assert "<" not in OUR_TAG.sub("", out), "a '<' from the text reached the HTML unescaped"
    assert not set(out) & BIDI_CONTROLS
    assert text_of(out) == text
    assert "".join(s.text for s in segments(text, spans)) == text
