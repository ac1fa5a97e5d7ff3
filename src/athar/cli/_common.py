"""Helpers shared by the CLI command modules.

The command modules import Athar's packages inside each command, not at the
top: ``athar --help`` must answer in well under a second without loading the
log, the intake's lexicons or the web stack, and ``athar verify`` must run where
only the core dependencies are installed (the ``server``, ``intake``, ``postgres``
and ``s3`` extras absent).
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from athar.workspace import Workspace

console = Console()

HomeOption = typer.Option(None, "--home", envvar="ATHAR_HOME", help="Workspace folder.")


@contextmanager
def workspace(home: Path | None) -> Iterator[Workspace]:
    """Open the workspace at ``home`` for one command and close it afterwards."""
    from athar.workspace import Workspace

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
