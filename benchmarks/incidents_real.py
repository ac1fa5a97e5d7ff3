"""Incidents on real reports: does each event come out as one incident, dated by the event?

    .venv/bin/python benchmarks/incidents_real.py [--gold DIR] [--verbose]

Every report of the shared real set (``../shared/corpus/real/``, or
``$ATHAR_REAL_CORPUS``) is extracted as ``athar intake ingest`` would (its
``published`` date when the page gave one, else the extractor's own reading of
the dateline) and all of them are grouped into incidents together.

The set's ``topic`` names the event a report is about (``khan_shaykhun_2017-04-04_jim_report``
is about the event ``khan_shaykhun_2017-04-04``). For every event with two or more
reports it prints:

* coverage: the share of the event's reports found in its best incident (the
  incident holding most of them);
* purity: the share of that incident's reports that are about the event;
* dated: whether that incident's first date is within a day of the event's date
  (when the topic gives a full date).

and overall: incidents per report, and the macro means of the above. The LAST
stdout line is one JSON object (``JSON_KEYS``). Without the shared folder the
benchmark says so and exits 0 with ``"skipped"``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, ensure_src_on_path, figure, final_json, heading  # noqa: E402

ensure_src_on_path()

DEFAULT_GOLD = Path(os.environ.get("ATHAR_REAL_CORPUS", ROOT.parent / "shared" / "corpus" / "real"))
JSON_KEYS = ("incidents_event_coverage", "incidents_event_purity", "incidents_dated_by_event",
             "incidents_per_report", "incidents_events", "incidents_reports", "incidents_seconds",
             "skipped")
_EVENT = re.compile(r"^(.*?_\d{4}(?:-\d{2}(?:-\d{2})?)?)")


def event_of(topic: str) -> str:
    """The event a topic names: its text up to and including the first date."""
    m = _EVENT.match(topic)
    return m.group(1) if m else topic


def _event_date(event: str) -> dt.date | None:
    m = re.search(r"(\d{4}-\d{2}-\d{2})$", event)
    return dt.date.fromisoformat(m.group(1)) if m else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--verbose", action="store_true", help="print every incident")
    args = ap.parse_args()
    heading("Incidents on the real set: one incident per event")
    docs = sorted(args.gold.glob("[0-9]*.json")) if args.gold.is_dir() else []
    if not docs:
        print(f"no real corpus at {args.gold}: skipped")
        final_json({"skipped": True}, JSON_KEYS)
        return

    from athar.incidents.frames import report_frames
    from athar.incidents.grouping import group_incidents
    from athar.intake import extract

    t0 = time.perf_counter()
    frames, event_of_report = [], {}
    for path in docs:
        d = json.loads(path.read_text())
        published = dt.date.fromisoformat(d["published"]) if d.get("published") else None
        output = extract(d["text"], published=published, source=d["source_name"]).to_json()
        rid = str(d["id"])
        event_of_report[rid] = event_of(d["topic"])
        frames += report_frames(rid, d["source_name"], output)
    incidents = group_incidents(frames)
    elapsed = time.perf_counter() - t0

    members = {inc.incident_id: {c.report_id for v in inc.versions for c in v.claims} for inc in incidents}
    by_event: dict[str, set[str]] = defaultdict(set)
    for rid, ev in event_of_report.items():
        by_event[ev].add(rid)
    rows = []
    for ev, reports in sorted(by_event.items()):
        if len(reports) < 2:
            continue
        best = max(incidents, default=None, key=lambda i: (len(members[i.incident_id] & reports),
                                                            -len(members[i.incident_id])))
        held = members[best.incident_id] if best else set()
        coverage = len(held & reports) / len(reports)
        purity = len(held & reports) / len(held) if held else 0.0
        when = _event_date(ev)
        dated = None
        if when and best and best.date_from:
            dated = abs((dt.date.fromisoformat(best.date_from[:10]) - when).days) <= 1
        rows.append((ev, len(reports), coverage, purity, dated, best))
        print(f"  {ev:<32} {len(reports):>2} reports  coverage {coverage:.2f}  purity {purity:.2f}  "
              f"dated {'-' if dated is None else 'yes' if dated else 'NO'}  "
              f"({best.place if best else '-'} {best.date_from if best else ''})")
    if args.verbose:
        for inc in incidents:
            evs = Counter(event_of_report[r] for r in members[inc.incident_id])
            print(f"    {inc.incident_id} {inc.place} {inc.date_from}..{inc.date_to} {dict(evs)}")
    coverage = sum(r[2] for r in rows) / len(rows)
    purity = sum(r[3] for r in rows) / len(rows)
    dated_rows = [r[4] for r in rows if r[4] is not None]
    dated = sum(dated_rows) / len(dated_rows) if dated_rows else 0.0
    per_report = len(incidents) / len(docs)
    figure("event coverage (mean over events with 2+ reports)", coverage, "")
    figure("purity of the best incident", purity, "")
    figure("best incident dated by the event (within a day)", dated, "")
    figure("incidents per report", per_report, "")
    final_json({"incidents_event_coverage": round(coverage, 3), "incidents_event_purity": round(purity, 3),
                "incidents_dated_by_event": round(dated, 3), "incidents_per_report": round(per_report, 3),
                "incidents_events": len(rows), "incidents_reports": len(docs),
                "incidents_seconds": round(elapsed, 2), "skipped": False}, JSON_KEYS)


if __name__ == "__main__":
    main()
