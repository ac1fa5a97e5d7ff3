"""The ``athar`` command: one root Typer app with a sub-app per resource."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from athar.errors import AtharError

# Typer coerces each of the root group's flags that was not given (value None) through a
# pydantic TypeAdapter, building one (and importing pydantic) only to pass None through;
# `athar verify --help` paid about a third of its start-up for it. A default of False
# means the same (the flags' callbacks act only on a true value) and skips that.
# docs/performance.md, "CLI start-up"; drop this when Typer checks for None first.
_UNSET_FLAGS = {"help": False, "install_completion": False, "show_completion": False}

app = typer.Typer(
    name="athar",
    help="Athar: attributed claims, signed chain of custody, a verifiable log.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"default_map": _UNSET_FLAGS},
)
err_console = Console(stderr=True)


@app.command("init")
def init(
    home: Path | None = typer.Option(None, "--home", envvar="ATHAR_HOME", help="Workspace folder."),
    if_missing: bool = typer.Option(False, "--if-missing", help="Do nothing if it exists."),
    origin: str | None = typer.Option(
        None, help="The log's origin, also its key's name: a schema-less URL such as "
                   "example.org/athar/log, fixed for good (default: athar.invalid/log/<key hash>)."),
    database_url: str | None = typer.Option(None, "--database-url",
                                            help="postgresql://... (default: SQLite)."),
) -> None:
    """Create a workspace: database, blob folder, the log's key and an admin key."""
    from athar.workspace import Workspace

    ws = Workspace.init(home, origin=origin, database_url=database_url, exist_ok=if_missing)
    try:
        err_console.print(f"workspace: {ws.home.resolve()}", highlight=False)
        err_console.print(f"log origin: {ws.settings.origin}", highlight=False)
        err_console.print(f"log verifier key: {ws.vkey}", highlight=False, soft_wrap=True)
    finally:
        ws.close()


@app.command("serve")
def serve(
    home: Path | None = typer.Option(None, "--home", envvar="ATHAR_HOME", help="Workspace folder."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve the web app and JSON API for the workspace.

    Clients that trickle their headers or pause in their body are cut off
    (``read_timeout_s``), idle connections closed (``keep_alive_s``), bodies
    limited (``max_body_bytes``); ``X-Forwarded-*`` is believed only from
    ``trusted_proxies``.
    """
    from athar.app import create_app
    from athar.http.server import run
    from athar.workspace import Workspace

    ws = Workspace.open(home)
    from athar.accounts.actor_keys import bootstrap_admin

    if (password := bootstrap_admin(ws)) is not None:
        err_console.print(f"created user admin; one-time password: {password}", highlight=False)
    err_console.print(f"Athar on http://{host}:{port}  (workspace {ws.home.resolve()})",
                      highlight=False)
    run(create_app(ws), host, port, ws.settings)


def _register() -> None:
    from athar.cli import cases, db, incidents, intake, keys, log, users

    app.add_typer(log.app, name="log")
    app.add_typer(cases.app, name="case")
    app.add_typer(cases.review_app, name="review")
    app.add_typer(db.app, name="db")
    app.add_typer(keys.app, name="keys")
    intake.app.command("ingest")(incidents.ingest_cmd)
    app.add_typer(intake.app, name="intake")
    app.add_typer(incidents.app, name="incidents")
    app.add_typer(users.app, name="users")
    try:
        custody = importlib.import_module("athar.cli.custody")
    except ModuleNotFoundError as exc:
        if exc.name and not "athar.cli.custody".startswith(exc.name):
            raise
        return
    if hasattr(custody, "register"):
        custody.register(app, keys.app)


_register()


# Which extra (pyproject's [project.optional-dependencies]) brings each module a command may
# need. The core installs only what `athar verify` needs; the other commands open a workspace.
_EXTRAS = {
    **dict.fromkeys(("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jinja2",
                     "multipart", "python_multipart", "httpx", "argon2", "swagger_ui_bundle",
                     "babel", "fontpkg_noto_sans_arabic", "xstatic", "PIL", "zxcvbn"), "server"),
    **dict.fromkeys(("hijridate", "trafilatura", "pypdf"), "intake"),
    "psycopg": "postgres",
    **dict.fromkeys(("boto3", "botocore"), "s3"),
}


def _missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The one-line hint for a command whose optional dependency is not installed, else None."""
    top = (exc.name or "").split(".")[0]
    if not top or top == "athar":
        return None
    extra = _EXTRAS.get(top, "all")
    return (f"this command needs the '{top}' module, which is not installed: "
            f"pip install 'athar[{extra}]' (the core installs only the offline verifier)")


def main() -> None:
    """Entry point: run the CLI; an AtharError becomes a one-line message and exit status 1.

    So does a missing optional dependency: the message names the extra to install.
    """
    try:
        app()
    except AtharError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        sys.exit(1)
    except ModuleNotFoundError as exc:
        if (hint := _missing_extra(exc)) is None:
            raise
        err_console.print(f"[bold red]error:[/] {escape(hint)}", highlight=False, soft_wrap=True)
        sys.exit(1)
