"""CLI start-up: wall time of ``athar --help`` and ``athar verify --help``, and the import time.

    python benchmarks/cli_startup.py [--quick] [--runs N]

Each command runs ``N`` times (30; ``--quick``: 10) in a fresh process after two warm-up
runs, as hyperfine does, the commands taking turns round by round, through the
installed ``athar`` script beside this interpreter (or ``python -c 'from athar.cli
import main; main()'`` from the source tree when it is not installed). Figures are
medians; min and max are printed too (on a shared machine the minimum is the run least
disturbed by other work).

Baselines measured in the same run: ``python_baseline_s``, an interpreter that does
nothing (``python -c pass``); ``typer_floor_s``, one that only imports Typer and Rich
(what any Typer CLI pays before its own code); and ``typer_subcommand_help_s``, a
two-command Typer app's ``verify --help`` (a subcommand's help loads Typer's rich help
formatter and, to coerce the group's unset flags, pydantic, which ``athar`` avoids:
see ``_UNSET_FLAGS`` in ``athar/cli/__init__.py``). ``cli_import_s`` is the cumulative
time of ``import athar.cli`` reported by ``python -X importtime`` (median of 5), and
the heaviest imports below it are listed. The CPU time (user + system) of each run is
measured too: it varies far less than the wall time when other work shares the machine.

Target (issue 13): ``athar --help`` and ``athar verify --help`` under 0.3 s.
The LAST stdout line is one JSON object with :data:`JSON_KEYS`.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, figure, final_json, heading  # noqa: E402

JSON_KEYS = (
    "cli_help_s", "verify_help_s", "python_baseline_s", "typer_floor_s", "typer_subcommand_help_s",
    "cli_import_s", "cli_help_vs_baseline", "verify_help_vs_baseline", "verify_help_vs_typer",
    "cli_help_min_s", "verify_help_min_s", "cli_help_max_s", "verify_help_max_s", "cli_help_cpu_s",
    "verify_help_cpu_s", "target_s", "runs", "installed_script", "load_average",
)
TARGET_S = 0.3
TYPER_APP = """
import typer

app = typer.Typer(no_args_is_help=True)


@app.command()
def verify(bundle: str, key: str = typer.Option(..., "--key", help="A key.")) -> None:
    \"\"\"Verify a bundle.\"\"\"


@app.command()
def export(code: str) -> None:
    \"\"\"Export.\"\"\"


app()
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATHAR_")}
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def athar_command() -> tuple[list[str], bool]:
    """The command that starts ``athar``, and whether it is the installed script."""
    exe = Path(sys.executable).with_name("athar")
    if exe.exists():
        return [str(exe)], True
    return [sys.executable, "-c", "from athar.cli import main; main()"], False


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_rounds(cmds: dict[str, list[str]], runs: int, cwd: Path
               ) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU (user + system) times of ``runs`` fresh runs of each command.

    The commands take turns, one run each per round after two warm-up rounds, so a burst of
    other work on the machine falls on all of them alike. Each run must succeed.
    """
    env = _env()
    out: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in cmds}
    for i in range(runs + 2):
        for label, cmd in cmds.items():
            c0, t0 = _children_cpu(), time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  cwd=cwd, env=env, check=False)
            elapsed, used = time.perf_counter() - t0, _children_cpu() - c0
            if proc.returncode != 0:
                raise SystemExit(f"{label} failed ({proc.returncode}): {proc.stderr[-500:]!r}")
            if i >= 2:
                out[label][0].append(elapsed)
                out[label][1].append(used)
    return out


def import_time(module: str, cwd: Path, top: int = 6) -> tuple[float, list[tuple[float, str]]]:
    """Cumulative ``-X importtime`` seconds of ``module`` and its ``top`` heaviest sub-imports."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, cwd=cwd, env=_env(), check=True)
    rows: list[tuple[float, str]] = []
    total = 0.0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if not m:
            continue
        cumulative, depth, name = int(m.group(1)) / 1e6, len(m.group(2)), m.group(3)
        if name == module and depth == 1:
            total = cumulative
        elif depth == 3:
            rows.append((cumulative, name))
    return total, sorted(rows, reverse=True)[:top]


def _show(label: str, times: list[float]) -> float:
    med = statistics.median(times)
    figure(label, med, f"s  (min {min(times):.3f}, max {max(times):.3f})")
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10 runs per command instead of 30")
    ap.add_argument("--runs", type=int, default=None)
    args = ap.parse_args()
    runs = args.runs or (10 if args.quick else 30)
    athar, installed = athar_command()
    with tempfile.TemporaryDirectory(prefix="athar-bench-") as d:
        cwd = Path(d)
        heading(f"CLI start-up ({runs} runs each, medians; target < {TARGET_S} s)")
        load = os.getloadavg()[0]
        figure("load average (1 min) at the start", load)
        figure("athar", " ".join(athar) if installed else "python -c (source tree)")
        (cwd / "typer_app.py").write_text(TYPER_APP, encoding="utf-8")
        res = run_rounds({
            "python -c pass (baseline)": [sys.executable, "-c", "pass"],
            "import typer, rich (floor)": [sys.executable, "-c", "import typer, rich.console"],
            "2-command Typer app: verify --help": [sys.executable, str(cwd / "typer_app.py"),
                                                   "verify", "--help"],
            "athar --help": [*athar, "--help"],
            "athar verify --help": [*athar, "verify", "--help"],
        }, runs, cwd)
        base, floor, typer_sub, cli_help, verify_help = (_show(k, v[0]) for k, v in res.items())
        help_times, help_cpu = res["athar --help"]
        verify_times, verify_cpu = res["athar verify --help"]
        figure("athar --help, CPU (user + system)", statistics.median(help_cpu), "s")
        figure("athar verify --help, CPU", statistics.median(verify_cpu), "s")
        imports = [import_time("athar.cli", cwd) for _ in range(5)]
        cli_import = statistics.median(t for t, _ in imports)
        figure("import athar.cli (-X importtime)", cli_import, "s")
        for seconds, name in imports[0][1]:
            figure(f"  {name}", seconds, "s")
        heading("Ratios to the baseline")
        figure("athar --help / python -c pass", cli_help / base)
        figure("athar verify --help / python -c pass", verify_help / base)
        figure("athar --help above the Typer floor", cli_help - floor, "s")
        figure("athar verify --help / Typer app's", verify_help / typer_sub)
        for label, value in (("athar --help", cli_help), ("athar verify --help", verify_help)):
            if value >= TARGET_S:
                print(f"  WARNING: {label} takes {value:.3f} s, over the {TARGET_S} s target")
    final_json({
        "cli_help_s": round(cli_help, 4),
        "verify_help_s": round(verify_help, 4),
        "python_baseline_s": round(base, 4),
        "typer_floor_s": round(floor, 4),
        "typer_subcommand_help_s": round(typer_sub, 4),
        "verify_help_vs_typer": round(verify_help / typer_sub, 2),
        "cli_import_s": round(cli_import, 4),
        "cli_help_vs_baseline": round(cli_help / base, 2),
        "verify_help_vs_baseline": round(verify_help / base, 2),
        "cli_help_min_s": round(min(help_times), 4),
        "verify_help_min_s": round(min(verify_times), 4),
        "cli_help_max_s": round(max(help_times), 4),
        "verify_help_max_s": round(max(verify_times), 4),
        "cli_help_cpu_s": round(statistics.median(help_cpu), 4),
        "verify_help_cpu_s": round(statistics.median(verify_cpu), 4),
        "load_average": round(load, 2),
        "target_s": TARGET_S,
        "runs": runs,
        "installed_script": installed,
    }, JSON_KEYS)


if __name__ == "__main__":
    main()
