"""The ``athar`` command: one root Typer app with a sub-app per resource."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from athar.errors import AtharError

app = typer.Typer(
    name="athar",
    help="Athar: attributed claims, signed chain of custody, a verifiable log.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _register() -> None:
    from athar.cli import intake

    app.add_typer(intake.app, name="intake")


_register()


def main() -> None:
    """Entry point: run the CLI, turning AtharError into a one-line message and exit 1."""
    try:
        app(standalone_mode=False)
    except AtharError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
