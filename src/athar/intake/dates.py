"""Dates in Arabic and English: month names (Levantine, Egyptian/Gulf, Maghrebi,
Hijri, English), paired months, Eastern digits, numeric forms, weekdays and
relative references resolved against the published date.

Patterns run on folded text (see :mod:`athar.intake.normalize`), so ``أ`` and
``ا``, ``ة`` and ``ه``, ``٢٢`` and ``22`` match alike. Compiled once at import.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from hijridate import Hijri

from athar.intake.document import Doc
from athar.intake.models import DateMention
from athar.intake.rx import trie

__all__ = ["find_dates"]

_AR_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "افريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "نونبر": 11, "ديسمبر": 12, "دجنبر": 12, "جانفي": 1, "فيفري": 2, "جوان": 6, "جويليه": 7,
    "اوت": 8, "غشت": 8,
}
_HIJRI_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4, "جمادي الاولي": 5,
    "جمادي الاول": 5, "جمادي الثانيه": 6, "جمادي الاخره": 6, "جمادي الاخر": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12,
    "ذي الحجه": 12,
}
_EN_MONTHS = {
    m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_EN_MONTHS.update({m[:3]: i for m, i in list(_EN_MONTHS.items())})
_EN_MONTHS["sept"] = 9
_AR_WEEKDAYS = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3,
                "الجمعه": 4, "السبت": 5, "الاحد": 6}
_EN_WEEKDAYS = {d: i for i, d in enumerate(
    "monday tuesday wednesday thursday friday saturday sunday".split())}
_NUM_WORDS = {"يومين": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7, "عشره": 10,
              "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10,
              "a": 1, "one": 1, "اسبوعين": 14}


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


# word start, allowing one Arabic proclitic (و ف ب ل) before it
_B = r"(?:(?<![^\W_])|(?<=(?<![^\W_])[وفبل]))"
_E = r"(?![^\W\d_])"   # not followed by a letter
_ARM = _alt(_AR_MONTHS)
_WD = _alt(_AR_WEEKDAYS)
_AR_RE = re.compile(
    rf"{_B}(?:(?P<wd>{_WD})\s*[,،]?\s*)?(?:يوم\s+)?"
    rf"(?:(?P<d>\d{{1,2}})\s*(?:من\s+)?)?"
    rf"(?:شهر\s+)?(?P<m>{_ARM})(?:\s*[/(\-]\s*(?P<m2>{_ARM})\s*\)?)?"
    rf"(?:\s*(?:من\s+)?(?:عام|سنه)?\s*(?P<y>\d{{4}})(?!\d)(?:\s*م{_E})?|\s+(?P<rel>الماضي|المقبل|الجاري|المنصرم|الفايت){_E})?{_E}"
)
_HIJ_RE = re.compile(
    rf"{_B}(?P<d>\d{{1,2}})?\s*(?P<m>{_alt(_HIJRI_MONTHS)})\s*(?P<y>1[34]\d\d)(?!\d)\s*(?:ه{_E}|هجري\w*)?"
)
_NUMERIC_RE = re.compile(
    r"(?<![\d/.\-])(?:(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2})"
    r"|(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{4}))(?![\d/])"
)
_AR_REL_RE = re.compile(
    rf"{_B}(?:(?P<today>اليوم)(?!\s+(?:الذي|التالي|العالمي|الثاني|نفسه|ذاته))(?:\s+(?:{_WD}))?"
    rf"|(?P<yest>(?:اول\s+(?:من\s+)?)?(?:ال)?امس)(?:\s+(?:الاول))?(?:\s+(?:{_WD}))?"
    rf"|(?:يوم\s+)?(?P<wd>{_WD})(?:\s+(?P<last>الماضي|المنصرم|المقبل))?"
    rf"|قبل\s+(?P<n>\d+|{_alt(_NUM_WORDS)})\s*(?P<unit>ايام|يوما|اسابيع|اسبوعا|اسبوع)?"
    rf"|(?:(?:ال)?(?:عام|سنه)|اواخر|اوايل|منتصف|مطلع|نهايه|بدايه|اواسط)\s+(?P<year>(?:19|20)\d\d)(?!\d)){_E}"
)
_ENM = _alt(_EN_MONTHS)
_EN_TITLED = _alt([m.title() for m in _EN_MONTHS if len(m) > 3] + ["May"])
# a month coordinated with a later month that carries the year: 'April and May 2014'
_AR_SHARED_YEAR = re.compile(rf"\s*و\s*(?:{_ARM})\s*(?:عام\s*)?(?P<y>\d{{4}})(?!\d)")
_EN_SHARED_YEAR = re.compile(
    rf"(?i:\s*(?:,|and|or|to|-)\s*(?:{_ENM})\.?\s+(?:\d{{1,2}},?\s+)?(?P<y>\d{{4}})\b)")
_EN_RE = re.compile(
    rf"(?i:\b(?:(?P<wd>{_alt(_EN_WEEKDAYS)}),?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_ENM})\.?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_ENM})\.?\s+(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<y3>\d{{4}}))|(?P<m4>(?-i:{_EN_TITLED})))\b)"
)
_EN_REL_RE = re.compile(
    rf"(?i:\b(?:(?P<today>today|tonight)|(?P<yest>yesterday)|(?P<tom>tomorrow)"
    rf"|(?:(?P<last>last|this\s+past|on|late|early)\s+)(?P<wd>{_alt(_EN_WEEKDAYS)})"
    rf"|(?-i:(?P<wd2>{_alt(d.title() for d in _EN_WEEKDAYS)}))"
    rf"|(?P<n>\d+|{_alt(_NUM_WORDS)})\s+(?P<unit>days?|weeks?)\s+ago"
    rf"|(?:in|since|late|early|mid|mid-|by|until|end\s+of)\s*(?P<year>(?:19|20)\d\d)(?!\d)"
    rf"|last\s+(?P<season>fall|autumn|summer|spring|winter))\b)"
)


_EN_TITLE = [m.title() for m in _EN_MONTHS] + [m.upper() for m in _EN_MONTHS] + list(_EN_MONTHS)
_WD_EN = [d.title() for d in _EN_WEEKDAYS] + list(_EN_WEEKDAYS)
# Cheap anchors (a literal-first alternation the regex engine scans fast): the full
# patterns run only in small windows around them. (anchor, chars before, chars after)
_ANCHORS = {
    "hij": (re.compile(r"1[34]\d\d"), 40, 16),
    "num": (re.compile(r"\d[/.\-]\d"), 12, 12),
    "ar": (re.compile(trie(m for m in _AR_MONTHS if m != "اب")), 36, 44),
    "ab": (re.compile(r"اب(?=\s*\d)"), 36, 44),  # آب (August) only with a figure
    "en": (re.compile(trie(_EN_TITLE)), 28, 28),
    "arrel": (re.compile(trie(["اليوم", "امس", "قبل", "عام", "سنه", "اواخر", "اوايل", "منتصف", "مطلع",
                               "نهايه", "بدايه", "اواسط", *_AR_WEEKDAYS])), 14, 36),
    "enrel": (re.compile(trie(["Today", "today", "Tonight", "tonight", "Yesterday", "yesterday",
                               "ago", "in 19", "in 20", "since 19", "since 20", "Since 19", "Since 20",
                               "tomorrow", "Tomorrow", "fall", "autumn", "summer", "spring", "winter",
                               *_WD_EN,
                               *(f"{w}{sep}{c}" for w in ("late", "Late", "early", "Early", "mid",
                                                          "until")
                                 for sep in (" ", "-") for c in ("19", "20"))])), 22, 24),
}


def _scan(rx: re.Pattern[str], kind: str, text: str) -> list[re.Match[str]]:
    """``rx.finditer(text)`` restricted to windows around cheap anchors (same matches)."""
    anchor, before, after = _ANCHORS[kind]
    wins: list[list[int]] = []
    hits = list(anchor.finditer(text))
    if kind == "ar":
        extra = _ANCHORS["ab"][0]
        hits = sorted(hits + list(extra.finditer(text)), key=lambda a: a.start())
    for a in hits:
        lo, hi = max(0, a.start() - before), a.end() + after
        if wins and lo <= wins[-1][1]:
            wins[-1][1] = hi
        else:
            wins.append([lo, hi])
    out: list[re.Match[str]] = []
    last = -1
    for lo, hi in wins:
        for m in rx.finditer(text, lo, min(hi, len(text))):
            if m.start() >= last and m.end() > m.start():
                out.append(m)
                last = m.end()
    return out


def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if y is None and m is None:
        return None
    try:
        if y is not None and m is not None and d is not None:
            return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
    if y is not None and m is not None:
        return f"{y:04d}-{m:02d}"
    if y is not None:
        return f"{y:04d}"
    return f"--{m:02d}-{d:02d}" if d is not None else f"--{m:02d}"


def _year_for(m: int, d: int | None, pub: dt.date | None, rel: str | None,
              precision: str = "day") -> int | None:
    if pub is None:
        return None
    if precision == "year":
        return pub.year
    future = rel in ("المقبل",)
    past_or_now = (m, d or 1) <= (pub.month, pub.day if precision == "day" else 31)
    if future:
        return pub.year if not past_or_now else pub.year + 1
    return pub.year if past_or_now else pub.year - 1


def _weekday(pub: dt.date | None, wd: int, mode: str) -> str | None:
    if pub is None:
        return None
    delta = (pub.weekday() - wd) % 7
    if mode == "last" and delta == 0:
        delta = 7
    if mode == "next":
        return (pub + dt.timedelta(days=(wd - pub.weekday()) % 7 or 7)).isoformat()
    return (pub - dt.timedelta(days=delta)).isoformat()


def _int(s: str | None) -> int | None:
    return int(s) if s else None


class _Acc:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.out: list[DateMention] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, fs: int, fe: int, iso: str | None, cal: str = "gregorian") -> None:
        k = bisect_left(self.taken, (fs, fe))  # taken spans never overlap: check neighbours
        if (k > 0 and self.taken[k - 1][1] > fs) or (k < len(self.taken) and self.taken[k][0] < fe):
            return
        self.taken.insert(k, (fs, fe))
        s, e = self.doc.span(fs, fe)
        if e > s:
            self.out.append(DateMention(self.doc.text[s:e], iso, s, e, cal))


def find_dates(doc: Doc, published: dt.date | None, precision: str = "day") -> list[DateMention]:
    """Dates named in the text, resolved to full or partial ISO dates where possible.

    Relative references (weekdays, أمس, "yesterday", "3 days ago") resolve only
    when ``published`` is known to the day; a month or year without a year takes
    the year from ``published`` at any ``precision`` (day, month, year);
    otherwise ``iso`` is None. Never raises.
    """
    acc = _Acc(doc)
    text = doc.folded.text
    for m in _scan(_HIJ_RE, "hij", text):
        hy, mo, hd = int(m["y"]), _HIJRI_MONTHS[" ".join(m["m"].split())], _int(m["d"])
        iso = None
        if hd is not None:
            try:
                iso = Hijri(hy, mo, hd).to_gregorian().isoformat()
            except (ValueError, OverflowError):
                iso = None
        acc.add(m.start(), m.end(), iso, "hijri")
    for m in _scan(_NUMERIC_RE, "num", text):
        if m["Y"]:
            iso = _iso(int(m["Y"]), int(m["M"]), int(m["D"]))
        else:
            a, b = int(m["a"]), int(m["b"])
            day, mon = (b, a) if a <= 12 < b else (a, b)
            iso = _iso(int(m["c"]), mon, day)
        if iso:
            acc.add(m.start(), m.end(), iso)
    for m in _scan(_AR_RE, "ar", text):
        mon = _AR_MONTHS[" ".join(m["m"].split())]
        d, y = _int(m["d"]), _int(m["y"])
        if d is None and y is None and m["m2"] is None and m["rel"] is None:
            before = text[max(0, m.start() - 6) : m.start()]
            if not re.search(r"(?:في|شهر|منذ|خلال)\s+$", before):
                continue
        if m["m"] in ("اب",) and d is None and y is None and m["m2"] is None:
            continue
        if y is None:
            shared = _AR_SHARED_YEAR.match(text, m.end())
            y = int(shared["y"]) if shared else _year_for(mon, d, published, m["rel"], precision)
        acc.add(m.start(), m.end(), _iso(y, mon, d) if y or d else _iso(None, mon, None))
    for m in _scan(_EN_RE, "en", text):
        if m["y3"] and not m["m1"] and not m["m2"]:
            continue
        if m["m4"] and m["wd"]:
            continue
        mname = (m["m1"] or m["m2"] or m["m4"]).lower()
        if mname == "may" and not (m["d1"] or m["d2"] or m["y2"]) and not re.search(
                r"(?:\b(?:in|since|late|early|mid|last|during|until|by)\s+)$",
                text[max(0, m.start() - 8):m.start()]):
            continue
        if mname in ("mar", "jun", "jan", "dec", "oct") and not (m["d1"] or m["d2"] or m["y2"]):
            continue
        mon = _EN_MONTHS[mname]
        d = _int(m["d1"] or m["d2"])
        y = _int(m["y1"] or m["y2"] or m["y3"])
        if y is None and d is None and not re.search(r"(?i:\b(?:in|since|late|early|mid|last|"
                                                     r"this|during|until|by)\s+$)",
                                                     text[max(0, m.start() - 8):m.start()]):
            continue  # a bare month name ('March' as a word) without a date cue
        if y is None:  # 'in October', 'late April': the most recent
            shared = _EN_SHARED_YEAR.match(text, m.end())
            y = int(shared["y"]) if shared else _year_for(mon, d, published, None, precision)
        acc.add(m.start(), m.end(), _iso(y, mon, d))
    _relative(acc, text, published if precision == "day" else None)
    _periods(acc, text, published, precision)
    acc.out.sort(key=lambda x: x.start)
    return acc.out


_NAME_TODAY = re.compile(r"(?<![^\W_])(?:الشام|روسيا|مصر|سوريا|العراق|لبنان|فلسطين|الخليج|تركيا|"
                         r"ليبيا|اليمن|الاردن|السودان|تونس|الجزاير|المغرب|الكويت|قطر)\s+$")


def _relative(acc: _Acc, text: str, pub: dt.date | None) -> None:
    for rx, weekdays, kind in ((_AR_REL_RE, _AR_WEEKDAYS, "arrel"),
                               (_EN_REL_RE, _EN_WEEKDAYS, "enrel")):
        for m in _scan(rx, kind, text):
            iso: str | None = None
            g = m.groupdict()
            if m["year"]:
                iso = m["year"]
            elif m["today"]:
                if _NAME_TODAY.search(text, max(0, m.start() - 12), m.start()):
                    continue  # 'الشام اليوم', 'روسيا اليوم': an outlet's name, not a date
                iso = pub.isoformat() if pub else None
            elif m["yest"]:
                days = 2 if m["yest"].startswith("اول") else 1
                iso = (pub - dt.timedelta(days=days)).isoformat() if pub else None
            elif g.get("tom"):
                iso = (pub + dt.timedelta(days=1)).isoformat() if pub else None
            elif g.get("season"):
                fall = m["season"].lower() in ("fall", "autumn", "winter")
                iso = f"{pub.year - 1:04d}" if pub and (fall or pub.month < 6) else (
                    f"{pub.year:04d}" if pub else None)
            elif g.get("wd2"):
                iso = _weekday(pub, weekdays[m["wd2"].lower()], "recent")
            elif m["wd"]:
                last = (m["last"] or "").lower()
                mode = "last" if last in ("last", "الماضي", "المنصرم") or last.startswith("this") else (
                    "next" if last == "المقبل" else "recent")
                iso = _weekday(pub, weekdays[m["wd"].lower()], mode)
            elif m["n"]:
                n = _NUM_WORDS.get(m["n"].lower()) or (int(m["n"]) if m["n"].isdigit() else 0)
                unit = (m["unit"] or "ايام").lower()
                days = n * 7 if unit.startswith(("week", "اسب")) else n
                if m["n"] == "يومين":
                    days = 2
                iso = (pub - dt.timedelta(days=days)).isoformat() if pub and days else None
            acc.add(m.start(), m.end(), iso)


_PERIOD_RE = re.compile(
    r"(?<![^\W_])(?:[وفبل]|ال)?(?:(?P<arm>(?:ال)?شهر\s+(?:الماضي|الفايت|المنصرم|الجاري|الحالي))"
    r"|(?P<ary>(?:ال)?(?:عام|سنه)\s+(?:الماضي|الفايت|المنصرم|الجاري|الحالي)|هذا\s+العام)"
    r"|(?P<arw>(?:ال)?اسبوع\s+(?:الماضي|الفايت|المنصرم)))(?![^\W_])"
    r"|(?i:\b(?P<enw>last\s+week)"
    r"|\b(?P<enm>last\s+month|this\s+month|earlier\s+this\s+month)"
    r"|\b(?P<eny>last\s+year|this\s+year|earlier\s+this\s+year)\b)"
)


_PERIOD_ANCHOR = re.compile(r"شهر|عام|سنه|اسبوع|(?i:month|year|week)")


def _periods(acc: _Acc, text: str, pub: dt.date | None, precision: str) -> None:
    """'last month', «الشهر الماضي», 'this year', «العام الماضي» as partial ISO dates."""
    if "شهر" not in text and "عام" not in text and "سنه" not in text and "اسبوع" not in text and \
            not re.search(r"(?i:month|year|week)", text):
        return
    for a in _PERIOD_ANCHOR.finditer(text):  # the full pattern only around its cue words
        m = next((x for x in _PERIOD_RE.finditer(text, max(0, a.start() - 12),
                                                 min(len(text), a.end() + 24))
                  if x.start() <= a.start() < x.end()), None)
        if m is None:
            continue
        iso: str | None = None
        word = m.group().lower()
        last = any(w in word for w in ("ماضي", "فايت", "منصرم", "last"))
        if pub is not None and (m["arw"] or m["enw"]) and precision == "day":
            iso = (pub - dt.timedelta(days=7)).isoformat()[:7]  # the month a week back
        elif pub is not None and (m["arm"] or m["enm"]) and precision != "year":
            y, mo = pub.year, pub.month - (1 if last else 0)
            if mo == 0:
                y, mo = y - 1, 12
            iso = f"{y:04d}-{mo:02d}"
        elif pub is not None and (m["ary"] or m["eny"]):
            iso = f"{pub.year - (1 if last else 0):04d}"
        acc.add(m.start(), m.end(), iso)
