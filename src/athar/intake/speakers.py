"""Speaker resolution: canonical English name and type for a speaker as written,
with simple in-document coreference (الوزارة، البيان، "the ministry", "he")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from athar.intake.lexicon import LexMatch, Token, tokenize
from athar.intake.normalize import fold, fold_key
from athar.intake.resources import speakers
from athar.intake.translit import person_name

__all__ = ["Resolved", "SpeakerContext", "is_country"]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved speaker: canonical name, type, and whether it is a document noun."""

    name: str
    type: str
    document: bool = False


_UNNAMED = [  # (folded regex on the speaker text, canonical name)
    (r"مصاد?ر\s+(?:اهليه|محليه)|local sources?", "local sources"),
    (r"مصاد?ر\s+طبي|medical sources?|مصادر\s+في\s+(?:مشفي|مستشفي)", "medical sources"),
    (r"مصدر\s+عسكري|military source", "military source"),
    (r"مصادر\s+عسكريه|military sources", "military sources"),
    (r"مصاد?ر\s+دبلوماسي|diplomatic sources?", "diplomatic sources"),
    (r"مصدر\s+امني|security source\b", "security source"),
    (r"مصاد?ر\s+امني|security sources?", "security sources"),
    (r"مصدر\s+(?:في\s+(?:قياده\s+)?)?شرطه|مصدر\s+في\s+(?:ال)?شرطه|police source", "police source"),
    (r"مراقب(?:ون|ين)|observers", "observers"),
    (r"منظمات\s+اغاثه|relief (?:organi[sz]ations|groups)", "relief organisations"),
    (r"منظمات\s+طبيه|medical (?:organi[sz]ations|groups)", "medical organisations"),
    (r"احد\s+المسعفين|^an?\s+(?:paramedic|medic)\b", "a paramedic"),
    (r"عده\s+مصادر|several sources", "several sources"),
    (r"مصاد?ر\s+ميداني|field sources?", "field sources"),
    (r"مصاد?ر\s+اعلامي|media sources?", "media sources"),
    (r"ناشط(?:ون|ين)|نشطاء|الناشطين|الناشطون|activists", "activists"),
    (r"شهود|witness", "witnesses"),
    (r"سكان|الاهالي|اهالي|اهل\s+|residents|locals", "residents"),
    (r"مسعف(?:ون|ين)|paramedics|medics", "paramedics"),
    (r"اطباء|doctors", "doctors"),
    (r"مصدر\s+مطلع|informed source", "informed source"),
    (r"مصادر|مصدر|sources?|officials said|an official", "unnamed source"),
]
_UNNAMED_RE = [(re.compile(p, re.I), n) for p, n in _UNNAMED]
_IN_ORG = re.compile(r"(?:مصدر|مصادر)\s+(?:\S+\s+)?(?:في|ب|من)\s|sources?\s+(?:in|at|from|close\s+to)\s",
                     re.I)
_UNNAMED_HEAD = re.compile(
    r"^(?:ال)?(?:مصدر|مصادر|ناشط|نشطاء|شهود|سكان|اهالي|الاهالي|مسعف|اطباء|مراقب|منظمات\s|احد\s+المسعف|"
    r"عده\s+مصادر)|^(?:an?\s+|the\s+)?"
    r"(?:\w+\s+)?(?:sources?|activists|witnesses|residents|locals|medics|paramedics|doctors)\b",
    re.I,
)
_DOC = re.compile(r"^(?:ال)?(?:بيان|تقرير|رساله|وثيقه|مذكره|تغريده|منشور)|^(?:the|its|a)\s+"
                  r"(?:statement|report|communiqu|letter|note|document|tweet|post)", re.I)
_GENERIC = [  # generic noun -> predicate on an earlier speaker
    (re.compile(r"^(?:ال)?وزاره|^the\s+ministry|^the\s+(?:defen[cs]e|foreign)\s+ministry", re.I),
     lambda r: "Ministry" in r.name or "Department" in r.name),
    (re.compile(r"^(?:ال)?جيش|^the\s+(?:army|military)", re.I),
     lambda r: r.type == "military"),
    (re.compile(r"^(?:ال)?منظمه|^the\s+(?:organi[sz]ation|group|watchdog|ngo)", re.I),
     lambda r: r.type in ("ngo", "international_org", "armed_group")),
    (re.compile(r"^(?:ال)?وكاله|^the\s+agency|^the\s+channel", re.I), lambda r: r.type == "media"),
    (re.compile(r"^(?:ال)?(?:مركز|المرصد|الشبكه|الهيئه|الخارجيه|الدفاع|مجلس|اداره|قياده)\b|^the\s+(?:centre|center|observatory|network|"
                r"commission|mission|coalition|council|department|office)", re.I),
     lambda r: r.type not in ("person", "unnamed_source")),
    (re.compile(r"^(?:ال)?(?:متحدث|متحدثه|مندوب|وزير|سفير|رئيس|مدير)\b|^(?:he|she|the\s+"
                r"(?:spokes\w+|minister|ambassador|envoy|official|director|president|doctor))$", re.I),
     lambda r: r.type in ("government", "military", "international_org", "person")
     and not r.document),
    (re.compile(r"^(?:they|the\s+sources?|the\s+activists?|المصدر|المصادر)$", re.I),
     lambda r: r.type == "unnamed_source"),
]
_TYPE_HEADS = [
    (r"جيش|قوات|عسكري|قائد|اللواء|العميد|العقيد|ضابط|military|army|forces|general|colonel|commander"
     r"|defen[cs]e", "military"),
    (r"وزير|وزاره|حكومه|رئيس|محافظ|سفير|مندوب|دبلوماس|الكرملين|minister|ministry|government|president"
     r"|governor|ambassador|envoy|spokes|department|kremlin|official", "government"),
    (r"الامم المتحده|اممي|منظمه حظر|مجلس الامن|united nations|\bun\b|opcw|unicef|ocha",
     "international_org"),
    (r"وكاله|قناه|صحيفه|موقع|شبكه|تلفزيون|اذاعه|مراسل|agency|channel|newspaper|tv\b|radio"
     r"|correspondent|reporter", "media"),
    (r"فصيل|فصايل|هيئه|جبهه|تنظيم|كتايب|حركه|militant|rebel|faction|group\b", "armed_group"),
    (r"منظمه|مرصد|جمعيه|مركز|لجنه|شبكه|organi[sz]ation|observatory|society|centre|center|network"
     r"|committee|watch|ngo", "ngo"),
]
_TYPE_RE = [(re.compile(p, re.I), t) for p, t in _TYPE_HEADS]


_COUNTRIES = {  # a state speaking as such: (alone, in a coordination)
    ("russia", "moscow", "روسيا", "موسكو"): ("Russia", "Russia"),
    ("syria", "damascus", "سوريا", "سوريه", "دمشق"): ("Syrian government", "Syria"),
    ("turkey", "ankara", "تركيا", "انقره"): ("Turkish government", "Turkey"),
    ("the united states", "washington", "الولايات المتحده", "واشنطن"): ("US government",
                                                                    "United States"),
    ("iran", "tehran", "ايران", "طهران"): ("Iranian government", "Iran"),
    ("iraq", "baghdad", "العراق", "بغداد"): ("Iraqi government", "Iraq"),
    ("britain", "london", "the united kingdom", "بريطانيا", "لندن"): ("UK government",
                                                                     "United Kingdom"),
    ("france", "paris", "فرنسا", "باريس"): ("French government", "France"),
}
_COUNTRY = {k: v for keys, v in _COUNTRIES.items() for k in keys}


def is_country(word: str) -> bool:
    """True for a (folded, lower-case) state or capital name that may speak for a state."""
    return word in _COUNTRY


def _countries(key: str) -> str | None:
    """'Russia', 'دمشق وموسكو' -> canonical name(s) when the speaker is only states."""
    if key in _COUNTRY:
        return _COUNTRY[key][0]
    parts = re.split(r"\s+(?:and|&)\s+|\s+و(?=\S)|,\s*", key)
    if len(parts) > 1 and all(p.strip() in _COUNTRY for p in parts):
        return " and ".join(_COUNTRY[p.strip()][1] for p in parts)
    return None


@lru_cache(maxsize=4096)
def _lookup(written: str) -> tuple[list[Token], list[LexMatch], list[LexMatch]]:
    names, titles = speakers()
    f = fold(" ".join(written.split()))
    toks = tokenize(f)  # Latin names written with a capital match only capitalised words
    return toks, names.find(toks, folded=f), titles.find(toks, folded=f)


@dataclass
class SpeakerContext:
    """Per-document memory of speakers seen, for coreference."""

    history: list[tuple[str, Resolved]] = field(default_factory=list)

    def seed(self, source: str | None) -> None:
        """Remember the publishing body, so 'الوزارة' in its own statement resolves to it."""
        if not source:
            return
        key = fold_key(source)
        stype = next((t for rx, t in _TYPE_RE if rx.search(key)), None)
        if stype in ("government", "military", "international_org", "ngo"):
            self.history.append((key, Resolved(source, stype)))

    def last(self, pred=None) -> Resolved | None:  # type: ignore[no-untyped-def]
        """Most recent resolved speaker matching ``pred`` (document nouns excluded)."""
        for _, r in reversed(self.history):
            if not r.document and (pred is None or pred(r)):
                return r
        return None

    def remember(self, key: str, r: Resolved) -> None:
        """Record a speaker so later mentions can resolve to it."""
        self.history.append((key, r))

    def resolve(self, written: str) -> Resolved:
        """Canonical name and type for ``written``; never raises."""
        key = fold_key(written)
        r = self._resolve(written, key)
        self.remember(key, r)
        return r

    def _resolve(self, written: str, key: str) -> Resolved:
        return self._resolve_with(written, key, *_lookup(written))

    def _resolve_with(self, written: str, key: str, toks, hits, thits) -> Resolved:  # type: ignore[no-untyped-def]
        st = _static(written, key)
        if st.early is not None:
            return st.early
        if st.pronoun:
            for prev_key, prev in reversed(self.history):
                if prev.document or prev.type == "unnamed_source":
                    continue
                if prev_key.split()[0] in ("his", "her", "their", "its", "the", "he", "she"):
                    continue
                return prev
        if st.document:
            doc_prev = self.last(lambda r: r.type not in ("person", "unnamed_source")) or self.last()
            if doc_prev is not None:
                return Resolved(doc_prev.name, doc_prev.type, document=True)
        if st.named is not None:
            return st.named
        if len(key) > 6:
            for prev_key, prev in reversed(self.history):
                if key in prev_key and not prev.document:
                    return prev
        if st.org is not None:
            return st.org
        if st.generic is not None:
            gen_prev = self.last(st.generic)
            if gen_prev is not None:
                return gen_prev
        if st.bare_pronoun:
            any_prev = self.last()
            if any_prev is not None:
                return any_prev
        return st.tail


@dataclass(frozen=True, slots=True)
class _Static:
    """What resolving a speaker needs that does not depend on the document's history."""

    early: Resolved | None  # a state, or a vague source: no history needed
    pronoun: bool
    document: bool
    named: Resolved | None  # a person or a title in the lexicon
    org: Resolved | None  # an organisation in the lexicon
    generic: object  # predicate on earlier speakers for 'the ministry', 'the army' ...
    bare_pronoun: bool
    tail: Resolved  # the fallback: vague source, or a name/organisation as written


@lru_cache(maxsize=8192)
def _static(written: str, key: str) -> _Static:
    _, hits, thits = _lookup(written)
    country = _countries(key)
    early = Resolved(country, "government") if country is not None else None
    if early is None and not _DOC.match(key) and key not in ("he", "she", "هو", "هي") and \
            _UNNAMED_HEAD.match(key) and not any(h.value.is_person for h in hits):
        early = next((Resolved(name, "unnamed_source") for rx, name in _UNNAMED_RE
                      if rx.search(key)), None)
        inside = _IN_ORG.search(key)
        if inside and hits and early is not None and early.name in ("unnamed source",
                                                                     "informed source"):
            early = Resolved(hits[-1].value.name, "unnamed_source")  # 'a source in the ministry'
    persons = [h for h in hits if h.value.is_person]
    named = None
    if persons:
        named = Resolved(persons[-1].value.name, persons[-1].value.type)
    elif thits:
        named = Resolved(thits[0].value.name, thits[0].value.type)
    org = Resolved(hits[0].value.name, hits[0].value.type) if hits else None
    generic = next((pred for rx, pred in _GENERIC if rx.search(key)), None)
    tail = None
    for rx, name in _UNNAMED_RE:
        if _UNNAMED_HEAD.search(key) and rx.search(key):
            tail = Resolved(name, "unnamed_source")
            break
    if tail is None:
        stype = next((t for rx, t in _TYPE_RE if rx.search(key)), "person")
        name = person_name(written) if stype == "person" else written.strip()
        tail = Resolved(name or written.strip(), stype)
    return _Static(early, key in ("he", "she", "هو", "هي"), bool(_DOC.match(key)), named, org,
                   generic, re.fullmatch(r"(?:he|she|they|it)", key) is not None, tail)
