"""``athar log verify --from-scratch`` on a log of N entries: the old inline pass and the replay.

    python benchmarks/log_audit.py [--entries 100000]

Builds a workspace whose log holds N entries (actors, custody events of
exhibits passed between them, notes), then times:

* ``inline_s``: the tree audit with each entry's form and signature checked
  inline, on one core (what ``--from-scratch`` did before);
* ``replay_s``: ``--from-scratch`` now: every entry replayed into an empty
  database through the hooks, signatures checked in worker processes (one per
  core), the derived tables compared and the committed secrets opened.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_src_on_path, figure, final_json, heading  # noqa: E402

ensure_src_on_path()

JSON_KEYS = ("entries", "inline_s", "replay_s", "cores")


def build(home: Path, n: int) -> None:
    from athar.custody.events import build_entry
    from athar.ledger.entry import Entry
    from athar.ledger.hashing import leaf_hash
    from athar.ledger.note import Signer
    from athar.workspace import Workspace

    ws = Workspace.init(home)
    log = ws.log()
    cus = Signer.generate("cus")
    log.append(Entry.create("actor.registered", {"actor_id": "cus", "name": "C", "actor_type":
                                                 "person", "vkey": cus.vkey,
                                                 "roles": ["custodian"]}, ws.admin_signer))
    batch, ctx, heads = [], [], {}
    for i in range(n - 2):
        code = f"E-{i % 2000:05d}"
        action = "registered" if code not in heads else "stored"
        public = {"exhibit_kind": "physical", "parent": None} if action == "registered" else None
        when = f"2024-05-01T{(i // 2000) // 60 % 24:02d}:{(i // 2000) % 60:02d}:00Z"
        entry, openings = build_entry(action, code, heads.get(code), cus, at=when, public=public,
                                      private={"notes": f"n{i}"} if action == "stored" else None)
        heads[code] = leaf_hash(entry.to_bytes()).hex()
        batch.append(entry)
        ctx.append(tuple(openings))
        if len(batch) == 5000:
            log.append_many(batch, ctx)
            batch, ctx = [], []
    if batch:
        log.append_many(batch, ctx)
    log.publish_checkpoint()
    ws.close()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--entries", type=int, default=100_000)
    args = p.parse_args()
    import os

    from athar.log.audit import Rebuild, audit_log
    from athar.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "ws"
        heading(f"building a log of {args.entries:,} entries")
        build(home, args.entries)
        ws = Workspace.open(home)
        log = ws.log()
        verifier = ws.log_signer.verifier()
        t = time.perf_counter()
        r = audit_log(log, verifier, from_scratch=True)
        inline = time.perf_counter() - t
        assert r.ok, r.problem
        from athar.custody.audit import check_secrets
        from athar.custody.hook import CustodyHook
        from athar.custody.index import index_values

        def hooks(replay):  # type: ignore[no-untyped-def]
            replay.register_hook(CustodyHook())
            replay.set_index_source(index_values, replay=True)

        rebuild = Rebuild(hooks, [("actors", "actor_id"), ("actor_keys", "vkey"),
                                  ("actor_roles", "actor_id, role"),
                                  ("custody_exhibits", "exhibit_id"),
                                  ("custody_events", "exhibit_id, idx")], [check_secrets])
        t = time.perf_counter()
        r = audit_log(log, verifier, from_scratch=True, rebuild=rebuild)
        replay = time.perf_counter() - t
        assert r.ok, r.problem
        ws.close()
    figure("inline signature pass (before)", f"{inline:.1f}", "s")
    figure("replay from scratch (now)", f"{replay:.1f}", "s")
    final_json({"entries": args.entries, "inline_s": round(inline, 2),
                "replay_s": round(replay, 2), "cores": os.cpu_count()}, JSON_KEYS)


if __name__ == "__main__":
    main()
