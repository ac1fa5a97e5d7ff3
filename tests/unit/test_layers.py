"""The layers of pyproject.toml hold, and the contract check fails when code climbs a layer.

``make lint`` runs ``lint-imports`` on the tree; these tests run it too, and
run it on a copy of the tree with one upward import added, to show the check
would catch it. api and web, siblings, must not import each other either.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)


def _copy_tree(dest: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "athar", dest / "src" / "athar",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "upward"), [
    ("ledger/hashing.py", "athar.store.db"),          # the pure core reaching for the database
    ("store/db.py", "athar.custody.hook"),            # storage reaching up to a package's hook
    ("api/errors.py", "athar.web.i18n"),              # siblings: api may not use web
    ("web/labels.py", "athar.api.errors"),            # ... nor web use api
    ("report/verify.py", "athar.workspace"),          # the offline verifier reaching the server
])
def test_an_upward_import_breaks_the_contracts(tmp_path: Path, module: str, upward: str) -> None:
    root = _copy_tree(tmp_path)
    target = root / "src" / "athar" / module
    source = target.read_text()
    # Inside a function, where a cycle would be hidden from the interpreter but not from the check.
    target.write_text(source + f"\n\ndef _climb() -> object:\n    import {upward}\n\n    return {upward}\n")
    result = _lint(root)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert upward in result.stdout
