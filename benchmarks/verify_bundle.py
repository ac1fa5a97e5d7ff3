"""Offline bundle verification: time and peak RSS of ``athar verify`` on a large bundle
and on zip bombs, each in its own process.

    python benchmarks/verify_bundle.py [--quick] [--events N]

Builds, without a workspace (``tests/property/bundles.py``: real signed custody
events, a Merkle tree, a signed checkpoint, the exporter's canonical zip):

* a bundle of 50,000 custody events (500 exhibits x 100; ``--quick``: 10,000);
* ``bomb_members``: a signed manifest naming 16 entries whose members are each
  60 MiB of deflated zeros (a 1 MiB zip standing for ~1 GiB);
* ``bomb_blob``: one 4 GiB deflated blob (4 MiB on disk).

Each is verified by ``athar verify`` in a fresh subprocess; its wall time and
peak RSS (``wait4``: the largest process of the tree) are printed. Baselines
measured in the same run: ``floor_s``, one core checking one Ed25519
signature and one SHA-256 leaf hash per entry (the work no verifier can skip),
and ``idle_rss_mb``, the peak RSS of a process that only imports the verifier.

Targets: peak RSS under 200 MB on every input, whatever the bundle's size
(the non-streaming verifier took 502 MB on 50,000 events and 1.09 GB on
``bomb_members``); zip bombs refused with a clear message in about a second;
time within 2 x the one-core floor. ``--src`` runs another checkout's
verifier (e.g. a worktree of an older commit) for a before/after table.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, ensure_src_on_path, figure, final_json, heading  # noqa: E402

ensure_src_on_path()
sys.path.insert(0, str(ROOT))

MB = 1 << 20

JSON_KEYS = (
    "events", "verify_s", "floor_s", "verify_vs_floor", "verify_rss_mb", "idle_rss_mb",
    "bomb_members_s", "bomb_members_rss_mb", "bomb_members_refused",
    "bomb_blob_s", "bomb_blob_rss_mb", "bomb_blob_refused",
)


# A small process that starts the command and reports its peak RSS. Measuring from
# here would be wrong: Linux carries a parent's peak RSS into a forked child's
# ru_maxrss, and this process holds the bundles it built.
_LAUNCH = """
import json, os, sys, time
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"seconds": time.perf_counter() - t0, "rss_kib": usage.ru_maxrss,
                  "code": os.waitstatus_to_exitcode(status)}))
"""


def run_measured(cmd: list[str], env: dict[str, str] | None = None,
                 ) -> tuple[float, float, int, str]:
    """Run ``cmd`` from a small launcher; return (seconds, peak RSS MiB, exit code, output)."""
    with tempfile.NamedTemporaryFile() as out:
        proc = subprocess.run([sys.executable, "-S", "-c", _LAUNCH, out.name, *cmd],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, **(env or {})})
        r = json.loads(proc.stdout)
        text = Path(out.name).read_text("utf-8", "replace")
    return r["seconds"], round(r["rss_kib"] / 1024, 1), r["code"], text


def athar_verify(bundle: Path, vkey: str, *extra: str) -> list[str]:
    """The ``athar verify`` command line (the installed script's own entry point)."""
    return [sys.executable, "-c", "import sys; from athar.cli import main; sys.exit(main())",
            "verify", str(bundle), "--key", vkey, *extra]


_SRC_ENV: dict[str, str] = {}
"""``--src DIR``: run the verifier from another checkout's ``src`` (a before/after run)."""


def make_large(tmp: Path, exhibits: int, per: int) -> tuple[Path, int]:
    from tests.property.bundles import story, zip_files

    b = story(exhibits, per)
    path = tmp / "large.zip"
    zip_files(b.files(b.exhibits), path)
    return path, len(b.entries)


def make_bomb_members(tmp: Path) -> Path:
    """A signed checkpoint and a valid manifest naming 16 entries, each 60 MiB of zeros."""
    from athar.ledger.checkpoint import Checkpoint
    from athar.ledger.entry import canonical_json
    from athar.ledger.note import sign
    from athar.report.verify import BUNDLE_FORMAT
    from tests.property.bundles import LOG, ORIGIN

    n = 16
    manifest = {"format": BUNDLE_FORMAT, "origin": ORIGIN, "tree_size": n, "exhibits": [],
                "entries": [{"index": i, "proof": ["00" * 32] * 4} for i in range(n)],
                "blobs": [], "disclosures": [], "index": {"entry": n - 1, "names": []}}
    cp = Checkpoint(ORIGIN, n, bytes(32))
    path = tmp / "bomb-members.zip"
    zeros = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("manifest.json", canonical_json(manifest))
        zf.writestr("checkpoint.txt", sign(cp.to_text(), [LOG]))
        zf.writestr("actors.json", b'{"actors":{}}')
        for i in range(n):
            with zf.open(f"entries/{i}.json", "w", force_zip64=True) as f:
                for _ in range(60):
                    f.write(zeros)
    return path


def make_bomb_blob(tmp: Path, gib: int) -> Path:
    """A valid small bundle whose manifest lists one blob: ``gib`` GiB of deflated zeros."""
    import hashlib
    import json

    from athar.ledger.entry import canonical_json
    from tests.property.bundles import story

    b = story(1, 2)
    files = b.files(b.exhibits)
    path = tmp / "bomb-blob.zip"
    zeros = bytes(MB)
    digest = hashlib.sha256()
    for _ in range(gib * 1024):
        digest.update(zeros)
    manifest = json.loads(files["manifest.json"])
    manifest["blobs"] = [digest.hexdigest()]
    files["manifest.json"] = canonical_json(manifest)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        with zf.open(f"blobs/{digest.hexdigest()}", "w", force_zip64=True) as f:
            for _ in range(gib * 1024):
                f.write(zeros)
    return path


def floor_seconds(entries: int) -> float:
    """One core: one Ed25519 verification and one SHA-256 leaf hash per entry."""
    from athar.ledger.hashing import leaf_hash
    from athar.ledger.note import Signer

    s = Signer.from_seed("floor", bytes(32))
    v = s.verifier()
    msg = b"x" * 600
    sig = s.sign_bytes(msg)
    sample = min(entries, 5000)
    t0 = time.perf_counter()
    for _ in range(sample):
        leaf_hash(msg)
        v.verify(msg, sig)
    return (time.perf_counter() - t0) * entries / sample


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="10,000 events, a 1 GiB blob bomb")
    p.add_argument("--events", type=int, default=None, help="custody events in the bundle")
    p.add_argument("--src", type=Path, default=None,
                   help="verify with the athar package under this src folder")
    args = p.parse_args()
    if args.src is not None:
        _SRC_ENV["PYTHONPATH"] = str(args.src.resolve())
    events = args.events or (10_000 if args.quick else 50_000)
    exhibits, per = max(1, events // 100), 100
    from tests.property.bundles import LOG

    vkey = LOG.vkey
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="athar-bench-", dir=os.environ.get("TMPDIR")) as d:
        tmp = Path(d)
        heading("baselines (same run)")
        idle_s, idle_rss, _, _ = run_measured([sys.executable, "-c",
                                               "import athar.cli, athar.report.verify"],
                                              _SRC_ENV)
        figure("import-only process peak RSS", idle_rss, "MiB")
        t0 = time.perf_counter()
        large, n = make_large(tmp, exhibits, per)
        figure("build the bundle (not timed below)", time.perf_counter() - t0, "s")
        floor = floor_seconds(n)
        figure(f"one-core floor for {n:,} entries", floor, "s")

        heading(f"athar verify: {n:,} entries ({large.stat().st_size / MB:.1f} MiB zip)")
        secs, rss, code, out = run_measured(athar_verify(large, vkey), _SRC_ENV)
        if code != 0:
            raise SystemExit(f"the large bundle did not verify:\n{out[-2000:]}")
        figure("wall time", secs, "s")
        figure("ratio to the one-core floor", secs / floor)
        figure("peak RSS", rss, "MiB")
        figure("peak RSS above the import-only process", rss - idle_rss, "MiB")
        result.update({"events": n, "verify_s": round(secs, 2), "floor_s": round(floor, 2),
                       "verify_vs_floor": round(secs / floor, 2), "verify_rss_mb": rss,
                       "idle_rss_mb": idle_rss})

        for label, path in (("bomb_members", make_bomb_members(tmp)),
                            ("bomb_blob", make_bomb_blob(tmp, 1 if args.quick else 4))):
            heading(f"athar verify: {label} ({path.stat().st_size / MB:.2f} MiB zip)")
            secs, rss, code, out = run_measured(athar_verify(path, vkey), _SRC_ENV)
            lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
            first = next((ln for ln in lines if ln.startswith("ERROR")), lines[0] if lines else "")
            figure("wall time", secs, "s")
            figure("peak RSS", rss, "MiB")
            figure("exit code", code)
            print(f"  says: {first[:150]}")
            result.update({f"{label}_s": round(secs, 2), f"{label}_rss_mb": rss,
                           f"{label}_refused": code != 0})
    final_json(result, JSON_KEYS)


if __name__ == "__main__":
    main()
