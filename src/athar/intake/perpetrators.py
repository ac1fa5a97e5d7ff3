"""Alleged perpetrators: actors the text links to the alleged act, not every actor named.

An actor mention counts when its sentence alleges an act (an attack or use word,
an agent, a casualty figure) and the mention is not the speaker of a claim, not
the target of a framing ("بهدف اتهام الجيش", "to blame the army") and not the
victim ("مواقع لقسد", "against the SDF"). Offsets are folded-text offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from athar.intake.models import Perpetrator
from athar.intake.outlet import ATTACK_RE

__all__ = ["link_perpetrators"]

# other alleged acts around chemical weapons: staging, fabricating, moving or holding chemicals
_ACT_RE = re.compile(
    r"(?<![^\W_])(?:[وفل]?(?:فبرك\w*|مفبرك\w*|صوروا|صور|نقل|نقلوا|ينقلون|ادخال|تهريب|تحضير|يحضرون|"
    r"يحضر|حضروا|تخزين|خزنوا|يمتلك|تمتلك|امتلاك|استفزاز\w*|مسرحي\w*|تمثيلي\w*))(?![^\W_])"
    r"|(?i:\b(?:stag\w+|fabricat\w+|fake\w*|moved|moving|brought|transport\w*|smuggl\w+|prepar\w+|"
    r"possess\w*|stockpil\w+|provocation\w*|responsib\w+|atrocit\w+|crimes?)\b)"
)
_FRAMED = re.compile(
    r"(?:(?<![^\W_])(?:لاتهام|اتهام|لتحميل|تحميل|لتوريط|لاتهامها)"
    r"|(?i:\b(?:to\s+(?:accuse|blame|frame|implicate)|and\s+(?:accuse|blame|frame)|blame\s+it\s+on"
    r"|accusing)))\s*$"
)
_VICTIM = re.compile(
    r"(?:(?<![^\W_])(?:مواقع|ضد|عناصر|مقاتلي|جنود)\s*(?:ل)?"
    r"|(?i:\b(?:against|positions\s+of|targeting|targeted|fighters\s+of|on)\s+(?:the\s+)?))$"
)


# who holds the ground is not who attacked it: 'تحت سيطرة المعارضة', 'held by rebels'
_HOLDER = re.compile(
    r"(?:(?<![^\W_])(?:سيطره|لسيطره|سيطرت|يسيطر|تسيطر|يسيطر\s+عليها|تسيطر\s+عليها|معاقل|مناطق)"
    r"(?:\s+\S+){0,2}\s*"
    r"|(?i:\bheld\s+by\s+(?:the\s+)?|\bbattling\s+(?:the\s+)?"
    r"|\bfighting\s+(?:the\s+)?|\baffiliated\s+with\s+))$"
)
_HELD_AFTER = re.compile(r"(?i:-held\b)")
_DENIED = re.compile(
    r"(?:(?<![^\W_])(?:نفي|نفت|تنفي|ينفي|نافيا|نافيه|نفوا)(?![^\W_])[^.،,؛]{0,30}"
    r"|(?i:\b(?:denied|denies|deny|denying|rejected|dismissed)\b[^.,;]{0,30}))$"
)
_NOT_USED = re.compile(
    r"(?i:\s*(?:does\s*n[o'’]t|did\s*n[o'’]t|has\s+never|never|has\s+not|had\s+not)\s+"
    r"(?:\w+\s+)?(?:possess|use|used|have|own|carried))"
    r"|\s*(?:لم|لا|لن)\s+(?:\S+\s+)?(?:يمتلك|تمتلك|يملك|تملك|يستخدم|تستخدم|يستعمل|تستعمل)"
)


def link_perpetrators(folded: str, actors: list[Perpetrator], tf: Callable[[int], int],
                      sents: list[tuple[int, int]], speakers: list[tuple[int, int]],
                      facts: list[tuple[int, int]]) -> list[Perpetrator]:
    """The actor mentions linked to an alleged act (see the module docstring).

    ``tf`` maps an original offset to a folded one; ``speakers`` are folded spans of
    claim speakers and relays; ``facts`` folded spans of agents and casualty figures.
    """
    starts = [s for s, _ in sents]
    fact_starts = sorted(s for s, _ in facts)
    speakers = sorted(speakers)
    sp_starts = [s for s, _ in speakers]
    alleging: dict[int, bool] = {}
    out = []
    for a in actors:
        fs = tf(a.start)
        j = bisect_right(sp_starts, fs)
        if any(s <= fs < e for s, e in speakers[max(0, j - 8):j]):
            continue  # the actor speaks here; other mentions may still link it
        k = bisect_right(starts, fs) - 1
        if k < 0:
            continue
        ss, se = sents[k]
        if k not in alleging:
            f = bisect_right(fact_starts, ss - 1)
            alleging[k] = bool(ATTACK_RE.search(folded, ss, se) or _ACT_RE.search(folded, ss, se)
                               or (f < len(fact_starts) and fact_starts[f] < se))
        if not alleging[k]:
            continue
        before = folded[max(ss, fs - 24):fs]
        if _FRAMED.search(before) or _VICTIM.search(before) or _HOLDER.search(
                folded, max(ss, fs - 40), fs) or _HELD_AFTER.match(folded, tf(a.end)):
            continue
        if _DENIED.search(folded, max(ss, fs - 40), fs) or _NOT_USED.match(folded, tf(a.end)):
            continue  # the accused in a denial: 'denied that the army used ...', «نفى استخدام الجيش»
        out.append(a)
    return out
