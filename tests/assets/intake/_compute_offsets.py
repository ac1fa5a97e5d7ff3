"""Canonicalise the intake development set's gold files.

Reads every ``<id>.gold.json`` beside this script (or the paths given), expands
the short forms described in README.md, fills ``start``/``end`` of claims and
loaded-language entries from their text, fills defaults, checks that every
``as_written`` occurs in the report, and rewrites the file in canonical form.

    python tests/assets/intake/_compute_offsets.py [--check] [FILE ...]

With ``--check`` nothing is written; the exit status is 1 when a file is not
canonical or has an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEP = "|...|"

TYPES = {
    "gov": "government",
    "mil": "military",
    "io": "international_org",
    "ngo": "ngo",
    "media": "media",
    "person": "person",
    "armed": "armed_group",
    "unnamed": "unnamed_source",
    "outlet": "unattributed_outlet_voice",
}
SPEAKER_TYPES = frozenset(TYPES.values())
CLAIM_KEYS = (
    "speaker",
    "speaker_normalized",
    "speaker_type",
    "verb",
    "claim",
    "start",
    "end",
    "direct_quote",
    "via",
    "nested_in",
)
TOP_KEYS = (
    "id",
    "language",
    "published",
    "source",
    "style",
    "claims",
    "places",
    "dates",
    "agents",
    "casualties",
    "alleged_perpetrators",
    "loaded_language",
)


class GoldError(Exception):
    pass


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def locate(text: str, claim: str, *, cursor: int = 0, occ: int | None = None,
           hint: int | None = None) -> tuple[int, int]:
    """Return (start, end) of ``claim`` in ``text``.

    ``claim`` may be ``"head|...|tail"``. Among several occurrences, ``occ``
    (1-based) picks one; else the one nearest ``hint``; else the first at or
    after ``cursor``; else the first.
    """
    if SEP in claim:
        head, tail = claim.split(SEP, 1)
        head, tail = head.strip(), tail.strip()
        if not head or not tail:
            raise GoldError(f"bad elided claim {claim!r}")
        starts = _occurrences(text, head)
    else:
        head, tail = claim, None
        starts = _occurrences(text, claim)
    if not starts:
        raise GoldError(f"claim text not found: {head[:80]!r}")
    if occ is not None:
        if not 1 <= occ <= len(starts):
            raise GoldError(f"occ={occ} but {len(starts)} occurrence(s) of {head[:60]!r}")
        start = starts[occ - 1]
    elif len(starts) == 1:
        start = starts[0]
    elif hint is not None:
        start = min(starts, key=lambda s: abs(s - hint))
    else:
        after = [s for s in starts if s >= cursor]
        start = after[0] if after else starts[0]
    if tail is None:
        return start, start + len(claim)
    j = text.find(tail, start + len(head))
    if j < 0:
        raise GoldError(f"claim tail not found after head: {tail[:60]!r}")
    return start, j + len(tail)


def _expand_claim(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return dict(raw)
    if not isinstance(raw, list) or len(raw) not in (5, 6):
        raise GoldError(f"bad claim short form: {raw!r}")
    speaker, norm, typ, verb, claim = raw[:5]
    opts = raw[5] if len(raw) == 6 else {}
    out: dict[str, Any] = {
        "speaker": speaker,
        "speaker_normalized": norm,
        "speaker_type": TYPES.get(typ, typ),
        "verb": verb,
        "claim": claim,
        "direct_quote": bool(opts.get("q", False)),
        "via": opts.get("via"),
        "nested_in": opts.get("nest"),
    }
    if "occ" in opts:
        out["_occ"] = opts["occ"]
    return out


def _pair(raw: Any, keys: tuple[str, str]) -> dict[str, Any]:
    if isinstance(raw, dict):
        return dict(raw)
    if not isinstance(raw, list) or len(raw) != 2:
        raise GoldError(f"bad short form {raw!r}, want [{keys[0]}, {keys[1]}]")
    return {keys[0]: raw[0], keys[1]: raw[1]}


def canonicalise(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """Return the canonical form of ``gold`` for report ``text``."""
    out: dict[str, Any] = {k: gold.get(k) for k in TOP_KEYS[:5]}
    claims: list[dict[str, Any]] = []
    cursor = 0
    for raw in gold.get("claims") or []:
        c = _expand_claim(raw)
        occ = c.pop("_occ", None)
        hint = c.get("start") if isinstance(c.get("start"), int) else None
        start, end = locate(text, c["claim"], cursor=cursor, occ=occ, hint=hint)
        c["start"], c["end"], c["claim"] = start, end, text[start:end]
        c.setdefault("direct_quote", False)
        c.setdefault("via", None)
        c.setdefault("nested_in", None)
        c["speaker_type"] = TYPES.get(c["speaker_type"], c["speaker_type"])
        claims.append({k: c.get(k) for k in CLAIM_KEYS})
        cursor = start
    out["claims"] = claims
    places = []
    for raw in gold.get("places") or []:
        p = _pair(raw, ("as_written", "normalized"))
        places.append({"as_written": p["as_written"], "normalized": p["normalized"],
                       "lat": p.get("lat"), "lon": p.get("lon"), "admin": p.get("admin")})
    out["places"] = places
    out["dates"] = [_pair(r, ("as_written", "iso")) for r in gold.get("dates") or []]
    out["agents"] = [_pair(r, ("as_written", "normalized")) for r in gold.get("agents") or []]
    cas = []
    for raw in gold.get("casualties") or []:
        if isinstance(raw, list):
            raw = {"figure": raw[0], "kind": raw[1], "as_written": raw[2]}
        cas.append({"figure": raw["figure"], "kind": raw["kind"], "as_written": raw["as_written"]})
    out["casualties"] = cas
    out["alleged_perpetrators"] = [
        _pair(r, ("as_written", "normalized")) for r in gold.get("alleged_perpetrators") or []
    ]
    loaded = []
    seen: dict[str, int] = {}
    for raw in gold.get("loaded_language") or []:
        word = raw if isinstance(raw, str) else raw["as_written"]
        starts = _occurrences(text, word)
        if not starts:
            raise GoldError(f"loaded word not found: {word!r}")
        k = seen.get(word, 0)
        if isinstance(raw, dict) and isinstance(raw.get("start"), int) and raw["start"] in starts:
            s = raw["start"]
        else:
            s = starts[min(k, len(starts) - 1)]
        seen[word] = k + 1
        loaded.append({"as_written": word, "start": s, "end": s + len(word)})
    out["loaded_language"] = loaded
    for field in ("places", "dates", "agents", "casualties", "alleged_perpetrators"):
        for item in out[field]:
            if item["as_written"] not in text:
                raise GoldError(f"{field}: {item['as_written']!r} does not occur in the text")
    for i, c in enumerate(claims):
        n = c["nested_in"]
        if n is not None and not (isinstance(n, int) and 0 <= n < len(claims) and n != i):
            raise GoldError(f"claim {i}: bad nested_in {n!r}")
    return out


def dump(gold: dict[str, Any]) -> str:
    return json.dumps(gold, ensure_ascii=False, indent=1) + "\n"


def process(path: Path, *, check: bool) -> bool:
    text = path.with_name(path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
    raw = path.read_text(encoding="utf-8")
    try:
        canon = canonicalise(json.loads(raw), text)
    except (GoldError, KeyError, json.JSONDecodeError) as e:
        print(f"{path.name}: {e}", file=sys.stderr)
        return False
    new = dump(canon)
    if new != raw:
        if check:
            print(f"{path.name}: not canonical (run without --check)", file=sys.stderr)
            return False
        path.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args(argv)
    files = args.files or sorted(HERE.glob("*.gold.json"))
    ok = all([process(p, check=args.check) for p in files])
    print(f"{len(files)} gold file(s), {'ok' if ok else 'ERRORS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
