"""Build the committed v0.1 workspace fixture: a workspace made by Athar before migrations existed.

    git worktree add /tmp/athar-v01 abe020e        # the last commit before migrations
    PYTHONPATH=/tmp/athar-v01/src .venv/bin/python tests/assets/workspaces/build_v0_1.py

It drives that version's own ``athar`` command (so the schema and every row are
exactly what it wrote): an admin and an investigator with known passwords and
an API token, notes, a physical sample sealed and handed over and received, a
digital file, a sensitive field, two reports ingested, a published checkpoint.
It then writes ``v0.1/`` here: the workspace folder (SQLite database, keys,
blobs, settings) and ``rows.json``, every table's rows, from which the upgrade
test builds the same workspace on PostgreSQL. ``facts.json`` records what the
test checks after the upgrade.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = HERE / "v0.1"
PASSWORDS = {"admin": "fixture admin password", "amal": "fixture investigator password"}
ORIGIN = "athar.fixture/log/v0.1"


def athar(home: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    code = "import sys; from athar.cli import main; sys.argv[0] = 'athar'; main()"
    run_env = {**os.environ, "ATHAR_HOME": str(home), **(env or {})}
    proc = subprocess.run([sys.executable, "-c", code, *args], input=stdin, text=True,
                          capture_output=True, env=run_env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"athar {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def main() -> None:
    import athar as package

    source = Path(package.__file__).resolve().parent
    if (source / "store" / "migrate.py").exists():
        raise SystemExit(f"{source} already has migrations: run this with the v0.1 code "
                         "on PYTHONPATH (see the docstring)")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        athar(home, "init", "--origin", ORIGIN)
        athar(home, "users", "add", "admin", "--role", "admin", "--password-stdin",
              stdin=PASSWORDS["admin"] + "\n")
        athar(home, "users", "add", "amal", "--role", "investigator", "--password-stdin",
              stdin=PASSWORDS["amal"] + "\n")
        token = athar(home, "users", "token", "amal", "--label", "fixture").strip().splitlines()[-1]
        athar(home, "log", "append", "a note written by v0.1")
        athar(home, "exhibit", "add", "--physical", "--code", "S-1", "--container", "glass jar",
              "--quantity", "20 g", "--location", "a private place")
        athar(home, "custody", "event", "S-1", "collected")
        athar(home, "custody", "event", "S-1", "sealed", "--seal", "SEAL-1")
        sample = Path(tmp) / "field-notes.txt"
        sample.write_text("field notes kept as a digital exhibit\n")
        athar(home, "exhibit", "add", str(sample), "--code", "D-1")
        athar(home, "intake", "ingest", str(ROOT / "examples/reports/ariha-2019-10-03-shahed-ar.txt"),
              str(ROOT / "examples/reports/ariha-2019-10-04-levantwire-en.txt"))
        athar(home, "log", "checkpoint")
        shutil.rmtree(OUT, ignore_errors=True)
        shutil.copytree(home, OUT / "workspace")
    db = OUT / "workspace" / "athar.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {}
        for t in tables:
            cur = conn.execute(f"SELECT * FROM {t}")  # noqa: S608 - names from sqlite_master
            cols = [d[0] for d in cur.description]
            rows[t] = {"columns": cols, "rows": [[_jsonable(v) for v in r] for r in cur]}
        size = conn.execute("SELECT size FROM log_state").fetchone()[0]
    for extra in ("athar.db-wal", "athar.db-shm"):
        (OUT / "workspace" / extra).unlink(missing_ok=True)
    (OUT / "rows.json").write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")
    facts = {"origin": ORIGIN, "size": size, "passwords": PASSWORDS, "token": token,
             "exhibits": ["D-1", "S-1"], "reports": 2}
    (OUT / "facts.json").write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({size} entries)")


def _jsonable(value: object) -> object:
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode()}
    return value


if __name__ == "__main__":
    main()
