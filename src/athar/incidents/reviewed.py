"""An extraction as people reviewed it: their decisions laid over what the machine read (pure).

Each claim keeps its place (and number) and gains ``review`` (``suggested``
when nobody decided yet, else the decision) and ``key`` (its number, the key
its reviews use). A corrected claim takes the reviewer's speaker, type, verb,
span, ``via`` and ``asserts``; a rejected one stays listed but counts for
nothing in incidents; claims a reviewer added follow the machine's, keyed
``+INDEX`` by the log index of the review that added them. Places, dates,
agents and figures are still the machine's, found inside each claim's
(possibly corrected) span.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["with_reviews"]


def _value(value: Mapping[str, Any], text: str) -> dict[str, Any]:
    start, end = int(value["start"]), int(value["end"])
    return {"speaker": value["speaker"], "speaker_normalized": value["speaker"],
            "speaker_type": value["speaker_type"], "verb": value.get("verb"), "via": value.get("via"),
            "start": start, "end": end, "claim": text[start:end], "asserts": bool(value["asserts"])}


def with_reviews(extraction: Mapping[str, Any], text: str,
                 states: Mapping[str, tuple[str, Mapping[str, Any] | None]]) -> dict[str, Any]:
    """``extraction`` with the claims' review states (``{key: (decision, value)}``) laid over it."""
    claims = []
    for i, c in enumerate(extraction.get("claims", [])):
        decision, value = states.get(str(i), ("suggested", None))
        claim = {**c, "review": decision, "key": str(i)}
        if decision == "corrected" and value is not None:
            claim.update(_value(value, text))
        claims.append(claim)
    added = sorted((k for k in states if k.startswith("+")), key=lambda k: int(k[1:]))
    for key in added:
        decision, value = states[key]
        if decision == "added" and value is not None:
            claims.append({**_value(value, text), "review": "added", "key": key, "direct_quote": False,
                           "nested_in": None})
    return {**extraction, "claims": claims}
