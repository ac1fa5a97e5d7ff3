"""``athar log``: append, checkpoints, proofs, verification, tiles and witnessing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.progress import Progress

from athar.cli._common import HomeOption, b64, console, print_json, workspace
from athar.errors import ConfigError, EntryRejected

app = typer.Typer(help="The append-only log: append, prove, verify, publish.", no_args_is_help=True)


@app.command("append")
def append(
    text: str | None = typer.Argument(None, help="Text of a note entry (signed by the admin key)."),
    file: Path | None = typer.Option(None, "--file", "-f",
                                     help="A file of signed canonical entries, one JSON per line."),
    wait: bool = typer.Option(False, "--wait", help="Wait for the checkpoint and print the proof."),
    home: Path | None = HomeOption,
) -> None:
    """Append a note, or signed entries from a file, and print where each landed."""
    from athar.ledger.entry import Entry

    with workspace(home) as ws:
        log = ws.log()
        if file is not None:
            lines = [ln for ln in file.read_bytes().splitlines() if ln.strip()]
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("appending", total=len(lines))
                futures = []
                for ln in lines:
                    futures.append(log.submit(ln))
                for f in futures:
                    try:
                        r = f.result()
                        print_json({"index": r.index, "leaf_hash": b64(r.leaf_hash),
                                    "duplicate": r.duplicate})
                    except EntryRejected as exc:
                        print_json({"error": exc.message})
                    progress.advance(task)
            return
        if text is None:
            text = sys.stdin.read()
        entry = Entry.create("note", {"text": text}, ws.admin_signer)
        r = log.append(entry, wait_checkpoint=wait)
        out: dict[str, object] = {"index": r.index, "leaf_hash": b64(r.leaf_hash),
                                  "duplicate": r.duplicate}
        if r.checkpoint is not None and r.proof is not None:
            out["checkpoint"] = r.checkpoint.note
            out["tree_size"] = r.checkpoint.size
            out["proof"] = [b64(p) for p in r.proof]
        print_json(out)


@app.command("checkpoint")
def checkpoint(
    publish: bool = typer.Option(False, "--publish", help="Sign a new checkpoint first."),
    home: Path | None = HomeOption,
) -> None:
    """Print the latest signed checkpoint (with witness cosignatures)."""
    with workspace(home) as ws:
        log = ws.log()
        cp = log.publish_checkpoint() if publish else log.latest_checkpoint()
        sys.stdout.write(cp.with_cosignatures())


@app.command("prove")
def prove(
    index: int = typer.Option(..., "--index", help="Entry index."),
    size: int | None = typer.Option(None, "--size", help="Tree size (default: latest checkpoint)."),
    home: Path | None = HomeOption,
) -> None:
    """Print an inclusion proof for entry INDEX."""
    with workspace(home) as ws:
        log = ws.log()
        size = size if size is not None else log.latest_checkpoint().size
        from athar.ledger.hashing import leaf_hash

        print_json({"index": index, "tree_size": size,
                    "leaf_hash": b64(leaf_hash(log.entry(index))),
                    "root": b64(log.root(size)),
                    "proof": [b64(p) for p in log.inclusion_proof(index, size)]})


@app.command("consistency")
def consistency(
    size1: int = typer.Option(..., "--from"), size2: int = typer.Option(..., "--to"),
    home: Path | None = HomeOption,
) -> None:
    """Print a consistency proof between two tree sizes."""
    with workspace(home) as ws:
        log = ws.log()
        print_json({"size1": size1, "size2": size2, "root1": b64(log.root(size1)),
                    "root2": b64(log.root(size2)),
                    "proof": [b64(p) for p in log.consistency_proof(size1, size2)]})


@app.command("verify")
def verify(
    from_scratch: bool = typer.Option(
        False, "--from-scratch",
        help="Also replay every entry into an empty database (signatures checked on every core) "
             "and compare the tables derived from the log with the stored ones."),
    checkpoint: list[Path] = typer.Option(
        [], "--checkpoint",
        help="A checkpoint held outside the database (e.g. a witness's cosigned one): report a "
             "rollback or fork against it. The one the server last published is always checked."),
    home: Path | None = HomeOption,
) -> None:
    """Recompute the tree from stored entries and check every checkpoint; name the first fault."""
    from athar.custody.audit import check_secrets
    from athar.custody.hook import CustodyHook
    from athar.custody.index import index_values
    from athar.incidents.audit import INCIDENT_TABLES, check_reports, rederive_incidents
    from athar.log.audit import Rebuild, audit_log
    from athar.log.published import read_checkpoint

    def add_hooks(replay_log) -> None:  # type: ignore[no-untyped-def]
        replay_log.register_hook(CustodyHook())
        replay_log.set_index_source(index_values, replay=True)

    rebuild = Rebuild(add_hooks, tables=[
        ("actors", "actor_id"), ("actor_keys", "vkey"), ("actor_roles", "actor_id, role"),
        ("custody_exhibits", "exhibit_id"), ("custody_events", "exhibit_id, idx"),
        *INCIDENT_TABLES], checks=[check_secrets, check_reports], derive=[rederive_incidents])
    with workspace(home) as ws:
        try:
            log = ws.log()
        except ConfigError as exc:
            console.print(f"[red]FAILED[/]: {exc.message}", highlight=False)
            raise typer.Exit(1) from None
        verifier = ws.log_signer.verifier()
        paths = [*checkpoint] + ([ws.published_checkpoint] if ws.published_checkpoint.exists()
                                 else [])
        held = [read_checkpoint(p, verifier, log.origin) for p in paths]
        total = log.size()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("verifying", total=total)
            report = audit_log(log, verifier, from_scratch=from_scratch, held=held,
                               rebuild=rebuild if from_scratch else None,
                               progress=lambda n: progress.update(task, completed=n))
        if report.ok:
            console.print(f"[green]OK[/]: {report.entries} entries, {report.checkpoints} "
                          f"checkpoints verified; root {b64(report.root)}", highlight=False)
        else:
            console.print(f"[red]FAILED[/]: {report.problem}", highlight=False)
            raise typer.Exit(1)


@app.command("export-tiles")
def export_tiles(
    directory: Path = typer.Argument(..., help="Folder to write checkpoint and tile/ into."),
    home: Path | None = HomeOption,
) -> None:
    """Write the log as static C2SP tlog-tiles files for any web server or object store."""
    from athar.log.tiles_export import export_tiles as run

    with workspace(home) as ws:
        n = run(ws.log(), directory)
    console.print(f"wrote {n} files to {directory}")


@app.command("witness")
def witness(
    url: str = typer.Argument(..., help="Base URL of the Athar instance to witness."),
    vkey: str = typer.Option(..., "--log-key", help="That log's checkpoint verifier key."),
    home: Path | None = HomeOption,
) -> None:
    """Act as a witness: check the other log's consistency since we last saw it, then cosign."""
    from athar.witness import witness_once

    with workspace(home) as ws:
        result = witness_once(ws, url, vkey)
    print_json(result)


@app.command("entry")
def show_entry(index: int = typer.Argument(...), home: Path | None = HomeOption) -> None:
    """Print entry INDEX as JSON."""
    with workspace(home) as ws:
        print_json(json.loads(ws.log().entry(index)))
