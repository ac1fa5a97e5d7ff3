"""English attribution rules (placeholder replaced below)."""

from __future__ import annotations

from athar.intake.claims import Draft
from athar.intake.segment import Quote

__all__ = ["find_claims_en"]


def find_claims_en(text: str, sents: list[tuple[int, int]], quotes: list[Quote]) -> list[Draft]:
    """Attributed claims in English folded text."""
    return []
