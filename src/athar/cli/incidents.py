"""``athar intake ingest`` and ``athar incidents``: stored reports grouped into incidents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import Progress
from rich.table import Table

from athar.cli._common import HomeOption, console, print_json, workspace

if TYPE_CHECKING:
    from athar.incidents.service import IngestOutcome
    from athar.incidents.store import ReportStore

app = typer.Typer(help="Incidents: what each source says about the same event.",
                  no_args_is_help=True)


@contextmanager
def _reports(home: Path | None) -> Iterator[ReportStore]:
    """The report store of the workspace at ``home``, for one command."""
    from athar.incidents.store import ReportStore

    with workspace(home) as ws:
        yield ReportStore(ws.log())


def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Report files or folders."),
    source: str | None = typer.Option(None, "--source", help="Outlet name (else sidecar JSON)."),
    url: str | None = typer.Option(None, "--url", help="Where the report was published."),
    published: str | None = typer.Option(None, "--published", help="YYYY-MM-DD."),
    home: Path | None = HomeOption,
) -> None:
    """Store reports with their claims and facts, log them, and regroup incidents."""
    from athar.incidents.service import ReportMeta, ingest_paths, iter_report_files
    from athar.incidents.store import ReportStore

    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError:
        raise typer.BadParameter("--published must be YYYY-MM-DD") from None
    meta = ReportMeta(source, url, day)
    files = iter_report_files(paths)
    with workspace(home) as ws, Progress(console=console) as progress:
        store = ReportStore(ws.log())
        task = progress.add_task("ingesting", total=len(files))

        def step(o: IngestOutcome) -> None:
            progress.advance(task)
            if o.error:
                progress.console.print(f"[red]skipped[/] {o.name}: {o.error}", highlight=False)

        outcomes = ingest_paths(store, ws.admin_signer, files, meta, step)
        n_inc = len(store.incidents())
    new = sum(o.new for o in outcomes)
    failed = sum(1 for o in outcomes if o.error)
    console.print(f"{new} new report(s), {len(outcomes) - new - failed} already stored, "
                  f"{failed} failed; {n_inc} incident(s)")
    if failed and not new:
        raise typer.Exit(1)


@app.command("list")
def list_cmd(home: Path | None = HomeOption,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """List incidents: place, dates, agents and how many sources speak of each."""
    with _reports(home) as store:
        incidents = store.incidents()
    if as_json:
        print_json(incidents)
        return
    table = Table("id", "place", "dates", "agents", "sources", "versions", "conflicts")
    for inc in incidents:
        dates = inc["date_from"] or "?"
        if inc["date_to"] and inc["date_to"] != inc["date_from"]:
            dates += f" … {inc['date_to']}"
        conflicts = sum(1 for r in inc["relations"] if r["kind"] == "contradicts")
        table.add_row(inc["incident_id"], inc["place"], dates, ", ".join(inc["agents"]),
                      str(len(inc["sources"])), str(len(inc["versions"])), str(conflicts))
    console.print(table)


@app.command("regroup")
def regroup_cmd(home: Path | None = HomeOption) -> None:
    """Group every stored report into incidents again, from scratch (new reports are grouped as they come)."""
    with _reports(home) as store:
        n = store.regroup()
    console.print(f"{n} incident(s)")


@app.command("show")
def show_cmd(incident_id: str = typer.Argument(...), home: Path | None = HomeOption,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Show each source's version of one incident side by side, with agreements and conflicts."""
    with _reports(home) as store:
        inc = store.incident(incident_id)
    if as_json:
        print_json(inc)
        return
    console.print(f"[bold]{inc['incident_id']}[/] {inc['place']} "
                  f"{inc['date_from'] or ''}…{inc['date_to'] or ''}"
                  + ("" if inc.get("dated_by_event", True) else " (dated by publication)"), highlight=False)
    if inc.get("figures"):
        by_source = Table("source", "speaker", "figure", "kind", "said on", title="Figures by source")
        for f in inc["figures"]:
            by_source.add_row(f["source"], f["speaker"], str(f["figure"]), f["kind"], f["said_on"] or "")
        console.print(by_source)
    table = Table("source", "speaker", "says", "figures", "agent", "alleged perpetrator",
                  show_lines=True)
    for v in inc["versions"]:
        says = "\n".join(f"{c['verb'] or '(outlet voice)'}: {c['text'][:160]}" for c in v["claims"])
        figures = ", ".join(f"{c['figure']} {c['kind']}" for c in v["casualties"])
        speaker = v["speaker"] + (" [denies]" if v["denies"] else "")
        table.add_row(v["source"], speaker, says, figures, ", ".join(v["agents"]),
                      ", ".join(v["perpetrators"]))
    console.print(table)
    for r in inc["relations"]:
        colour = "green" if r["kind"] == "agrees" else "red"
        console.print(f"[{colour}]{r['kind']}[/] on {r['about']}: {r['a']} / {r['b']}: "
                      f"{r['detail']}", highlight=False)
