"""Incidents at scale: the cost of one more report as the store grows to 10^5 reports.

    .venv/bin/python benchmarks/incidents_scale.py [--quick] [--reports N]

Generated reports (short English reports: a speaker, an agent, a town of the
gazetteer, a day over ten years, a figure; varied, so that they make many
events) are ingested into a fresh SQLite workspace, in bulk
(``Log.append_many`` with each report's record as the hook's context) between
checkpoints. At 10^3, 10^4 and 10^5 stored reports (``--quick``: up to 10^4)
the benchmark times 40 more reports taken in one by one through the path an
upload takes (``ingest_bytes``: read, extract, two signed and durable
appends, the report's row and its incidents written with them) and prints
the median and p90 marginal cost; the baseline, measured in the same run, is
the same 40 reports' extraction alone (``prepare_report``), so the ratio
shows what storing and grouping add. Target: flat, at most 50 ms a report.
Peak RSS is printed too. The LAST stdout line is one JSON object (``JSON_KEYS``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_src_on_path, figure, final_json, heading, peak_rss_mb  # noqa: E402

ensure_src_on_path()

from rich.progress import Progress  # noqa: E402

from athar.incidents.service import ReportMeta, ingest_bytes, prepare_report  # noqa: E402
from athar.incidents.store import ReportStore  # noqa: E402
from athar.workspace import Workspace  # noqa: E402

JSON_KEYS = ("marginal_ms_1e3", "marginal_ms_1e4", "marginal_ms_1e5", "marginal_p90_ms_1e3",
             "marginal_p90_ms_1e4", "marginal_p90_ms_1e5", "extract_ms", "flatness", "incidents",
             "reports", "peak_rss_mb")
SPEAKERS = ["The health directorate", "A local doctor", "The civil defence", "The defence ministry",
            "An opposition monitor", "The state news agency"]
AGENTS = ["chlorine", "sarin", "toxic gas", "chemical weapons"]
START = dt.date(2012, 1, 1)


def towns() -> list[str]:
    """Syrian towns and villages the gazetteer the intake ships knows, by name."""
    import json
    from importlib.resources import files

    data = json.loads(files("athar.intake").joinpath("data/gazetteer.json").read_text())
    return sorted({p[0] for p in data["places"] if p[1] in ("town", "village") and p[0].isascii()})


def report(rng: random.Random, places: list[str], n: int) -> bytes:
    day = START + dt.timedelta(days=rng.randrange(3650))
    text = (f"{rng.choice(SPEAKERS)} said that a {rng.choice(AGENTS)} attack on {rng.choice(places)} on "
            f"{day.day} {day.strftime('%B %Y')} injured {rng.randrange(2, 300)} people. "
            f"Report number {n}.")
    return text.encode()


def fill(store: ReportStore, signer, rng: random.Random, places: list[str], start: int, stop: int,
         progress: Progress) -> None:
    task = progress.add_task(f"ingesting reports {start:,}..{stop:,}", total=stop - start)
    batch: list = []
    contexts: list = []
    for n in range(start, stop):
        day = START + dt.timedelta(days=rng.randrange(3650))
        prepared = prepare_report(report(rng, places, n), f"r{n}.txt", ReportMeta("Wire", None, day), signer)
        batch += prepared.entries()
        contexts += prepared.contexts()
        if len(batch) >= 1000 or n == stop - 1:
            results = store.log.append_many(batch, contexts)
            bad = [r for r in results if isinstance(r, Exception)]
            assert not bad, bad[0]
            progress.advance(task, len(batch) // 2)
            batch, contexts = [], []


def marginal(store: ReportStore, signer, rng: random.Random, places: list[str], first: int,
             k: int = 40) -> tuple[float, float, float]:
    """Median and p90 ms of ingesting one more report, and median ms of its extraction alone."""
    docs = [report(rng, places, first + i) for i in range(k)]
    extract_ms = []
    for i, data in enumerate(docs):
        t0 = time.perf_counter()
        prepare_report(data + b" (dry)", f"x{i}.txt", ReportMeta("Wire", None, None), signer)
        extract_ms.append((time.perf_counter() - t0) * 1000)
    ingest_ms = []
    for i, data in enumerate(docs):
        t0 = time.perf_counter()
        outcome = ingest_bytes(store, signer, data, f"m{first + i}.txt", ReportMeta("Wire", None, None))
        ingest_ms.append((time.perf_counter() - t0) * 1000)
        assert outcome.new
    ingest_ms.sort()
    return statistics.median(ingest_ms), ingest_ms[int(0.9 * k) - 1], statistics.median(extract_ms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="up to 10^4 reports")
    ap.add_argument("--reports", type=int, default=None, help="largest size (default 10^5, --quick 10^4)")
    args = ap.parse_args()
    top = args.reports or (10_000 if args.quick else 100_000)
    sizes = [s for s in (1_000, 10_000, 100_000) if s <= top]
    heading(f"Incidents at scale: marginal cost of one report, up to {top:,} reports")
    rng = random.Random(2026)
    places = towns()
    tmp = Path(tempfile.mkdtemp(prefix="athar-incidents-"))
    ws = Workspace.init(tmp / "ws")
    store = ReportStore(ws.log())
    result: dict[str, object] = {}
    done = 0
    extract_all = []
    with Progress() as progress:
        for size in sizes:
            fill(store, ws.admin_signer, rng, places, done, size, progress)
            done = size
            med, p90, ext = marginal(store, ws.admin_signer, rng, places, 10_000_000 + size)
            done += 0
            extract_all.append(ext)
            tag = f"1e{len(str(size)) - 1}"
            result[f"marginal_ms_{tag}"] = round(med, 2)
            result[f"marginal_p90_ms_{tag}"] = round(p90, 2)
            progress.console.print(f"  at {size:>7,} reports: one more takes {med:.1f} ms (p90 {p90:.1f}), "
                                   f"its extraction alone {ext:.1f} ms")
    incidents = int(store.log.read("SELECT COUNT(*) FROM incidents")[0][0])
    reports = int(store.log.read("SELECT COUNT(*) FROM reports")[0][0])
    ws.close()
    first, last = result[f"marginal_ms_1e{len(str(sizes[0])) - 1}"], result[
        f"marginal_ms_1e{len(str(sizes[-1])) - 1}"]
    flatness = round(float(last) / float(first), 2)  # type: ignore[arg-type]
    figure("extraction alone (baseline)", statistics.median(extract_all), "ms")
    figure("marginal cost, last / first size", flatness, "x")
    figure("incidents", incidents)
    figure("reports", reports)
    figure("peak RSS", peak_rss_mb(), "MiB")
    result.update({"extract_ms": round(statistics.median(extract_all), 2), "flatness": flatness,
                   "incidents": incidents, "reports": reports, "peak_rss_mb": round(peak_rss_mb(), 1)})
    final_json(result, JSON_KEYS)


if __name__ == "__main__":
    main()
