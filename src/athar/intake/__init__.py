"""Intake: reports (text, HTML, PDF) to attributed claims and incident facts.

Pure: no web, database or network code. Public API::

    extract(text, published=None, source=None, vague_figures=False) -> Extraction
    read_report(path_or_bytes, filename=None, media_type=None) -> ReportText
    detect_language(text) -> str
    EXTRACTOR_VERSION
"""

from athar.intake.language import detect_language
from athar.intake.models import (
    AgentMention,
    Casualty,
    Claim,
    DateMention,
    Extraction,
    LoadedTerm,
    Perpetrator,
    Place,
)
from athar.intake.pipeline import extract
from athar.intake.readers import ReportText, read_report

EXTRACTOR_VERSION = "0.6.0"

__all__ = [
    "AgentMention",
    "Casualty",
    "Claim",
    "DateMention",
    "EXTRACTOR_VERSION",
    "Extraction",
    "LoadedTerm",
    "Perpetrator",
    "Place",
    "ReportText",
    "detect_language",
    "extract",
    "read_report",
]
