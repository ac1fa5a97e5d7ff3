"""The real-report benchmark and the shared real set: skips cleanly without the set, and
every real report extracts with exact spans (the set is read in place, never copied)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from athar.intake import extract

ROOT = Path(__file__).resolve().parents[3]
REAL = Path(os.environ.get("ATHAR_REAL_CORPUS", ROOT.parent / "shared" / "corpus" / "real"))


def test_benchmark_skips_without_the_real_set(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "intake_real.py"), "--quick",
                           "--gold", str(tmp_path / "absent")], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    assert last["benchmark"] == "intake_real" and "skipped" in last


@pytest.mark.skipif(not (REAL / "score.py").is_file(), reason="the shared real set is absent")
def test_every_real_report_extracts_with_exact_spans() -> None:
    for path in sorted(REAL.glob("[0-9]*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = doc["text"]
        x = extract(text, published=doc.get("published") or doc.get("published_inferred"),
                    source=doc.get("source_name"), vague_figures=True)
        for c in x.claims:
            assert text[c.start:c.end] == c.claim, path.name
        for item in [*x.places, *x.dates, *x.agents, *x.casualties, *x.alleged_perpetrators]:
            assert text[item.start:item.end] == item.as_written, path.name
