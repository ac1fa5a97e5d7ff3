"""CI runs every harness in ``fuzz/``: a short, seeded run of each parser target.

The full campaign (``python fuzz/run.py``: 10**6 inputs per parser) runs
outside the test suite; this keeps every harness importable, running and at
0 failures on each commit. Seeded, so a failure here reproduces exactly with
``python fuzz/run.py --count 3000 --seed 0 --only <harness>``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
COUNT = 3000


def _runner():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_fuzz_runner", FUZZ / "run.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_fuzz_runner"] = mod
    spec.loader.exec_module(mod)
    return mod


run = _runner()
HARNESSES = run.harness_paths()


def test_every_parser_family_has_a_harness() -> None:
    names = {p.stem for p in HARNESSES}
    assert {"ledger_note", "ledger_keys", "ledger_checkpoint", "ledger_tiles", "ledger_entry",
            "custody_disclosure", "report_bundle", "report_manifest", "intake_extract"} <= names


@pytest.mark.parametrize("path", HARNESSES, ids=[p.stem for p in HARNESSES])
def test_harness_short_seeded_run(path: Path) -> None:
    mod = run.load(path)
    targets = run.targets_of(mod)
    assert targets, f"{path.name} defines no targets"
    count = getattr(mod, "CI_COUNT", COUNT)
    if getattr(mod, "AGGREGATE", False):
        count //= 3
    for name, fn in targets.items():
        r = run._fuzzlib.fuzz_target(name, fn, getattr(mod, "SEEDS", ()), count, seed=0)
        assert r.inputs == count
        assert r.failures == 0, (name, r.examples)


def test_atheris_entry_point_dispatches_to_every_target() -> None:
    mod = run.load(FUZZ / "ledger_tiles.py")
    for first in range(len(mod.TARGETS)):
        mod.test_one_input(bytes([first]) + b"tile/0/000")


def test_a_failing_target_is_counted() -> None:
    def target(data: bytes) -> None:
        if b"x" in data:
            raise ValueError("boom")

    r = run._fuzzlib.fuzz_target("t", target, [b"xyz", b"abc"], 200, seed=1)
    assert r.failures >= 1 and r.examples[0][1] == "ValueError: boom"
