"""The outlet's own voice: sentences that allege something (an attack, who did
it, the agent, casualties, a staged attack) without attributing it to anyone."""

from __future__ import annotations

import re
from bisect import bisect_left

from athar.intake.claims import Draft

__all__ = ["ATTACK_RE", "outlet_drafts"]

ATTACK_RE = re.compile(
    r"(?<![^\W_])(?:[وفبل]|ال|بال|وال)?(?:هجوم|هجمات|الهجوم|قصف|القصف|ضرب|ضربه|ضربات|استهداف|استهدف|"
    r"استهدفت|اعتداء|اعتداءات|استخدام|استخدم|استخدمت|استخدموا|القي|القت|القاء|نفذ|نفذت|تنفيذ|ارتكب|"
    r"ارتكبت|مجزره|مجازر|اطلق|اطلقت|براميل|برميل|قذايف|قذيفه|صواريخ|صاروخ|غارات|غاره|تمثيليه|مسرحيه|"
    r"فبركه|سيناريو|تسويق|اتهام|لاتهام|مخطط)(?![^\W_])"
    r"|(?i:\b(?:attack\w*|struck|strikes?|shell\w*|bomb\w*|dropp\w*|used?|using|launch\w*|fired|"
    r"barrel|rockets?|missiles?|massacre|staged|fabricat\w*|hit|targeted|carried out)\b)"
)


# hedges with no source: the claim's speaker is the cue word (guideline: unnamed_source)
HEDGE_RE = re.compile(
    r"(?i:\b(?:reportedly|allegedly|purportedly|(?:is|are|was|were)\s+(?:reported|believed|"
    r"thought|said|suspected)\s+to)\b)"
    r"|(?<![^\W_])(?:[وف]?(?:وردت\s+تقارير|افادت\s+تقارير|تفيد\s+تقارير|تشير\s+تقارير|"
    r"بحسب\s+تقارير|حسب\s+تقارير|وفق\s+تقارير|يعتقد|يشتبه|على\s+ما\s+يبدو|حسبما\s+تردد|"
    r"قيل|تردد|يزعم))(?![^\W_])"
)


# a negated attribution states that nothing was alleged: 'the OPCW did not accuse anyone'
_NEG_REPORT = re.compile(
    r"(?i:\b(?:did|does|do|has|have)\s*(?:not|n['’]t)\s+(?:accuse|blame|name|identify|say|claim|"
    r"confirm|determine|assign|attribute)\w*\b)"
    r"|(?<![^\W_])لم\s+(?:يتهم|تتهم|يحدد|تحدد|يسم|تسم|يحمل|تحمل)(?![^\W_])"
)


# where a hedged clause starts: '..., that reportedly affected 35 residents'
_CLAUSE_START = re.compile(r"\s(?=(?:where|that|which|who)\s)|\s(?=(?:الذي|التي|حيث)\s)")
_CLAUSE_TAIL = re.compile(r"[,،]\s*(?:amid|after|as|while|following|in\s+what|بينما|وسط|في\s+ظل)\b")


# background rather than an allegation about the incident (no casualty figure in the sentence)
_BACKGROUND = re.compile(
    r"(?i:\b(?:investigat\w*|mandated?|set\s+up|established\s+to|to\s+determine\s+whether|"
    r"convention|treaty|stockpiles?|inspectors|apportion|deadliest|number\s+of\s+reports|"
    r"latest\s+voice|threatened|called\s+off|fact-finding|anniversary)\b)"
    r"|(?<![^\W_])(?:بعثه\s+تحقيق|صفحه|الاكثر\s+دمويه|لجنه\s+التحقيق|اتفاقيه|مخزون|المفتشين)"
)


def outlet_drafts(text: str, sents: list[tuple[int, int]], taken: list[tuple[int, int]],
                  markers: list[tuple[int, int, str]]) -> list[Draft]:
    """Drafts in the outlet's voice for alleging sentences not covered by a claim.

    ``markers`` are (start, end, kind) of facts in folded offsets: kind is
    ``agent``, ``casualty`` or ``actor``. A sentence alleges when it names an
    agent or a casualty figure, or an actor together with an attack word.
    """
    out = []
    markers = sorted(markers)
    mstarts = [m[0] for m in markers]
    taken = sorted(taken)
    tstarts = [t[0] for t in taken]
    longest = max((b - a for a, b in taken), default=0)
    for ss, se in sents:
        length = se - ss
        if length < 12:
            continue
        kinds = {k for _, _, k in markers[bisect_left(mstarts, ss) : bisect_left(mstarts, se)]}
        near = taken[bisect_left(tstarts, ss - longest) : bisect_left(tstarts, se)]
        cov = sum(max(0, min(se, b) - max(ss, a)) for a, b in near)
        if cov > 0:
            first = min((max(ss, a) for a, b in near if b > ss and a < se), default=ss)
            pe = _prefix_end(text, ss, first)
            pk = {k for a, _, k in markers[bisect_left(mstarts, ss):bisect_left(mstarts, pe)]}
            if pe - ss >= 30 and "casualty" in pk and \
                    ATTACK_RE.search(text, ss, pe) and not _BACKGROUND.search(text, ss, pe):
                out.append(Draft(None, None, (ss, pe), outlet=True))  # its own clause alleges
            continue
        hedge = HEDGE_RE.search(text, ss, se)
        if not kinds and hedge is None:
            continue
        if _NEG_REPORT.search(text, ss, se):
            continue
        attack = ATTACK_RE.search(text, ss, se) is not None
        if hedge is not None and (attack or kinds):
            cue = (hedge.start(), hedge.end())
            bounds = [b.end() for b in _CLAUSE_START.finditer(text, ss, hedge.start())]
            cs = bounds[-1] if bounds and bounds[-1] - ss > 12 else ss
            tail = _CLAUSE_TAIL.search(text, hedge.end(), se)
            out.append(Draft(cue, cue, (cs, tail.start() if tail else se), hedge=True))
            if cs == ss:
                continue  # the hedge governs the sentence; else the main clause may allege too
        if "casualty" not in kinds and _BACKGROUND.search(text, ss, se):
            continue  # background: an inquiry's mandate, a treaty, the history of the war
        if "agent" in kinds or "casualty" in kinds or ("actor" in kinds and attack):
            if "agent" in kinds and not attack and "casualty" not in kinds and "actor" not in kinds:
                continue
            out.append(Draft(None, None, (ss, se), outlet=True))
    return out


def _prefix_end(text: str, ss: int, first: int) -> int:
    """End of the outlet's own clause before the first attribution in a sentence: the last
    clause boundary (comma, 'which', «في غارة قالت») before it, or ``ss`` when there is none."""
    cut = max(text.rfind(",", ss, first), text.rfind("،", ss, first))
    if cut > ss:
        return cut
    starts = [m.start() for m in re.finditer(r"\s+(?:which|that|as|after)\s", text[ss:first])]
    return ss + starts[-1] if starts else first
