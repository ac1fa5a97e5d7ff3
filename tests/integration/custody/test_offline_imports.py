"""The offline verifier must load no database, web or network module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from athar.report.export import export_bundle

from .scenario import run_story

FORBIDDEN = ["sqlite3", "_sqlite3", "psycopg", "fastapi", "starlette", "uvicorn", "httpx",
             "http.client", "urllib.request", "boto3", "botocore", "requests", "athar.store",
             "athar.api", "athar.workspace", "athar.custody.service", "athar.custody.hook",
             "athar.report.export"]

PROGRAM = """
import json, sys
from athar.report.verify import main
code = main([sys.argv[1], "--key", sys.argv[2]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_verifier_imports_only_pure_modules(world, tmp_path: Path) -> None:
    run_story(world)
    out = tmp_path / "case.zip"
    export_bundle(world.svc, ["S-0001"], out, include_blobs=True)
    proc = subprocess.run([sys.executable, "-c", PROGRAM, str(out), world.ws.vkey],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].startswith("VERIFIED")
    result = json.loads(lines[-1])
    assert result["code"] == 0
    loaded = set(result["modules"])
    bad = sorted(m for m in loaded for f in FORBIDDEN if m == f or m.startswith(f + "."))
    assert not bad, bad
    athar = {m for m in loaded if m.startswith("athar.")}
    allowed = ("athar.ledger", "athar.custody", "athar.identity", "athar.errors", "athar.report")
    assert all(m.startswith(allowed) for m in athar), athar
