"""Shared fixtures and helpers for the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ATHAR_SHARED_DIR", ROOT.parent / "shared"))
CONFORMANCE = SHARED / "conformance"


def conformance_file(rel: str) -> Path:
    """A file under ../shared/conformance, or skip the test when it is absent."""
    path = CONFORMANCE / rel
    if not path.exists():
        pytest.skip(f"conformance data not available: {path}")
    return path
