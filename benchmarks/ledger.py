"""Ledger benchmark: durable signed appends, proofs at 10^6 entries, verification, checkpoints.

Prints figures, then as its last line one JSON object with ``sqlite_appends_per_s``,
``postgres_appends_per_s`` (null without a database URL), ``verify_floor_per_s`` (Ed25519
verify + SHA-256 of the same entries on one core, the CPU floor, measured in this run),
``proof_p99_ms``, ``verify_entries_per_s``, ``checkpoint_latency_p99_ms`` and ratios.

    python benchmarks/ledger.py [--quick] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_src_on_path, figure, final_json, heading, settle  # noqa: E402

ensure_src_on_path()

from athar.ledger.compact import CompactRange  # noqa: E402
from athar.ledger.entry import Entry  # noqa: E402
from athar.ledger.hashing import leaf_hash  # noqa: E402
from athar.ledger.note import Signer  # noqa: E402
from athar.ledger.paths import inclusion_plan  # noqa: E402
from athar.ledger.proof import verify_inclusion  # noqa: E402
from athar.log.audit import audit_log  # noqa: E402
from athar.log.nodes import node_id  # noqa: E402
from athar.store.db import connect  # noqa: E402
from athar.store.migrate import ensure_current  # noqa: E402
from athar.workspace import Workspace  # noqa: E402


def make_entries(signer: Signer, n: int) -> list[bytes]:
    """n signed note entries of about 1 KB each."""
    pad = "x" * 860
    return [Entry.create("note", {"text": f"{pad} {i}"}, signer).to_bytes() for i in range(n)]


def verify_floor(entries: list[bytes]) -> float:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pub = key.public_key()
    sigs = [(e, key.sign(e)) for e in entries]
    t0 = time.perf_counter()
    for e, s in sigs:
        hashlib.sha256(b"\x00" + e).digest()
        pub.verify(s, e)
    return len(sigs) / (time.perf_counter() - t0)


def appends(home: Path, entries: list[bytes], database_url: str | None) -> tuple[float, Workspace]:
    ws = Workspace.init(home, database_url=database_url)
    log = ws.log()
    # Warm up: start the signature-checking worker processes before timing.
    log.append_many(Entry.create("note", {"text": f"warm-up {i}"}, ws.admin_signer).to_bytes()
                    for i in range(600))
    signed = [Entry.create("note", json.loads(e)["body"], ws.admin_signer).to_bytes()
              for e in entries]
    t0 = time.perf_counter()
    results = log.append_many(signed)
    elapsed = time.perf_counter() - t0
    assert all(not isinstance(r, Exception) for r in results)
    return len(signed) / elapsed, ws


def bulk_tree(path: Path, n: int) -> None:
    """Write a log of n small leaves straight into SQLite (for proof timing only)."""
    ensure_current(connect(f"sqlite:///{path}"))  # the workspace's tables, by the migrations
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    rng = CompactRange()
    now = dt.datetime.now(dt.UTC).isoformat()
    step = 50_000
    for start in range(0, n, step):
        rows, nodes = _leaves(start, min(n, start + step), rng, now)
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO nodes VALUES (?, ?)", nodes)
    conn.execute("UPDATE log_state SET size = ? WHERE id = 1", (n,))
    conn.commit()
    conn.close()


def _leaves(start: int, stop: int, rng: CompactRange, now: str) -> tuple[list[tuple], list[tuple]]:
    rows, nodes = [], []
    for i in range(start, stop):
        data = b"leaf %d" % i
        h = leaf_hash(data)
        rows.append((i, h, data, "note", "bench", now))
        nodes += [(node_id(lv, ix), nh) for lv, ix, nh in rng.append(h)]
    return rows, nodes


def psycopg_admin(url: str):  # type: ignore[no-untyped-def]
    """An autocommit connection to the server of ``url`` (no schema selected)."""
    import psycopg

    return psycopg.connect(url.split("?")[0], autocommit=True)


def bulk_tree_pg(url: str, n: int) -> None:
    """Write a log of n small leaves straight into PostgreSQL with COPY (for proof timing only)."""
    import psycopg

    db = connect(url)
    ensure_current(db)  # the workspace's tables, by the migrations
    schema = db.schema  # type: ignore[attr-defined]
    db.close()
    rng = CompactRange()
    now = dt.datetime.now(dt.UTC).isoformat()
    with psycopg.connect(url.split("?")[0]) as conn:
        conn.execute(f"SET search_path TO {schema}")
        step = 100_000
        for start in range(0, n, step):
            rows, nodes = _leaves(start, min(n, start + step), rng, now)
            with conn.cursor().copy("COPY entries (idx, leaf_hash, data, kind, author, received_at) "
                                    "FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            with conn.cursor().copy("COPY nodes (id, hash) FROM STDIN") as copy:
                for r in nodes:
                    copy.write_row(r)
        conn.execute("UPDATE log_state SET size = %s WHERE id = 1", (n,))
        conn.execute("ANALYZE")


def proof_latency(home: Path, n: int, samples: int, url: str | None = None) -> tuple[float, float]:
    """p99 and p50 (ms) of inclusion proofs at random indexes in a tree of ``n`` leaves."""
    ws = Workspace.init(home, database_url=url)
    ws.close()
    if url is None:
        db = home / "athar.db"
        db.unlink()
        for extra in ("-wal", "-shm"):
            Path(str(db) + extra).unlink(missing_ok=True)
        bulk_tree(db, n)
    else:
        with psycopg_admin(url) as conn:  # an empty schema again, then the bulk tree
            conn.execute(f"DROP SCHEMA {url.rsplit('schema=', 1)[1]} CASCADE")
        bulk_tree_pg(url, n)
    ws = Workspace.open(home)
    log = ws.log()
    root = log.root(n)
    rnd = random.Random(7)
    times = []
    for _ in range(samples):
        i = rnd.randrange(n)
        t0 = time.perf_counter()
        proof = log.inclusion_proof(i, n)
        times.append((time.perf_counter() - t0) * 1000)
        assert len(proof) == len(inclusion_plan(i, n))
    verify_inclusion(leaf_hash(b"leaf %d" % i), i, n, proof, root)
    ws.close()
    times.sort()
    return times[int(len(times) * 0.99) - 1], statistics.median(times)


def checkpoint_latency(home: Path, rate: int, seconds: float) -> float:
    ws = Workspace.init(home)
    log = ws.log()
    entries = make_entries(ws.admin_signer, int(rate * seconds))
    submitted: list[tuple[float, object]] = []

    def producer() -> None:
        t0 = time.perf_counter()
        for k, e in enumerate(entries):
            delay = t0 + k / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            submitted.append((time.time(), log.submit(e)))

    th = threading.Thread(target=producer)
    th.start()
    th.join()
    results = [(t, f.result()) for t, f in submitted]
    time.sleep(0.3)
    cps = log.read("SELECT size, created_at FROM checkpoints ORDER BY size")
    cp_times = [(s, dt.datetime.fromisoformat(c).timestamp()) for s, c in cps]
    lat = []
    j = 0
    for t, r in results:
        while cp_times[j][0] <= r.index:
            j += 1
        lat.append((cp_times[j][1] - t) * 1000)
    ws.close()
    lat.sort()
    return lat[int(len(lat) * 0.99) - 1]


# The keys of the final JSON line (docs/performance.md cites them; see _common.final_json).
JSON_KEYS = (
    "sqlite_appends_per_s", "postgres_appends_per_s", "verify_floor_per_s", "sqlite_vs_floor",
    "proof_p50_ms", "proof_p99_ms", "proof_tree_size", "postgres_proof_p50_ms", "postgres_proof_p99_ms",
    "verify_entries_per_s", "verify_vs_floor",
    "checkpoint_latency_p99_ms", "entries",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="smaller runs (under 5 minutes)")
    ap.add_argument("--postgres", default=os.environ.get("ATHAR_TEST_DATABASE_URL"),
                    help="PostgreSQL URL (default: $ATHAR_TEST_DATABASE_URL)")
    ap.add_argument("--tree-size", type=int, default=1_000_000)
    args = ap.parse_args()
    n = 20_000 if args.quick else 100_000
    tmp = Path(tempfile.mkdtemp(prefix="athar-bench-"))
    signer = Signer.generate("bench")
    entries = make_entries(signer, n)

    heading(f"Ledger benchmark ({n} signed entries of ~{len(entries[0])} bytes, 2 cores)")
    floor = verify_floor(entries[:10_000])
    figure("verify floor (Ed25519+SHA-256, 1 core)", floor, "entries/s")

    settle()
    sqlite_rate, ws = appends(tmp / "sqlite", entries, None)
    figure("SQLite durable appends", sqlite_rate, "entries/s")
    t0 = time.perf_counter()
    report = audit_log(ws.log(), ws.log_signer.verifier(), from_scratch=True)
    verify_rate = report.entries / (time.perf_counter() - t0)
    assert report.ok, report.problem
    figure("log verify --from-scratch", verify_rate, "entries/s")
    ws.close()

    pg_rate = None
    if args.postgres:
        import uuid

        url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}schema=b_{uuid.uuid4().hex[:10]}"
        settle()
        pg_rate, pws = appends(tmp / "pg", entries, url)
        pws.close()
        figure("PostgreSQL durable appends", pg_rate, "entries/s")

    p99, p50 = proof_latency(tmp / "proofs", args.tree_size, 2000 if args.quick else 10_000)
    figure(f"inclusion proof at {args.tree_size:,} entries p50", p50, "ms")
    figure(f"inclusion proof at {args.tree_size:,} entries p99", p99, "ms")
    pg_p99 = pg_p50 = None
    if args.postgres:
        import uuid

        url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}schema=b_{uuid.uuid4().hex[:10]}"
        pg_p99, pg_p50 = proof_latency(tmp / "pg-proofs", args.tree_size, 2000 if args.quick else 10_000,
                                       url)
        figure(f"PostgreSQL inclusion proof at {args.tree_size:,} entries p50", pg_p50, "ms")
        figure(f"PostgreSQL inclusion proof at {args.tree_size:,} entries p99", pg_p99, "ms")
        with psycopg_admin(url) as conn:
            conn.execute(f"DROP SCHEMA {url.rsplit('schema=', 1)[1]} CASCADE")

    settle()
    cp99 = checkpoint_latency(tmp / "cp", 1000, 3 if args.quick else 10)
    figure("checkpoint latency p99 at 1000/s", cp99, "ms")

    result = {
        "sqlite_appends_per_s": round(sqlite_rate),
        "postgres_appends_per_s": round(pg_rate) if pg_rate else None,
        "verify_floor_per_s": round(floor),
        "sqlite_vs_floor": round(sqlite_rate / floor, 3),
        "proof_p50_ms": round(p50, 3),
        "proof_p99_ms": round(p99, 3),
        "proof_tree_size": args.tree_size,
        "postgres_proof_p50_ms": round(pg_p50, 3) if pg_p50 is not None else None,
        "postgres_proof_p99_ms": round(pg_p99, 3) if pg_p99 is not None else None,
        "verify_entries_per_s": round(verify_rate),
        "verify_vs_floor": round(verify_rate / floor, 3),
        "checkpoint_latency_p99_ms": round(cp99, 1),
        "entries": n,
    }
    final_json(result, JSON_KEYS)


if __name__ == "__main__":
    main()
