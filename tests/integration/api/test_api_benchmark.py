"""benchmarks/api.py runs end to end (tiny sizes) and ends with its JSON line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize("client", [
    "python",
    pytest.param("wrk", marks=pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")),
])
def test_api_benchmark_reports_its_figures(client):
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "api.py"), "--seconds", "1", "--upload-mb", "24",
         "--entries", "300", "--client", client],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("read_rps", "read_p99_ms", "upload_peak_rss_mb", "baseline_rps", "read_vs_baseline"):
        assert isinstance(result[key], int | float) and result[key] > 0, (key, result)
    assert result["upload_status"] in (200, 201), result
    assert set(result["routes"]) >= {"checkpoint", "entries/{i}", "proof/inclusion"}
    assert all(r["bad"] == 0 for r in result["routes"].values()), result["routes"]
    # 24 MiB went through; the server must not have held it in memory.
    assert result["upload_rss_growth_mb"] < 16, result
