"""Custody benchmarks: file ingest vs hashlib, custody events/s, bundle verification.

    python benchmarks/custody.py [--quick]

Figures (last stdout line, one JSON object):

* ``ingest_mb_per_s``: registering a large file (streamed into the local blob
  store, hashed, fsynced, entry appended), in a subprocess whose peak RSS is
  ``peak_rss_mb``; ``hashlib_mb_per_s``: reading and hashing the same file
  with hashlib alone, same run;
* ``events_per_s``: custody events (signature, rule checks, derived state)
  appended through the real Log on SQLite;
* ``bundle_verify_s``: offline verification of a bundle of 10,000 custody events.

Targets: ingest >= 0.8 x hashlib at peak RSS <= 100 MB (2 GB file in the full
run); >= 5,000 events/s; a 10,000-event bundle verified in <= 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_src_on_path, figure, final_json, heading, rate, settle  # noqa: E402

ensure_src_on_path()

MB = 1 << 20


def make_file(path: Path, size_mb: int) -> None:
    """A file of ``size_mb`` MiB (random blocks, so nothing compresses or dedupes)."""
    block = os.urandom(MB)
    with path.open("wb") as f:
        for i in range(size_mb):
            f.write(i.to_bytes(8, "big") + block[8:])


def hashlib_rate(path: Path) -> float:
    """MiB/s reading and hashing ``path`` with hashlib alone (1 MiB reads)."""
    h = hashlib.sha256()
    t0 = time.perf_counter()
    with path.open("rb") as f:
        while chunk := f.read(MB):
            h.update(chunk)
    return path.stat().st_size / MB / (time.perf_counter() - t0)


def durable_copy_rate(path: Path, dest_dir: Path) -> float:
    """MiB/s copying ``path`` into ``dest_dir`` with plain buffered reads and writes, fdatasync every 64 MiB.

    A reference for what a simple durable copy through the page cache achieves
    on this disk in the same run; the blob store overlaps hashing with direct
    writes, so it can beat it.
    """
    dest = dest_dir / "copy.bin"
    t0 = time.perf_counter()
    with path.open("rb") as src, dest.open("wb", buffering=0) as out:
        unsynced = 0
        while chunk := src.read(4 * MB):
            out.write(chunk)
            unsynced += len(chunk)
            if unsynced >= 64 * MB:  # the blob store's own sync interval
                os.fdatasync(out.fileno())
                unsynced = 0
        os.fsync(out.fileno())
    rate = path.stat().st_size / MB / (time.perf_counter() - t0)
    dest.unlink()
    return rate


def ingest_child(path: str, home: str) -> None:
    """Run in a subprocess: register ``path`` and report seconds and peak RSS."""
    from athar.custody.blobstore.local import LocalBlobStore
    from athar.custody.service import CustodyService
    from athar.workspace import Workspace

    ws = Workspace.init(Path(home))
    svc = CustodyService(ws.log(), LocalBlobStore(ws.blob_dir))
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        svc.ingest(f, ws.admin_signer, name=Path(path).name)
    seconds = time.perf_counter() - t0
    ws.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": round(rss, 1)}))


def bench_ingest(tmp: Path, size_mb: int, rounds: int = 3) -> dict[str, float]:
    """Median of ``rounds`` alternating runs of hashlib and of a full ingest (fresh workspace each).

    The disk is synced and left to settle before every run, so no run pays for
    the previous one's write-back or discards.
    """
    heading(f"ingest of a {size_mb} MiB file ({rounds} rounds, medians)")
    path = tmp / "big.bin"
    make_file(path, size_mb)
    hashlib_runs, ingest_runs, rss = [], [], []
    for r in range(rounds):
        settle()
        hashlib_runs.append(hashlib_rate(path))
        settle()
        proc = subprocess.run([sys.executable, __file__, "--ingest-child", str(path),
                               str(tmp / f"ingest-ws-{r}")], capture_output=True, text=True,
                              check=True)
        child = json.loads(proc.stdout.strip().splitlines()[-1])
        ingest_runs.append(size_mb / child["seconds"])
        rss.append(child["peak_rss_mb"])
        shutil.rmtree(tmp / f"ingest-ws-{r}")
    settle()
    disk_mb = durable_copy_rate(path, tmp)
    hashlib_mb, ingest_mb = statistics.median(hashlib_runs), statistics.median(ingest_runs)
    figure("hashlib read+sha256", hashlib_mb, "MiB/s")
    figure("athar ingest (hash, write, fsync, entry)", ingest_mb, "MiB/s")
    figure("plain durable copy (one thread, page cache)", disk_mb, "MiB/s")
    figure("ratio to hashlib", ingest_mb / hashlib_mb)
    figure("ratio to the plain durable copy", ingest_mb / disk_mb)
    figure("ingest peak RSS (worst run)", max(rss), "MiB")
    print("  runs: hashlib " + ", ".join(f"{x:.0f}" for x in hashlib_runs)
          + "; ingest " + ", ".join(f"{x:.0f}" for x in ingest_runs) + " MiB/s")
    path.unlink()
    return {"ingest_mb_per_s": round(ingest_mb, 1), "hashlib_mb_per_s": round(hashlib_mb, 1),
            "durable_copy_mb_per_s": round(disk_mb, 1),
            "ingest_vs_hashlib": round(ingest_mb / hashlib_mb, 3),
            "ingest_vs_durable_copy": round(ingest_mb / disk_mb, 3),
            "peak_rss_mb": max(rss)}


def make_events(admin, exhibits: int, per: int):  # type: ignore[no-untyped-def]
    """Actor registrations, then ``exhibits`` chains of ``per`` events, interleaved."""
    from athar.custody.events import build_entry
    from athar.ledger.entry import Entry
    from athar.ledger.hashing import leaf_hash
    from athar.ledger.note import Signer

    a, b = Signer.generate("holder-a"), Signer.generate("holder-b")
    setup = [Entry.create("actor.registered", {"actor_id": s.name, "name": s.name,
                                               "actor_type": "person", "vkey": s.vkey,
                                               "roles": ["custodian"]}, admin) for s in (a, b)]
    heads: dict[str, str] = {}
    events = []
    for step in range(per):
        for n in range(exhibits):
            code = f"B-{n:05d}"
            t = f"2024-01-01T00:00:00.{step + 1:06d}Z"
            if step == 0:
                e, _ = build_entry("registered", code, None, a, at=t,
                                   public={"exhibit_kind": "physical", "parent": None})
            else:
                who = (a, b)[((step - 1) // 2) % 2]
                other = (b, a)[((step - 1) // 2) % 2]
                if (step - 1) % 2 == 0:
                    e, _ = build_entry("handed_over", code, heads[code], who, at=t,
                                       public={"to": other.name})
                else:
                    e, _ = build_entry("received", code, heads[code], other, at=t)
            heads[code] = leaf_hash(e.to_bytes()).hex()
            events.append(e.to_bytes())
    return [e.to_bytes() for e in setup], events


def bench_events(tmp: Path, exhibits: int, per: int) -> tuple[dict[str, float], object, list]:
    from athar.custody.blobstore.local import LocalBlobStore
    from athar.custody.service import CustodyService
    from athar.workspace import Workspace

    n = exhibits * per
    heading(f"{n:,} custody events on SQLite ({exhibits} exhibits x {per})")
    ws = Workspace.init(tmp / "events-ws")
    log = ws.log()
    setup, events = make_events(ws.admin_signer, exhibits, per)
    for data in setup:
        log.append(data)
    # Start the signature-checking worker processes (a one-time cost per server
    # process) before timing, as the ledger benchmark does.
    from athar.ledger.entry import Entry

    log.append_many(Entry.create("note", {"text": f"warm-up {i}"}, ws.admin_signer)
                    for i in range(600))
    t0 = time.perf_counter()
    results = log.append_many(events)
    seconds = time.perf_counter() - t0
    bad = [r for r in results if isinstance(r, Exception)]
    if bad:
        raise SystemExit(f"{len(bad)} events refused, first: {bad[0]}")
    eps = rate(n, seconds)
    figure("custody events appended", eps, "events/s")
    return {"events_per_s": round(eps)}, ws, CustodyService(log, LocalBlobStore(ws.blob_dir))


def bench_bundle(tmp: Path, ws, svc, codes: list[str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from athar.report.export import export_bundle
    from athar.report.verify import verify_bundle

    out = tmp / "bundle.zip"
    t0 = time.perf_counter()
    s = export_bundle(svc, codes, out)
    export_s = time.perf_counter() - t0
    custody = s.entries - 3
    heading(f"bundle of {custody:,} custody events ({out.stat().st_size / MB:.1f} MiB)")
    t0 = time.perf_counter()
    report = verify_bundle(out, ws.vkey)
    seconds = time.perf_counter() - t0
    if not report.intact:
        raise SystemExit(f"bundle did not verify: {report.findings[:3]}")
    figure("export", export_s, "s")
    figure("offline verification", seconds, "s")
    return {"bundle_verify_s": round(seconds, 3), "bundle_events": custody}


# The keys of the final JSON line (docs/performance.md cites them; see _common.final_json).
JSON_KEYS = (
    "ingest_mb_per_s", "hashlib_mb_per_s", "durable_copy_mb_per_s", "ingest_vs_hashlib",
    "ingest_vs_durable_copy", "peak_rss_mb", "events_per_s", "bundle_verify_s", "bundle_events",
    "file_mb",
)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="smaller file and event counts")
    p.add_argument("--ingest-child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.ingest_child:
        ingest_child(*args.ingest_child)
        return
    size_mb = 512 if args.quick else 2048
    exhibits, per = (100, 100) if args.quick else (400, 100)
    result: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="athar-bench-", dir=os.environ.get("TMPDIR")) as d:
        tmp = Path(d)
        result.update(bench_ingest(tmp, size_mb))
        events, ws, svc = bench_events(tmp, exhibits, per)
        result.update(events)
        result.update(bench_bundle(tmp, ws, svc, [f"B-{n:05d}" for n in range(100)]))
        ws.close()  # type: ignore[attr-defined]
    result["file_mb"] = size_mb
    final_json(result, JSON_KEYS)


if __name__ == "__main__":
    main()
