"""Every setting is documented, and the public API lists are complete and sorted."""

from __future__ import annotations

import importlib
import inspect

import pytest

from athar.config import SETTINGS_HELP
from tests.conftest import ROOT


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text()
    missing = [name for name in SETTINGS_HELP if f"`{name}`" not in doc]
    assert not missing, f"undocumented settings: {missing}"


@pytest.mark.parametrize("module", [
    "athar.errors", "athar.ledger", "athar.ledger.hashing", "athar.ledger.proof",
    "athar.ledger.tree", "athar.ledger.note", "athar.ledger.checkpoint",
    "athar.ledger.cosignature", "athar.ledger.tiles", "athar.ledger.entry",
])
def test_all_is_sorted_and_complete(module):
    mod = importlib.import_module(module)
    names = list(mod.__all__)
    assert names == sorted(names)
    public = {n for n, v in vars(mod).items()
              if not n.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v))
              and getattr(v, "__module__", "").startswith(module)}
    assert public <= set(names), f"missing from __all__: {public - set(names)}"


def test_ledger_imports_no_database_or_web_code():
    import subprocess
    import sys

    code = ("import sys, athar.ledger, athar.ledger.cosignature, athar.ledger.tiles, "
            "athar.ledger.compact, athar.ledger.paths; "
            "bad=[m for m in sys.modules if m.split('.')[0] in "
            "('sqlite3','psycopg','fastapi','starlette','uvicorn','httpx','athar.store')"
            " or m.startswith('athar.store') or m.startswith('athar.api')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
