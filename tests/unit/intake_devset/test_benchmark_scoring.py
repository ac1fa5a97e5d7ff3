"""The intake benchmark's scorer: gold against itself is perfect, nothing is zero."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("bench_intake", ROOT / "benchmarks" / "intake.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_oracle_scores_one() -> None:
    bench = _bench()
    devset = bench.load_devset()
    result = bench.quality(devset, bench._oracle(devset), verbose=False)
    for key in ("claims_f1", "places_f1", "dates_f1", "agents_f1", "casualties_f1"):
        assert result[key] == 1.0, key


def test_missing_extractor_scores_zero_without_crashing() -> None:
    bench = _bench()
    devset = bench.load_devset()[:3]
    result = bench.quality(devset, None, verbose=True)
    assert result["claims_recall"] == 0.0 and result["failed_reports"] == 3


def test_claim_matching_rules() -> None:
    bench = _bench()
    text = "The ministry said that militants had fired shells at the town on Friday."
    gold = [{"speaker": "The ministry", "speaker_normalized": "Syrian Ministry of Health",
             "speaker_type": "government", "start": 23, "end": 72}]
    near = dict(gold[0], speaker_normalized="syrian ministry of health", start=18, end=60)
    far = dict(gold[0], start=60, end=72)
    other = dict(gold[0], speaker="someone", speaker_normalized="Someone Else")
    assert bench.match_claims(text, gold, [near])[0].tp == 1
    assert bench.match_claims(text, gold, [far])[0].tp == 0
    assert bench.match_claims(text, gold, [other])[0].tp == 0
    # one-to-one: two predictions for one gold claim give one hit and one false positive
    counts = bench.match_claims(text, gold, [near, dict(near)])[0]
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_place_key_ignores_article_hyphens_and_case() -> None:
    bench = _bench()
    assert bench.place_key("al-Hasakah") == bench.place_key("Hasakah")
    assert bench.place_key("Deir ez-Zor") == bench.place_key("Deir Ez Zor")
    assert bench.place_key("Al Khalidiya") == bench.place_key("al-Khalidiya")


def test_last_line_is_the_json_summary() -> None:
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "intake.py"), "--oracle", "--no-throughput"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    last = json.loads(out.strip().splitlines()[-1])
    for key in ("claims_f1", "places_f1", "dates_f1", "agents_f1", "casualties_f1",
                "reports_per_s", "claims_precision", "claims_recall"):
        assert key in last
    assert last["claims_f1"] == 1.0
