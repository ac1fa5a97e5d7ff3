"""``athar keys``: the log's verifier key and actors' signing keys."""

from __future__ import annotations

from pathlib import Path

import typer

from athar.cli._common import HomeOption, console, print_json, workspace

app = typer.Typer(help="Show the log's verifier key; create actors' keys.", no_args_is_help=True)


@app.command("show")
def show(home: Path | None = HomeOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Print the log's checkpoint verifier key (give it to anyone who verifies)."""
    with workspace(home) as ws:
        if as_json:
            print_json({"origin": ws.settings.origin, "log_vkey": ws.vkey,
                        "admin_vkey": ws.admin_signer.vkey})
        else:
            console.print(ws.vkey, highlight=False, soft_wrap=True)
