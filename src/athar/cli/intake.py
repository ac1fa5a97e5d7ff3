"""``athar intake``: read reports, extract attributed claims, build incidents."""

import typer

app = typer.Typer(help="Read reports and extract attributed claims.", no_args_is_help=True)
