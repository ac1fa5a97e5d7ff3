"""``athar users``: web accounts, their roles, passwords and API tokens."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from athar.cli._common import HomeOption, console, print_json, workspace
from athar.custody.models import ROLES

app = typer.Typer(help="Create and list web accounts; issue API tokens.", no_args_is_help=True)
_err = Console(stderr=True)
_ROLE_HELP = f"A role ({', '.join(sorted(ROLES))}); repeat for several."


def _read_stdin_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise typer.BadParameter("no password on standard input")
    return password


@app.command("add")
def add(
    name: str = typer.Argument(..., help="User name (a-z, 0-9, '.', '_', '-')."),
    role: list[str] = typer.Option(..., "--role", "-r", help=_ROLE_HELP),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    home: Path | None = HomeOption,
) -> None:
    """Create a user; prints a one-time password unless --password-stdin gives one."""
    password = _read_stdin_password() if password_stdin else None
    from athar.accounts.actor_keys import add_user

    with workspace(home) as ws:
        chosen, signer = add_user(ws, name, role, password, must_change=password is None)
    if signer is not None:
        _err.print(f"actor {name} registered in the log; signing key {signer.vkey}",
                   highlight=False, soft_wrap=True)
    if password is None:
        _err.print(f"user {name} created; one-time password (changed at first login):",
                      highlight=False)
        sys.stdout.write(chosen + "\n")
    else:
        _err.print(f"user {name} created", highlight=False)


@app.command("list")
def list_users(home: Path | None = HomeOption,
               as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List users with their roles."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        users = Accounts(ws.log().db).users()
    if as_json:
        print_json([{"name": u.name, "roles": list(u.roles), "must_change_password": u.must_change,
                     "disabled": disabled} for u, disabled in users])
        return
    for u, disabled in users:
        flags = (" (disabled)" if disabled else "") + (" (must change password)" if u.must_change else "")
        console.print(f"{u.name}\t{','.join(u.roles)}{flags}", highlight=False)


@app.command("token")
def token(name: str = typer.Argument(..., help="The user the token acts as."),
          label: str = typer.Option("", help="What the token is for."),
          days: int = typer.Option(90, "--days", help="Days until it expires (1-366)."),
          home: Path | None = HomeOption) -> None:
    """Create an API token (send it as `Authorization: Bearer ...`); shown only once."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        value = Accounts(ws.log().db).create_token(name, label, days)
    _err.print(f"token for {name}, valid {days} days; it is shown only now:", highlight=False)
    sys.stdout.write(value + "\n")


@app.command("tokens")
def tokens(name: str | None = typer.Argument(None, help="Only this user's tokens."),
           as_json: bool = typer.Option(False, "--json", help="Print JSON."),
           home: Path | None = HomeOption) -> None:
    """List API tokens (id, user, label, made, expires, last used, revoked); never the tokens."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        infos = Accounts(ws.log().db).tokens.list(name)
    if as_json:
        print_json([{**t.__dict__, "active": t.active} for t in infos])
        return
    for t in infos:
        state = "active" if t.active else ("revoked " + t.revoked_at if t.revoked_at else "expired")
        console.print(f"{t.token_id}\t{t.user_name}\t{t.label or '-'}\tmade {t.created_at}\t"
                      f"expires {t.expires_at or 'never'}\tused {t.last_used_at or 'never'}\t{state}",
                      highlight=False)


@app.command("revoke-token")
def revoke_token(name: str = typer.Argument(..., help="The token's user."),
                 token_id: str = typer.Argument(..., help="The id `athar users tokens` shows."),
                 home: Path | None = HomeOption) -> None:
    """Revoke one API token at once."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        Accounts(ws.log().db).tokens.revoke(name, token_id)
    _err.print(f"token {token_id} of {name} revoked", highlight=False)


@app.command("disable")
def disable(name: str = typer.Argument(...), home: Path | None = HomeOption) -> None:
    """Disable an account: it can no longer log in, its sessions end and its tokens are revoked."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        Accounts(ws.log().db).set_disabled(name, True)
    _err.print(f"user {name} disabled; its sessions ended and its tokens revoked", highlight=False)


@app.command("enable")
def enable(name: str = typer.Argument(...), home: Path | None = HomeOption) -> None:
    """Enable a disabled account again (its old tokens stay revoked)."""
    from athar.accounts.users import Accounts

    with workspace(home) as ws:
        Accounts(ws.log().db).set_disabled(name, False)
    _err.print(f"user {name} enabled", highlight=False)


@app.command("passwd")
def passwd(name: str = typer.Argument(..., help="User name."),
           password_stdin: bool = typer.Option(False, "--password-stdin",
                                               help="Read the new password from standard input."),
           home: Path | None = HomeOption) -> None:
    """Reset a user's password (a new one-time password unless --password-stdin)."""
    from athar.accounts.users import Accounts, generate_password

    password = _read_stdin_password() if password_stdin else generate_password()
    with workspace(home) as ws:
        accounts = Accounts(ws.log().db)
        accounts.set_password(name, password)
        if not password_stdin:
            accounts.require_change(name)
    if not password_stdin:
        sys.stdout.write(password + "\n")
