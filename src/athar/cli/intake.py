"""``athar intake``: read reports, extract attributed claims, build incidents."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from athar.errors import IntakeError

app = typer.Typer(help="Read reports and extract attributed claims.", no_args_is_help=True)


def _sidecar(path: Path) -> dict[str, Any]:
    """Metadata from the report's sidecar JSON (the same lookup ``intake ingest`` uses)."""
    from athar.incidents.service import ReportMeta

    meta = ReportMeta.sidecar(path, ReportMeta())
    return {"outlet": meta.source, "url": meta.url,
            "published": meta.published.isoformat() if meta.published else None}


def _date(value: str | None) -> str | None:
    """A publication date YYYY, YYYY-MM or YYYY-MM-DD, checked (IntakeError otherwise)."""
    if not value:
        return None
    from athar.intake.published import parse_published

    pub = parse_published(str(value))
    return pub.iso() if pub is not None else None


def _one(path: Path | None, published: str | None, source: str | None) -> dict[str, Any]:
    from athar.intake import EXTRACTOR_VERSION, extract, read_report

    if path is None:
        report = read_report(sys.stdin.buffer.read(), filename="-")
        meta: dict[str, Any] = {}
    else:
        report = read_report(path)
        meta = _sidecar(path)
    pub = _date(published) or _date(meta.get("published"))
    src = source or meta.get("outlet") or meta.get("source")
    result = extract(report.text, published=pub, source=src, vague_figures=True).to_json()
    info = {"file": str(path) if path else "-", "extractor_version": EXTRACTOR_VERSION,
            "title": report.title, "url": meta.get("url")}
    return {"_info": info, **result}


def _table(out: dict[str, Any], console: Console) -> None:
    console.print(f"[bold]{out['_info']['file']}[/]  language={out['language']}  "
                  f"published={out['published']}  warnings={out['warnings']}")
    t = Table("#", "speaker", "type", "verb", "claim", "quote", "via", "in", show_lines=True)
    for i, c in enumerate(out["claims"]):
        t.add_row(str(i), f"{c['speaker'] or ''}\n[dim]{c['speaker_normalized']}[/]",
                  c["speaker_type"], c["verb"] or "", c["claim"], "yes" if c["direct_quote"] else "",
                  c["via"] or "", "" if c["nested_in"] is None else str(c["nested_in"]))
    console.print(t)
    facts = Table("field", "found")
    facts.add_row("places", ", ".join(sorted({p["normalized"] for p in out["places"]})))
    facts.add_row("dates", ", ".join(f"{d['as_written']} → {d['iso']}" for d in out["dates"]))
    facts.add_row("agents", ", ".join(sorted({a["normalized"] for a in out["agents"]})))
    facts.add_row("casualties", ", ".join(f"{c['figure']} {c['kind']}" for c in out["casualties"]))
    facts.add_row("alleged perpetrators",
                  ", ".join(sorted({p["normalized"] for p in out["alleged_perpetrators"]})))
    facts.add_row("loaded language",
                  ", ".join(dict.fromkeys(t["as_written"] for t in out["loaded_language"])))
    console.print(facts)


@app.command("extract")
def extract_cmd(
    path: Annotated[str, typer.Argument(help="A report file, a folder of reports, or - for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (JSON Lines for a folder).")] = False,
    published: Annotated[str | None, typer.Option(
        help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD (default: the report's dateline).")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet that published the report.")] = None,
) -> None:
    """Extract attributed claims, places, dates, agents and figures from reports."""
    console = Console()
    if path == "-":
        targets: list[Path | None] = [None]
    else:
        p = Path(path)
        if p.is_dir():
            targets = [*sorted(f for f in p.iterdir() if f.is_file() and not f.name.endswith(".json"))]
        elif p.exists():
            targets = [p]
        else:
            raise IntakeError(f"no such file or folder: {path}")
    for target in targets:
        out = _one(target, published, source)
        info = out.pop("_info")
        if as_json and len(targets) > 1:
            line = {"file": info["file"], "extractor_version": info["extractor_version"], **out}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        elif as_json:
            sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        else:
            _table({"_info": info, **out}, console)
