"""Web API benchmark: read routes under load, and a large streamed upload with flat server memory.

The app runs as ``athar serve`` (uvicorn, one process) on 127.0.0.1 over a
fresh workspace filled with signed note entries and the sample reports of
``examples/reports``. The load generator is a separate process on loopback:
``wrk`` when installed (``apt-get install wrk``), else a Python asyncio/httpx
client (``--client python`` forces it). Each read route is loaded for
``--seconds`` (random entry indices for ``entries/{i}`` and ``proof/inclusion``);
the baseline is a bare uvicorn app (one FastAPI route returning a constant)
under the same load, measured in the same run.

Then a ``--upload-mb`` file (1 GiB; 200 MiB with ``--quick``) streams to the
exhibits upload route (``POST /api/v1/exhibits``, octet-stream) -- or the reports
upload route when the exhibits one is missing -- while the server's resident
set size is sampled from ``/proc`` every 20 ms: it must stay flat.

Last stdout line, one JSON object: ``read_rps`` (the slowest read route's
requests/s), ``read_p99_ms`` (the worst route's p99), ``upload_peak_rss_mb``,
``upload_rss_growth_mb`` (peak during the upload minus the RSS just before it),
``baseline_rps``, ``baseline_p99_ms``, ``read_vs_baseline`` and per-route figures.
Targets: read routes >= 500 requests/s with p99 <= 50 ms; the upload leaves
the server's memory flat.

    python benchmarks/api.py [--quick] [--seconds S] [--upload-mb N] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, ensure_src_on_path, figure, final_json, heading, rate, timer  # noqa: E402

ensure_src_on_path()

HOST = "127.0.0.1"
PASSWORD = "benchmark password"
TARGET_RPS, TARGET_P99_MS = 500, 50.0
WRK = shutil.which("wrk")

BASELINE_APP = """
import sys
import uvicorn
from fastapi import FastAPI

app = FastAPI()

@app.get("/hello")
def hello() -> dict:
    return {"hello": "world"}

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""

SERVE = "import sys; from athar.cli import main; sys.argv[0] = 'athar'; main()"


# -- setup ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def fill_workspace(home: Path, entries: int) -> tuple[str, int, int]:
    """A workspace with ``entries`` notes and the sample reports; an admin API token."""
    from athar.accounts.users import Accounts
    from athar.ledger.entry import Entry
    from athar.workspace import Workspace

    ws = Workspace.init(home)
    try:
        log = ws.log()
        signer = ws.admin_signer
        batch = 500
        for start in range(0, entries, batch):
            items = [Entry.create("note", {"text": f"benchmark note {i}"}, signer)
                     for i in range(start, min(entries, start + batch))]
            log.append_many(items)
        reports = 0
        try:
            from athar.incidents.service import ReportMeta, ingest_paths
            from athar.incidents.store import ReportStore
        except ModuleNotFoundError:
            pass
        else:
            ingest_paths(ReportStore(log), signer, [ROOT / "examples" / "reports"], ReportMeta())
            reports = len(ReportStore(log).all())
        accounts = Accounts(log.db)
        accounts.add("bench", ["admin"], PASSWORD)
        token = accounts.create_token("bench", "benchmark")
        # Wait for the checkpoint covering everything, so proofs span the whole log.
        deadline = time.monotonic() + 30
        while log.latest_checkpoint().size < log.size() and time.monotonic() < deadline:
            time.sleep(0.05)
        return token, log.latest_checkpoint().size, reports
    finally:
        ws.close()


def start(cmd: list[str], port: int, probe: str, logfile: Path, headers: dict[str, str] | None = None,
          env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    import httpx

    with logfile.open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {logfile.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://{HOST}:{port}{probe}", headers=headers, timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"server on port {port} did not answer {probe}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- load ----------------------------------------------------------------------------------------

LUA_RANDOM = """
math.randomseed(%(seed)d)
request = function()
  local i = math.random(0, %(hi)d)
  return wrk.format("GET", string.format(%(fmt)s, i))
end
"""


def _wrk_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load_wrk(url: str, path: str, seconds: float, headers: dict[str, str], random_hi: int | None,
             connections: int, workdir: Path) -> dict[str, float]:
    """Run wrk against ``url + path`` (``{i}`` in path: a random index in [0, random_hi])."""
    cmd = [WRK, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "5s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    if random_hi is not None:
        script = workdir / f"random-{abs(hash(path))}.lua"
        script.write_text(LUA_RANDOM % {"seed": 7, "hi": random_hi,
                                         "fmt": json.dumps(path.replace("{i}", "%d"))})
        cmd += ["-s", str(script)]
        path = path.replace("{i}", "0")
    out = subprocess.run(cmd + [url + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p = {m.group(1): _wrk_ms(m.group(2), m.group(3))
         for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    return {"rps": rps, "p50_ms": p.get("50", float("nan")), "p99_ms": p.get("99", float("nan")),
            "requests": int(total.group(1)) if total else 0,
            "bad": (int(non2xx.group(1)) if non2xx else 0)
            + (sum(map(int, errors.groups())) if errors else 0)}


PY_CLIENT = r"""
import asyncio, json, random, sys, time
import httpx

url, path = sys.argv[1], sys.argv[2]
seconds, hi, conns = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
headers = json.loads(sys.argv[6])
lat, bad = [], 0

async def worker(client, stop_at, rnd):
    global bad
    while time.perf_counter() < stop_at:
        p = path.replace("{i}", str(rnd.randint(0, hi))) if hi >= 0 else path
        t0 = time.perf_counter()
        try:
            r = await client.get(p)
            ok = r.status_code == 200
        except httpx.HTTPError:
            ok = False
        lat.append(time.perf_counter() - t0)
        bad += not ok

async def main():
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=5) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client, t0 + seconds, random.Random(i)) for i in range(conns)))
        return time.perf_counter() - t0

elapsed = asyncio.run(main())
lat.sort()
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000 if lat else float("nan")
print(json.dumps({"rps": len(lat) / elapsed, "p50_ms": q(0.5), "p99_ms": q(0.99),
                  "requests": len(lat), "bad": bad}))
"""


def load_python(url: str, path: str, seconds: float, headers: dict[str, str], random_hi: int | None,
                connections: int, workdir: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PY_CLIENT, url, path, str(seconds),
                          str(-1 if random_hi is None else random_hi), str(connections),
                          json.dumps(headers)], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- upload --------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB, from /proc (its children's included)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def upload(url: str, path: str, mb: int, headers: dict[str, str], server_pid: int,
           multipart: bool) -> dict[str, float]:
    """Stream ``mb`` MiB of pseudo-random bytes to ``path`` while sampling the server's RSS."""
    import httpx

    chunk = os.urandom(1 << 20)
    samples: list[tuple[float, float]] = []
    done = threading.Event()

    def sample() -> None:
        t0 = time.perf_counter()
        while not done.is_set():
            samples.append((time.perf_counter() - t0, rss_mb(server_pid)))
            time.sleep(0.02)

    def body():
        for i in range(mb):
            # vary every MiB so nothing downstream can deduplicate it
            yield i.to_bytes(8, "big") + chunk[8:]

    before = rss_mb(server_pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with timer() as elapsed, httpx.Client(timeout=600, headers=headers) as client:
        if multipart:
            boundary = "athar-benchmark-boundary"
            head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                    f"filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
            tail = f"\r\n--{boundary}--\r\n".encode()

            def mp():
                yield head
                yield from body()
                yield tail
            r = client.post(url + path, content=mp(), headers={
                "content-type": f"multipart/form-data; boundary={boundary}",
                "content-length": str(len(head) + len(tail) + mb * (1 << 20))})
        else:
            r = client.post(url + path + "?name=big.bin", content=body(), headers={
                "content-type": "application/octet-stream", "content-length": str(mb * (1 << 20))})
    done.set()
    sampler.join()
    after = rss_mb(server_pid)
    peak = max((s for _, s in samples), default=after)
    return {"status": r.status_code, "body": r.text[:200], "seconds": elapsed(),
            "mb_per_s": rate(mb, elapsed()), "rss_before_mb": before, "rss_peak_mb": peak,
            "rss_after_mb": after, "samples": len(samples)}


# -- main ----------------------------------------------------------------------------------------

# The keys of the final JSON line (docs/performance.md cites them; see _common.final_json).
JSON_KEYS = (
    "read_rps", "read_p99_ms", "upload_peak_rss_mb", "upload_rss_before_mb", "upload_rss_growth_mb",
    "upload_mb", "upload_status", "upload_mib_per_s", "upload_route", "baseline_rps",
    "baseline_p99_ms", "read_vs_baseline", "routes", "client", "connections", "seconds_per_route",
    "quick",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="200 MiB upload")
    ap.add_argument("--seconds", type=float, default=None, help="load per route (default 10; 20 full)")
    ap.add_argument("--upload-mb", type=int, default=None, help="upload size in MiB (1024; 200 quick)")
    ap.add_argument("--entries", type=int, default=None, help="note entries in the log")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--client", choices=["wrk", "python"], default="wrk" if WRK else "python")
    args = ap.parse_args()
    seconds = args.seconds or (10.0 if args.quick else 20.0)
    upload_mb = args.upload_mb or (200 if args.quick else 1024)
    entries = args.entries or (2_000 if args.quick else 20_000)
    load = load_wrk if args.client == "wrk" else load_python

    tmp = Path(tempfile.mkdtemp(prefix="athar-bench-api-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        heading(f"Setup: {entries:,} entries, sample reports; load: {args.client}, "
                f"{args.connections} connections, {seconds:g} s per route")
        with timer() as t:
            token, size, reports = fill_workspace(tmp / "ws", entries)
        figure("log size (checkpointed)", size)
        figure("reports", reports)
        figure("setup", t(), "s")
        auth = {"Authorization": f"Bearer {token}"}

        # Baseline: a bare uvicorn + FastAPI app, same client, same load.
        bport = free_port()
        base = start([sys.executable, "-c", BASELINE_APP, str(bport)], bport, "/hello", tmp / "baseline.log")
        procs.append(base)
        burl = f"http://{HOST}:{bport}"
        load(burl, "/hello", min(seconds, 3), {}, None, args.connections, tmp)  # warm-up
        baseline = load(burl, "/hello", seconds, {}, None, args.connections, tmp)
        stop(base)
        procs.remove(base)
        heading("Baseline (bare uvicorn + FastAPI, GET /hello)")
        figure("requests/s", baseline["rps"])
        figure("p99", baseline["p99_ms"], "ms")

        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        server = start([sys.executable, "-c", SERVE, "serve", "--home", str(tmp / "ws"), "--host", HOST,
                        "--port", str(port)], port, "/api/v1/log/checkpoint", tmp / "server.log", auth, env)
        procs.append(server)
        url = f"http://{HOST}:{port}"
        import httpx

        have = {p for p in httpx.get(url + "/api/openapi.json").json()["paths"]}
        routes = [("checkpoint", "/api/v1/log/checkpoint", None),
                  ("entries/{i}", "/api/v1/log/entries/{i}", size - 1),
                  ("proof/inclusion", "/api/v1/log/proof/inclusion?index={i}", size - 1)]
        if "/api/v1/reports" in have:
            routes.append(("reports list", "/api/v1/reports", None))
        if "/api/v1/incidents" in have:
            routes.append(("incidents list", "/api/v1/incidents", None))
        load(url, "/api/v1/log/checkpoint", min(seconds, 3), auth, None, args.connections, tmp)  # warm-up
        results: dict[str, dict[str, float]] = {}
        heading("Read routes (athar serve, one uvicorn process)")
        for name, path, hi in routes:
            r = load(url, path, seconds, auth, hi, args.connections, tmp)
            results[name] = r
            ok = r["rps"] >= TARGET_RPS and r["p99_ms"] <= TARGET_P99_MS and not r["bad"]
            figure(name, f"{r['rps']:,.0f} req/s  p50 {r['p50_ms']:.1f} ms  p99 {r['p99_ms']:.1f} ms"
                   f"  ({r['requests']:,} requests, {r['bad']} bad){'' if ok else '  << target'}")

        if "/api/v1/exhibits" in have:
            up_path, multipart = "/api/v1/exhibits", False
        else:
            up_path, multipart = "/api/v1/reports", True
        heading(f"Upload {upload_mb:,} MiB to POST {up_path} (server RSS sampled every 20 ms)")
        up = upload(url, up_path, upload_mb, auth, server.pid, multipart)
        figure("status", f"{up['status']} {up['body'][:100]}")
        figure("time", up["seconds"], "s")
        figure("throughput", up["mb_per_s"], "MiB/s")
        figure("server RSS before", up["rss_before_mb"], "MiB")
        figure("server RSS peak during upload", up["rss_peak_mb"], "MiB")
        figure("server RSS after", up["rss_after_mb"], "MiB")
        stop(server)
        procs.remove(server)

        read_rps = min(r["rps"] for r in results.values())
        read_p99 = max(r["p99_ms"] for r in results.values())
        growth = up["rss_peak_mb"] - up["rss_before_mb"]
        heading("Summary")
        figure("slowest read route", f"{read_rps:,.0f} req/s (target >= {TARGET_RPS})")
        figure("worst read p99", f"{read_p99:.1f} ms (target <= {TARGET_P99_MS:g})")
        figure("read vs bare uvicorn", f"{read_rps / baseline['rps']:.2f}x")
        figure("upload RSS growth", f"{growth:.1f} MiB for {upload_mb:,} MiB uploaded")
        final_json({
            "read_rps": round(read_rps, 1),
            "read_p99_ms": round(read_p99, 2),
            "upload_peak_rss_mb": round(up["rss_peak_mb"], 1),
            "upload_rss_before_mb": round(up["rss_before_mb"], 1),
            "upload_rss_growth_mb": round(growth, 1),
            "upload_mb": upload_mb,
            "upload_status": up["status"],
            "upload_mib_per_s": round(up["mb_per_s"], 1),
            "upload_route": up_path,
            "baseline_rps": round(baseline["rps"], 1),
            "baseline_p99_ms": round(baseline["p99_ms"], 2),
            "read_vs_baseline": round(read_rps / baseline["rps"], 3),
            "routes": {k: {"rps": round(v["rps"], 1), "p99_ms": round(v["p99_ms"], 2), "bad": v["bad"]}
                       for k, v in results.items()},
            "client": args.client,
            "connections": args.connections,
            "seconds_per_route": seconds,
            "quick": args.quick,
        }, JSON_KEYS)
    finally:
        for p in procs:
            p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
