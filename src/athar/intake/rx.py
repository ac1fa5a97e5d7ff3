"""Regex helpers: word lists compiled as prefix tries (much faster to scan than a
flat alternation, same longest-first semantics)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["trie"]


def trie(words: Iterable[str]) -> str:
    """Regex source (a non-capturing group) matching any of ``words``, longest first.

    Spaces inside a word match one or more whitespace characters.
    """
    root: dict[str, Any] = {}
    for w in words:
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = []
        end = False
        for ch, sub in sorted(node.items()):
            if ch == "":
                end = True
                continue
            alts.append((r"\s+" if ch == " " else re.escape(ch)) + build(sub))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + build(root) + ")"
