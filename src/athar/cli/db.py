"""``athar db``: the database schema's revision, and upgrading it.

The server and every command that opens the log upgrade an older schema by
themselves (after a backup, on SQLite); these commands let an operator see
and do it first, for example before a planned upgrade of a large PostgreSQL
database.
"""

from __future__ import annotations

from pathlib import Path

import typer

from athar.cli._common import HomeOption, console, print_json

app = typer.Typer(help="The database schema: its revision and upgrades.", no_args_is_help=True)


@app.command("status")
def status(home: Path | None = HomeOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Print the schema revision of the workspace's database and the revision this Athar needs."""
    from athar.store import migrate
    from athar.store.db import connect
    from athar.workspace import Workspace

    ws = Workspace.open(home)
    db = connect(ws.db_url)
    try:
        found = migrate.revision_of(db)
    finally:
        db.close()
    state = ("current" if found == migrate.HEAD else "empty" if found is None
             else "older: run `athar db upgrade`" if found in migrate.REVISIONS
             else "newer than this Athar: upgrade Athar")
    if as_json:
        print_json({"revision": found, "head": migrate.HEAD, "state": state.split(":")[0]})
        return
    console.print(f"schema revision {found or '(none)'}; this Athar needs {migrate.HEAD}: {state}",
                  highlight=False)


@app.command("upgrade")
def upgrade(home: Path | None = HomeOption,
            backup_dir: Path | None = typer.Option(
                None, "--backup-dir", help="SQLite: where the copy made first goes (default: beside it).")
            ) -> None:
    """Bring the database's schema to this Athar's revision (SQLite: after a backup copy)."""
    from athar.store import migrate
    from athar.store.db import connect
    from athar.workspace import Workspace

    ws = Workspace.open(home)
    db = connect(ws.db_url)
    try:
        result = migrate.upgrade(db, backup_dir=backup_dir)
    finally:
        db.close()
    if not result.changed:
        console.print(f"schema already at revision {result.after}", highlight=False)
        return
    console.print(f"schema upgraded from {result.before or '(empty)'} to {result.after}", highlight=False)
    if result.backup is not None:
        console.print(f"backup of the database as it was: {result.backup}", highlight=False)
