"""``athar exhibit``, ``athar custody``, ``athar export``, ``athar verify``, ``athar disclose``.

Signing commands take ``--key FILE`` (an encrypted key from ``athar keys new``;
passphrase from ``ATHAR_KEY_PASSPHRASE`` or a prompt) and default to the
workspace admin key. Output that repeats user input (file names, free text)
is escaped, so control and bidi characters are shown, never interpreted.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from athar.cli._common import HomeOption, console, print_json, workspace
from athar.errors import ConfigError

if TYPE_CHECKING:
    from athar.ledger.note import Signer

__all__ = ["actors_app", "app", "disclose_cmd", "exhibit_app", "export_cmd", "register",
           "verify_cmd"]

app = typer.Typer(help="Custody events, timelines and verification.", no_args_is_help=True)
exhibit_app = typer.Typer(help="Register, list, show and split exhibits.", no_args_is_help=True)
actors_app = typer.Typer(help="Register actors and grant roles (signed by the admin).",
                         no_args_is_help=True)

KeyOption = typer.Option(None, "--key", envvar="ATHAR_KEY_FILE",
                         help="Encrypted key file of the acting actor (default: workspace admin).")
AtOption = typer.Option(None, "--at", help="When it happened, RFC 3339 UTC (default: now).")
PrivateOption = typer.Option([], "--private", "-p",
                             help="Sensitive field NAME=VALUE, kept private and committed.")
_BIG = 8 << 20


def _esc(text: object) -> str:
    from athar.custody.metadata import display_name

    return display_name(str(text))


def _value(text: str | None) -> Any:
    """A JSON object or list when the text is one, else the text itself."""
    if text is None or text[:1] not in ("{", "["):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _pairs(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ConfigError(f"--private takes NAME=VALUE, got {item!r}")
        out[name] = _value(value)
    return out


@contextmanager
def _service(home: Path | None):  # type: ignore[no-untyped-def]
    from athar.custody.service import CustodyService

    with workspace(home) as ws:
        yield ws, CustodyService.for_workspace(ws)


def _signer(ws: Any, key: Path | None) -> Signer:
    from athar.custody.keys import load_key_file

    if key is None:
        signer: Signer = ws.admin_signer
        return signer
    return load_key_file(key, prompt=lambda p: typer.prompt(p, hide_input=True))


# -- keys and actors --------------------------------------------------------------

def keys_new_cmd(
    name: str = typer.Argument(..., help="Key name (no spaces or '+'), e.g. your actor id."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Key file (default NAME.key)."),
) -> None:
    """Create an Ed25519 key, encrypted with a passphrase; print its verifier key."""
    from athar.custody.keys import generate_encrypted_key, passphrase, write_key_file

    secret = passphrase(lambda p: typer.prompt(p, hide_input=True), confirm=True)
    path = out or Path(f"{name}.key")
    data = generate_encrypted_key(name, secret)
    write_key_file(path, data)
    console.print(data.decode().splitlines()[1][len("vkey: "):], highlight=False,
                  soft_wrap=True)


@actors_app.command("add")
def actor_add(
    actor_id: str = typer.Argument(...),
    vkey: str = typer.Option(..., "--vkey", help="The actor's verifier key (athar keys new)."),
    name: str | None = typer.Option(None, help="Display name."),
    actor_type: str = typer.Option("person", "--type", help="person|lab|organisation|detector"),
    role: list[str] = typer.Option(..., "--role", help="admin|investigator|custodian|lab|..."),
    home: Path | None = HomeOption,
) -> None:
    """Register an actor with its key and roles (an admin-signed log entry)."""
    from athar.ledger.entry import Entry

    with workspace(home) as ws:
        body = {"actor_id": actor_id, "name": name or actor_id, "actor_type": actor_type,
                "vkey": vkey, "roles": role}
        res = ws.log().append(Entry.create("actor.registered", body, ws.admin_signer))
        print_json({"index": res.index, "actor_id": actor_id})


# -- exhibits ------------------------------------------------------------------------

def _progress(size: int) -> Progress | None:
    if size < _BIG or not sys.stderr.isatty():
        return None
    return Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                    TransferSpeedColumn(), transient=True)


@exhibit_app.command("add")
def exhibit_add(
    file: Path | None = typer.Argument(None, help="File to register (omit with --physical)."),
    physical: bool = typer.Option(False, "--physical", help="A sample or object, not a file."),
    sensor: bool = typer.Option(False, "--sensor", help="Detector readings (CSV or JSON)."),
    report: bool = typer.Option(False, "--report", help="A report taken in by intake."),
    code: str | None = typer.Option(None, help="Exhibit code (default: generated)."),
    parent: str | None = typer.Option(None, help="Parent exhibit (derived file, sub-sample)."),
    container: str | None = typer.Option(None, help="Physical: container (public)."),
    quantity: str | None = typer.Option(None, help="Physical: quantity (public)."),
    description: str | None = typer.Option(None, help="Description (private, committed)."),
    location: str | None = typer.Option(None, help="Where collected (private, committed)."),
    private: list[str] = PrivateOption,
    at: str | None = AtOption,
    key: Path | None = KeyOption,
    home: Path | None = HomeOption,
) -> None:
    """Register an exhibit: stream a file into the blob store, or record a physical sample."""
    secret = {"description": description, "location": _value(location), **_pairs(private)}
    with _service(home) as (ws, svc):
        signer = _signer(ws, key)
        if physical:
            public = {k: v for k, v in (("container", container), ("quantity", quantity)) if v}
            r = svc.register_physical(signer, code=code, parent=parent, at=at, public=public,
                                      private=secret)
        else:
            if file is None:
                raise ConfigError("give a FILE to register, or --physical")
            kind = "sensor" if sensor else "report" if report else "digital"
            size = file.stat().st_size
            bar = _progress(size)
            with file.open("rb") as f:
                if bar is None:
                    r = svc.ingest(f, signer, name=file.name, kind=kind, code=code,
                                   parent=parent, at=at, private=secret)
                else:
                    with bar:
                        task = bar.add_task(_esc(file.name), total=size)
                        r = svc.ingest(f, signer, name=file.name, kind=kind, code=code,
                                       parent=parent, at=at, private=secret,
                                       progress=lambda n: bar.advance(task, n))
        ex = svc.exhibit(r.exhibit_id)
        print_json({"exhibit": ex.exhibit_id, "index": r.index, "kind": ex.kind,
                    "sha256": ex.sha256, "size": ex.size, "media_type": ex.media_type})


@exhibit_app.command("list")
def exhibit_list(home: Path | None = HomeOption,
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """List registered exhibits with their holder and flags."""
    with _service(home) as (_, svc):
        rows = []
        for ex in svc.exhibits():
            st = svc.state(ex.exhibit_id)
            flags = [f for f, on in (("broken-seal", st.broken_seal), ("unverified-prior",
                     st.unverified_prior), ("destroyed", st.destroyed),
                     ("hand-over-pending", st.pending_to is not None)) if on]
            rows.append({"exhibit": ex.exhibit_id, "kind": ex.kind, "parent": ex.parent_id,
                         "holder": st.holder, "seals": list(st.seals), "flags": flags})
    if as_json:
        print_json(rows)
        return
    table = Table("exhibit", "kind", "parent", "holder", "seals", "flags")
    for r in rows:
        table.add_row(r["exhibit"], r["kind"], r["parent"] or "", _esc(r["holder"] or "-"),
                      ", ".join(map(_esc, r["seals"])), ", ".join(r["flags"]))
    console.print(table)


@exhibit_app.command("show")
def exhibit_show(code: str, home: Path | None = HomeOption) -> None:
    """Show an exhibit's public facts and current state as JSON."""
    with _service(home) as (_, svc):
        ex, st = svc.exhibit(code), svc.state(code)
        print_json({"exhibit": ex.exhibit_id, "kind": ex.kind, "parent": ex.parent_id,
                    "registered_index": ex.registered_index, "sha256": ex.sha256,
                    "size": ex.size, "media_type": ex.media_type, "public": ex.public,
                    "state": st.to_json()})


@exhibit_app.command("split")
def exhibit_split(
    code: str,
    portion: list[str] = typer.Option(..., "--portion", help="CODE or CODE:QUANTITY, repeat."),
    at: str | None = AtOption, key: Path | None = KeyOption, home: Path | None = HomeOption,
) -> None:
    """Split an (opened) exhibit into coded portions, each a new exhibit."""
    parts = [{"code": c, **({"quantity": q} if q else {})}
             for c, _, q in (p.partition(":") for p in portion)]
    with _service(home) as (ws, svc):
        r = svc.record(code, "split", _signer(ws, key), at=at, public={"portions": parts})
        print_json({"index": r.index, "portions": [p["code"] for p in parts]})


# -- custody events, timeline, verification ----------------------------------------------

@app.command("event")
def event(
    code: str = typer.Argument(...),
    action: str = typer.Argument(..., help="collected, sealed, seal_checked, handed_over, "
                                 "received, opened, analysed, stored, returned, destroyed, "
                                 "note, received_from_unverified_party, correction"),
    to: str | None = typer.Option(None, help="handed_over: receiving actor id."),
    seal: list[str] = typer.Option([], "--seal", help="sealed/seal_checked: seal number."),
    status: str | None = typer.Option(None, help="seal_checked: intact or broken; opened: "
                                      "the seals found, intact, broken or none."),
    result: str | None = typer.Option(None, help="analysed: result exhibit code."),
    method: str | None = typer.Option(None, help="analysed/destroyed: method (public)."),
    voids: str | None = typer.Option(None, help="correction: the log index (or leaf hash) "
                                     "of the event it voids."),
    reason: str | None = typer.Option(None, help="correction: wrong_time, wrong_details, "
                                      "wrong_exhibit, did_not_happen, duplicate or other "
                                      "(public; explain in -p notes=...)."),
    private: list[str] = PrivateOption,
    at: str | None = AtOption, key: Path | None = KeyOption, home: Path | None = HomeOption,
) -> None:
    """Record one custody event (signed by --key) after the exhibit's latest event.

    A correction voids the exhibit's latest event still in force, e.g.
    `athar custody event S-1 correction --voids 42 --reason wrong_time`.
    """
    public: dict[str, Any] = {k: v for k, v in (
        ("to", to), ("seal_status" if action == "opened" else "status", status),
        ("result", result), ("method", method), ("voids", voids), ("reason", reason)) if v}
    if seal:
        public["seals"] = seal
    with _service(home) as (ws, svc):
        r = svc.record(code, action, _signer(ws, key), at=at, public=public,
                       private=_pairs(private))
        print_json({"index": r.index, "leaf_hash": r.leaf_hash, "exhibit": code})


@app.command("show")
def show(code: str, home: Path | None = HomeOption,
         private: bool = typer.Option(False, "--private", help="Also show committed values."),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """The exhibit's timeline: who held it when, seals, hand-overs, gaps."""
    with _service(home) as (_, svc):
        events, st = svc.timeline(code), svc.state(code)
        secrets = svc.secrets(code) if private else []
    rows = []
    for e in events:
        extra = {k: v for k, v in e.body.items() if k not in ("exhibit", "prev", "at", "commit")}
        held = {f: v for i, f, v in secrets if i == e.index}
        rows.append({"index": e.index, "at": e.at, "action": e.action,
                     "by": e.author.split("+", 1)[0], "public": extra,
                     "committed": sorted(e.body.get("commit", {})), "private": held})
    if as_json:
        print_json({"exhibit": code, "state": st.to_json(), "events": rows})
        return
    table = Table("#", "at", "event", "by", "details", title=f"custody of {code}")
    for r in rows:
        detail = ", ".join(f"{k}={_esc(json.dumps(v, ensure_ascii=False))}"
                           for k, v in {**r["public"], **r["private"]}.items())
        if r["committed"] and not r["private"]:
            detail += (", " if detail else "") + "committed: " + ", ".join(r["committed"])
        table.add_row(str(r["index"]), r["at"], r["action"], _esc(r["by"]), detail)
    console.print(table)
    console.print(f"holder: {_esc(st.holder or 'nobody in Athar')}; seals: "
                  f"{', '.join(map(_esc, st.seals)) or 'none'}"
                  + ("; [red]broken seal[/]" if st.broken_seal else "")
                  + ("; [yellow]unverified prior custody[/]" if st.unverified_prior else "")
                  + (f"; hand-over to {_esc(st.pending_to)} pending" if st.pending_to else ""),
                  highlight=False)


def _print_report(report: Any, as_json: bool, name: str) -> None:
    from athar.report.verify import format_verdict

    if as_json:
        print_json({"intact": report.intact, "clean": report.clean,
                    "findings": [f.to_json() for f in report.findings]})
    else:
        sys.stdout.write(format_verdict(report, name) + "\n")


@app.command("verify")
def verify(code: str, home: Path | None = HomeOption,
           max_gap_hours: float | None = typer.Option(None, help="Report longer gaps."),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Check signatures, hash chain, inclusion, rules and blob; exit 1 unless intact."""
    gap = None if max_gap_hours is None else timedelta(hours=max_gap_hours)
    with _service(home) as (_, svc):
        report = svc.verify(code, gap)
    _print_report(report, as_json, code)
    raise typer.Exit(0 if report.intact else 1)


def export_cmd(
    codes: list[str] = typer.Argument(..., help="Exhibit codes."),
    out: Path = typer.Option(..., "-o", "--out", help="Bundle file, e.g. case.zip."),
    blobs: bool = typer.Option(False, "--blobs", help="Include the files' bytes."),
    disclose: list[str] = typer.Option([], "--disclose", help="ENTRY:FIELD to disclose."),
    home: Path | None = HomeOption,
) -> None:
    """Write an offline-verifiable bundle of the exhibits' custody (and their portions)."""
    from athar.report.export import export_bundle

    pairs = [(ref, field) for ref, _, field in (d.partition(":") for d in disclose)]
    with _service(home) as (ws, svc):
        s = export_bundle(svc, codes, out, include_blobs=blobs, disclose=pairs)
        print_json({"bundle": str(s.path), "entries": s.entries, "exhibits": list(s.exhibits),
                    "blobs": s.blobs, "disclosures": s.disclosures, "tree_size": s.tree_size,
                    "log_vkey": ws.vkey})


def verify_cmd(
    bundle: Path = typer.Argument(..., help="A bundle from athar export."),
    key: str = typer.Option(..., "--key", help="The log's verifier key (athar keys show)."),
    max_gap_hours: float = typer.Option(
        48.0, min=0.0, help="Report custody gaps longer than this many hours (as the web Verify)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON for machines."),
    max_members: int = typer.Option(2_000_000, min=1,
                                    help="Refuse a zip with more members than this."),
    max_blob_gib: float = typer.Option(64.0, min=0.0,
                                       help="Refuse a file (blob) larger than this many GiB."),
    max_total_gib: float = typer.Option(
        256.0, min=0.0, help="Refuse a bundle whose members add up to more GiB than this."),
    allow_unproven: bool = typer.Option(
        False, "--allow-unproven-completeness",
        help="Verify a bundle written before completeness proofs (athar-bundle/1) with a "
             "warning instead of failing it."),
) -> None:
    """Verify a bundle offline with the log's public key and summarise each exhibit's custody.

    Prints VERIFIED (every record holds, nothing to review), VERIFIED WITH
    WARNINGS (every record holds; custody findings to review) or FAILED, then
    holders, seals, portions, results and findings per exhibit. Exit 0 unless
    a record fails (exit 1). A zip over the limits (a zip bomb) is refused
    before it is decompressed.
    """
    from athar.report.verify import check_bundle, make_limits

    limits = make_limits(max_members, max_blob_gib, max_total_gib)
    result = check_bundle(bundle, key, timedelta(hours=max_gap_hours), limits=limits,
                          allow_unproven=allow_unproven)
    if as_json:
        print_json(result.to_json(bundle.name))
    else:
        sys.stdout.write(result.to_text(bundle.name) + "\n")
    raise typer.Exit(0 if result.report.intact else 1)


def disclose_cmd(
    entry: str = typer.Argument(..., help="Entry index or leaf hash (hex)."),
    field: str = typer.Argument(..., help="The committed field, e.g. location."),
    out: Path = typer.Option(..., "-o", "--out", help="Disclosure file to write."),
    home: Path | None = HomeOption,
) -> None:
    """Write a committed field's value and salt, checkable against the log by anyone.

    The value is checked against the commitment in the log first; a value the
    private store no longer holds as committed is refused, and nothing is written.
    """
    from athar.custody.commitments import check_disclosure

    with _service(home) as (_, svc):
        d = svc.disclosure(entry, field)
        rows = svc.log.read("SELECT idx FROM custody_secrets WHERE leaf_hash = ? AND field = ?",
                            (d.leaf_hash, field))
        data = svc.log.entry(int(rows[0][0]))
    check_disclosure(d, data)
    out.write_bytes(d.to_bytes())
    print_json({"disclosure": str(out), "leaf_hash": d.leaf_hash, "field": field,
                "checked": "the value opens the commitment in the log"})


def register(root: typer.Typer, keys_app: typer.Typer | None = None) -> None:
    """Add the custody commands to the root CLI (called by ``athar.cli``)."""
    root.add_typer(app, name="custody")
    root.add_typer(exhibit_app, name="exhibit")
    root.add_typer(actors_app, name="actors")
    root.command("export")(export_cmd)
    root.command("verify")(verify_cmd)
    root.command("disclose")(disclose_cmd)
    if keys_app is not None:
        names = {c.name for c in keys_app.registered_commands}
        if "new" not in names:
            keys_app.command("new")(keys_new_cmd)
