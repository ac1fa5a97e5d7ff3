"""Run every harness in ``fuzz/`` and count the inputs that raised anything but AtharError.

    python fuzz/run.py                       # 10**6 inputs per parser, all cores
    python fuzz/run.py --count 5000 --seed 1 # a short seeded run
    python fuzz/run.py --only ledger_tiles   # one harness

Uses the seeded mutation fuzzer of ``_fuzzlib`` (deterministic for a given
seed, whether or not atheris is installed); for coverage-guided fuzzing run a
harness directly under atheris. Harnesses without ``TARGETS`` (written for
atheris alone, such as ``intake_extract``) run as one target
(``--other-count`` inputs, by default as many).
Exit status 1 if any input raised. The last stdout line is a JSON object:
``{target: {"inputs": n, "failures": n, "seconds": s}}``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import types
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _fuzzlib  # noqa: E402


def harness_paths() -> list[Path]:
    """Every harness file in ``fuzz/`` (not the engine or this runner)."""
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_")
                  and p.name != "run.py")


def load(path: Path) -> types.ModuleType:
    """Import a harness by path (the atheris stand-in installed first if needed)."""
    _fuzzlib.install_shim()
    name = f"_fuzz_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def targets_of(mod: types.ModuleType) -> dict[str, object]:
    """The harness's parser targets, or its atheris entry point as one target."""
    return dict(getattr(mod, "TARGETS", None) or {mod.__name__[6:]: mod.test_one_input})


def _job(path: str, target: str, count: int, seed: int) -> _fuzzlib.Result:
    mod = load(Path(path))
    fn = targets_of(mod)[target]
    return _fuzzlib.fuzz_target(target, fn, getattr(mod, "SEEDS", ()), count, seed)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=1_000_000, help="inputs per parser target")
    p.add_argument("--other-count", type=int, default=None,
                   help="inputs for harnesses without parser targets (e.g. intake_extract); "
                   "default: --count")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--only", action="append", default=[], help="harness name (repeatable)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = p.parse_args(argv)
    jobs = []
    for path in harness_paths():
        if args.only and path.stem not in args.only:
            continue
        mod = load(path)
        if getattr(mod, "AGGREGATE", False) and not args.only:
            continue
        other = args.count if args.other_count is None else args.other_count
        count = args.count if hasattr(mod, "TARGETS") else other
        jobs += [(str(path), t, count, args.seed) for t in targets_of(mod)]
    summary: dict[str, dict[str, float]] = {}
    bad = 0
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        futures = [(j, pool.submit(_job, *j)) for j in jobs]
        for (path, target, _, _), fut in futures:
            r = fut.result()
            bad += r.failures
            summary[target] = {"inputs": r.inputs, "failures": r.failures,
                               "seconds": round(r.seconds, 1)}
            print(f"{Path(path).stem:20} {target:34} {r.inputs:>10,} inputs "
                  f"{r.failures:>6} non-AtharError  {r.seconds:8.1f} s", flush=True)
            for data, msg in r.examples:
                print(f"    {data[:100]!r}: {msg}", flush=True)
    print(json.dumps(summary, sort_keys=True, separators=(",", ":")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
