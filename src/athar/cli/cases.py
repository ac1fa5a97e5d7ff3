"""``athar case`` and ``athar review``: cases, their team and links, and reviews of extracted claims.

Each command signs one log entry with ``--key`` (an encrypted key from
``athar keys new``) or, by default, the workspace admin's key. Commands that
change a case or a claim act on its newest state: they read it first and name
it as ``seen``, so a change someone else made in between is refused, never
overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from athar.cli._common import HomeOption, console, print_json, workspace

if TYPE_CHECKING:
    from athar.ledger.note import Signer
    from athar.workspace import Workspace

app = typer.Typer(help="Cases: an investigation's team and what it links.", no_args_is_help=True)
review_app = typer.Typer(help="Review what the machine read: accept, correct, reject, add.",
                         no_args_is_help=True)
KeyOption = typer.Option(None, "--key", envvar="ATHAR_KEY_FILE",
                         help="Encrypted key file of the acting actor (default: workspace admin).")


def _signer(ws: Workspace, key: Path | None) -> Signer:
    if key is None:
        return ws.admin_signer
    from athar.custody.keys import load_key_file

    return load_key_file(key, prompt=lambda p: typer.prompt(p, hide_input=True))


@app.command("new")
def new(case_id: str = typer.Argument(..., help="An id such as C-2018-aleppo."),
        name: str = typer.Option(..., "--name", help="What the case is about."),
        summary: str = typer.Option("", "--summary"), key: Path | None = KeyOption,
        home: Path | None = HomeOption) -> None:
    """Open a case; you become its lead."""
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        r = CaseService(ws.log()).create(_signer(ws, key), case_id, name, summary)
    console.print(f"case {case_id} opened (log entry {r.index})", highlight=False)


@app.command("list")
def list_cmd(home: Path | None = HomeOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every case, with how many claims wait for review in each."""
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        cases = CaseService(ws.log()).cases_for(None, everything=True)
    if as_json:
        print_json([c.__dict__ for c in cases])
        return
    for c in cases:
        console.print(f"{c.case_id}\t{c.status}\t{c.to_review} to review\t{c.name}", highlight=False)


@app.command("show")
def show(case_id: str, home: Path | None = HomeOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """A case: its team, its links and the claims that wait for review."""
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        svc = CaseService(ws.log())
        case, queue = svc.case(case_id), svc.queue(case_id)
    if as_json:
        print_json({**case.__dict__, "members": [m.__dict__ for m in case.members],
                    "links": [k.__dict__ for k in case.links], "to_review": len(queue)})
        return
    console.print(f"[bold]{case.case_id}[/] {case.name} ({case.status})", highlight=False)
    if case.summary:
        console.print(case.summary, highlight=False)
    for m in case.members:
        console.print(f"  member {m.actor_id}: {m.role}", highlight=False)
    for k in case.links:
        console.print(f"  {k.item_type} {k.item_id}" + (f": {k.note}" if k.note else ""), highlight=False)
    console.print(f"  {len(queue)} claim(s) to review", highlight=False)


@app.command("member")
def member(case_id: str, actor_id: str,
           role: str = typer.Option("investigator", "--role", help="lead, investigator, reviewer, observer"),
           remove: bool = typer.Option(False, "--remove"), key: Path | None = KeyOption,
           home: Path | None = HomeOption) -> None:
    """Add a team member with a role in the case (or remove one)."""
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        svc = CaseService(ws.log())
        svc.member(_signer(ws, key), case_id, svc.case(case_id).head, actor_id, role,
                   "remove" if remove else "add")
    console.print(f"{actor_id} {'removed from' if remove else 'added to'} {case_id}", highlight=False)


@app.command("link")
def link(case_id: str, item_type: str = typer.Argument(..., help="incident, report, claim or exhibit"),
         item_id: str = typer.Argument(..., help="Its id (a claim: REPORT_ID:N)."),
         note: str = typer.Option("", "--note"), unlink: bool = typer.Option(False, "--unlink"),
         key: Path | None = KeyOption, home: Path | None = HomeOption) -> None:
    """Link an incident, report, claim or exhibit to the case, with a note (or unlink it)."""
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        svc = CaseService(ws.log())
        svc.link(_signer(ws, key), case_id, svc.case(case_id).head, item_type, item_id, note,
                 "unlink" if unlink else "link")
    console.print(f"{item_type} {item_id} {'unlinked from' if unlink else 'linked to'} {case_id}",
                  highlight=False)


def _review(report_id: str, claim: int | None, decision: str, value: str | None, note: str | None,
            key: Path | None, home: Path | None) -> None:
    from athar.cases.service import CaseService

    with workspace(home) as ws:
        svc = CaseService(ws.log())
        state = svc.states(report_id).get(str(claim)) if claim is not None else None
        r = svc.review(_signer(ws, key), report_id, claim, decision, seen=state.leaf_hash if state else None,
                       value=json.loads(value) if value else None, note=note)
    console.print(f"claim {'(added)' if claim is None else claim} of {report_id[:12]}… {decision} "
                  f"(log entry {r.index})", highlight=False)


ValueOption = typer.Option(None, "--value", help='The claim as JSON: {"speaker", "speaker_type", "verb", '
                                                 '"start", "end", "asserts", "via"}.')


@review_app.command("accept")
def accept(report_id: str, claim: int, note: str | None = typer.Option(None, "--note"),
           key: Path | None = KeyOption, home: Path | None = HomeOption) -> None:
    """Accept a claim as the machine read it."""
    _review(report_id, claim, "accepted", None, note, key, home)


@review_app.command("reject")
def reject(report_id: str, claim: int, note: str | None = typer.Option(None, "--note"),
           key: Path | None = KeyOption, home: Path | None = HomeOption) -> None:
    """Reject a claim the machine read wrongly."""
    _review(report_id, claim, "rejected", None, note, key, home)


@review_app.command("correct")
def correct(report_id: str, claim: int, value: str = ValueOption,
            note: str | None = typer.Option(None, "--note"), key: Path | None = KeyOption,
            home: Path | None = HomeOption) -> None:
    """Correct a claim: its speaker, speaker type, verb, span, whether it asserts or denies, via."""
    _review(report_id, claim, "corrected", value, note, key, home)


@review_app.command("add")
def add(report_id: str, value: str = ValueOption, note: str | None = typer.Option(None, "--note"),
        key: Path | None = KeyOption, home: Path | None = HomeOption) -> None:
    """Add a claim the machine missed."""
    _review(report_id, None, "added", value, note, key, home)
