"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from athar.workspace import Workspace

console = Console()

HomeOption = typer.Option(None, "--home", envvar="ATHAR_HOME", help="Workspace folder.")


@contextmanager
def workspace(home: Path | None) -> Iterator[Workspace]:
    """Open the workspace at ``home`` for one command and close it afterwards."""
    ws = Workspace.open(home)
    try:
        yield ws
    finally:
        ws.close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def print_json(value: Any) -> None:
    """Print ``value`` as JSON on stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
