"""Colon attribution: a speaker's name, a colon (or a double colon) and the statement,
as quoted headings and interview lines write it ("Lavrov:: the militants used chlorine",
"Zakharova: «...»", «لافروف: "..."»). The ``verb`` is the colon string (guideline).

A line counts when its head is short (at most five words) and names someone: a known
speaker or title from the lexicon, a capitalised name, or a speaker noun (a ministry, a
source, activists); or when the statement after the colon is a quotation. Labels such as
"Note:", "Photo:", "Source:", dates and datelines never count. Folded offsets."""

from __future__ import annotations

import re

from athar.intake.attrib_ar import VERB_RE as _AR_VERB
from athar.intake.attrib_ar_np import subject_after
from athar.intake.attrib_en import VERB_RE as _EN_VERB
from athar.intake.claims import Draft
from athar.intake.segment import Quote

__all__ = ["find_colon_claims"]

_HEAD = re.compile(r"[ \t]*(?P<sp>[^\n:«»\"“”.!?؟،,]{2,60}?)[ \t]*(?P<v>::?)(?!\d)[ \t]*")
_LATIN_NAME = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Maj|Prof|Adm|Amb)\.?\s+)?[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s+|de\s+)?"
    r"[A-Z][\w'’.-]+){0,3}"
)
_LABELS = re.compile(
    r"(?i:^(?:note|notes|photo|photos|video|source|sources|read\s+more|see\s+also|update|updated|"
    r"editor's\s+note|warning|caption|credit|tags?|link|links|time|date|location|subject|re|"
    r"breaking|exclusive|watch|listen|related|اقرا\s+ايضا|المصدر|مصدر\s+الصوره|الصوره|فيديو|"
    r"رابط|ملاحظه|تحديث|عاجل|شاهد|الوسوم|التاريخ)$)"
)
_SPEAKER_NOUN = re.compile(
    r"(?i:\b(?:ministry|spokes\w+|minister|source|sources|activists?|doctor|official|envoy|"
    r"ambassador|observatory|organi[sz]ation|army|command)\b)"
    r"|(?<![^\W_])(?:ال)?(?:وزاره|متحدث|وزير|مصدر|مصادر|ناشط|ناشطون|طبيب|مندوب|سفير|المرصد|"
    r"منظمه|الجيش|قياده|مسوول)(?![^\W_])"
)


_GENRE = re.compile(
    r"(?i:\b(?:statement|editorial|update|report|press|release|briefing|opinion|analysis|comment|"
    r"interview|transcript|factbox|timeline|explainer)\b)"
    r"|(?<![^\W_])(?:بيان|تقرير|افتتاحيه|تحديث|مقال|مقابله|حوار)(?![^\W_])"
)


def _names_someone(head: str) -> bool:
    if _LABELS.match(head) or _GENRE.search(head) or re.search(r"\d", head) or len(head.split()) > 5:
        return False
    if head.isupper() and len(head) > 3:
        return False  # 'BEIRUT:' is a dateline
    if _LATIN_NAME.fullmatch(head) or _SPEAKER_NOUN.search(head):
        return True
    # an Arabic name or speaker noun: the subject rules recognise it as a subject
    sub = subject_after(head, 0, len(head), "قال")
    return sub is not None and sub[1] >= len(head.rstrip()) - 1


def find_colon_claims(text: str, sents: list[tuple[int, int]], quotes: list[Quote]) -> list[Draft]:
    """Claims written as 'Name: statement' at the start of a line or sentence."""
    out: list[Draft] = []
    opens = {q.open: q for q in quotes}
    for ss, se in sents:
        m = _HEAD.match(text, ss, se)
        if m is None or m.end() >= se:
            continue
        head = m["sp"].strip()
        if _EN_VERB.search(head.lower()) or _AR_VERB.search(head):
            continue  # 'Lavrov said: ...' is the verb's claim
        q = opens.get(m.end())
        if q is None and not _names_someone(head):
            continue
        if q is not None and (_LABELS.match(head) or _GENRE.search(head) or re.search(r"\d", head)
                              or len(head.split()) > 5):
            continue
        if q is None and not re.search(r"[.!?؟]\s*$", text[m.end():se + 1]) and \
                len(text[m.end():se].split()) < 8:
            continue  # a heading ('OPCW: note on the incident'), not a statement
        if q is None and re.match(r"[a-z]", text[m.end():m.end() + 1]):
            continue  # English statements after a colon start with a capital
        if q is not None:
            claim = (q.start, q.end)
        else:
            cs, ce = m.end(), se
            while ce > cs and text[ce - 1] in " .\t\"”»":
                ce -= 1
            claim = (cs, ce)
        if len(text[claim[0]:claim[1]].split()) < 3:
            continue
        out.append(Draft((m.start("v"), m.end("v")), (m.start("sp"), m.start("sp") + len(
            m["sp"].rstrip())), claim, q is not None))
    return out
