"""``extract``: one report's text to an :class:`Extraction` (pure, deterministic)."""

from __future__ import annotations

import datetime as dt

from athar.errors import IntakeError
from athar.intake.attrib_ar import find_claims_ar
from athar.intake.attrib_colon import find_colon_claims
from athar.intake.attrib_en import find_claims_en
from athar.intake.casualties import find_casualties
from athar.intake.claims import (
    Draft,
    anaphoric_denials,
    assemble,
    resumed_quotes,
    split_coordinated,
)
from athar.intake.dates import find_dates
from athar.intake.document import Doc
from athar.intake.facts import (
    drop_metonyms,
    find_agents,
    find_loaded,
    find_perpetrators,
    find_places,
)
from athar.intake.language import detect_language
from athar.intake.models import Extraction
from athar.intake.normalize import INVISIBLE_RE
from athar.intake.outlet import outlet_drafts
from athar.intake.perpetrators import link_perpetrators
from athar.intake.places_ctx import find_context_places
from athar.intake.published import Published, infer_published, parse_published
from athar.intake.segment import find_quotes, sentences
from athar.intake.vague import find_vague

__all__ = ["MAX_CHARS", "extract"]

MAX_CHARS = 2_000_000


def extract(text: str, *, published: dt.date | str | None = None,
            source: str | None = None, vague_figures: bool = False) -> Extraction:
    """Extract attributed claims and incident facts from one report.

    ``published`` is a date or a string YYYY, YYYY-MM or YYYY-MM-DD; when it is
    None, the report's dateline sets it and the result says it was inferred.
    With ``vague_figures``, casualties also hold vague quantities ("dozens of people",
    «عشرات المصابين») whose ``figure`` is ``dozens``, ``hundreds`` or ``several``;
    without it every figure is an int.
    Guarantees: deterministic; raises only :class:`~athar.errors.IntakeError`;
    every span is ``text[start:end]`` of the original text and holds no
    invisible or bidi control character; no allegation is turned into a fact.
    """
    if not isinstance(text, str):
        raise IntakeError("report text must be a str; decode bytes with read_report() first")
    pub = parse_published(published)
    if len(text) > MAX_CHARS:
        raise IntakeError(f"report is too long ({len(text)} characters, limit {MAX_CHARS}); "
                          "split it into parts")
    try:
        return _extract(text, pub, source, vague_figures)
    except IntakeError:
        raise
    except Exception as exc:  # pragma: no cover - a bug, reported as an intake failure
        raise IntakeError(f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _extract(text: str, pub: Published | None, source: str | None,
             vague_figures: bool = False) -> Extraction:
    published = pub.date if pub is not None else None
    precision = pub.precision if pub is not None else "day"
    warnings: list[str] = []
    n_inv = len(INVISIBLE_RE.findall(text))
    if n_inv:
        warnings.append(f"invisible or bidi control characters: {n_inv} found, kept out of spans")
    if not text.strip():
        return Extraction("und", published, tuple(warnings + ["empty report"]), published_precision=precision)
    language = detect_language(text)
    if language not in ("ar", "en"):
        warnings.append("unsupported language")
        return Extraction(language, published, tuple(warnings), published_precision=precision)
    doc = Doc(text)
    if pub is None:
        pub = infer_published(text, find_dates(doc, None))
        if pub is not None:
            published, precision = pub.date, pub.precision
    folded = doc.folded
    places = find_places(doc)
    places += find_context_places(doc, [(p.start, p.end) for p in places])
    places.sort(key=lambda p: p.start)
    agents = find_agents(doc)
    perps = find_perpetrators(doc)
    loaded = find_loaded(doc)
    dates = find_dates(doc, published, precision)
    casualties = find_casualties(doc, [(d.start, d.end) for d in dates])
    if vague_figures:
        casualties += find_vague(doc, [(c.start, c.end) for c in casualties])
        casualties.sort(key=lambda c: c.start)

    quotes = find_quotes(folded.text)
    sents = sentences(folded.text, quotes)
    drafts: list[Draft] = []
    drafts += find_claims_ar(folded.text, sents, quotes)
    drafts += find_claims_en(folded.text, sents, quotes)
    drafts += find_colon_claims(folded.text, sents, quotes)
    drafts += resumed_quotes(folded.text, quotes, drafts)
    drafts = split_coordinated(folded.text, drafts, quotes)
    drafts = anaphoric_denials(folded.text, drafts)
    taken = [_extent(d) for d in drafts]  # an attribution covers its speaker, verb and content
    tf = folded.to_folded
    markers = [(tf(a.start), tf(a.end), "agent") for a in agents]
    markers += [(tf(c.start), tf(c.end), "casualty") for c in casualties]
    markers += [(tf(p.start), tf(p.end), "actor") for p in perps]
    drafts += outlet_drafts(folded.text, sents, taken, markers)
    claims = assemble(doc, drafts, source)
    spk = [(tf(c.speaker_start), tf(c.speaker_end)) for c in claims
           if c.speaker_start is not None and c.speaker_end is not None]
    spk += [(d.via[0], d.via[1]) for d in drafts if d.via] + [d.speaker for d in drafts if d.speaker]
    facts = [(tf(a.start), tf(a.end)) for a in agents] + [(tf(c.start), tf(c.end)) for c in casualties]
    perps = link_perpetrators(folded.text, perps, tf, sents, spk, facts)
    places = drop_metonyms(doc, places, [(c.speaker_start, c.speaker_end) for c in claims
                                         if c.speaker_start is not None and c.speaker_end is not None])
    return Extraction(
        language=language,
        published=published,
        warnings=tuple(warnings),
        claims=tuple(claims),
        places=tuple(places),
        dates=tuple(dates),
        agents=tuple(agents),
        casualties=tuple(casualties),
        alleged_perpetrators=tuple(perps),
        loaded_language=tuple(loaded),
        published_precision=precision,
        published_inferred=pub is not None and pub.inferred,
    )


def _extent(d: Draft) -> tuple[int, int]:
    spans = [d.claim] + [x for x in (d.verb, d.speaker, d.via) if x is not None]
    return min(a for a, _ in spans), max(b for _, b in spans)
