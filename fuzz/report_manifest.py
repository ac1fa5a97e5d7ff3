"""Fuzz harness: the streamed bundle manifest parser (the inclusion proofs' JSON) raises only
AtharError, and accepts only canonical JSON of a valid manifest.

    pip install atheris && python fuzz/report_manifest.py -max_total_time=300
    python fuzz/report_manifest.py --count 100000      # without atheris
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.errors import AtharError
    from athar.report.manifest import BUNDLE_FORMAT, canonical, iter_entries, scan

_H = "ab" * 32
SEEDS = [
    canonical({"format": BUNDLE_FORMAT, "origin": "example.org/log", "tree_size": 9,
               "exhibits": ["E-1", "E-2"], "blobs": [_H],
               "disclosures": [{"leaf_hash": _H, "field": "location"}],
               "entries": [{"index": i, "proof": [_H] * (i % 4)} for i in range(6)],
               "index": {"entry": 8, "names": [
                   {"name": "exhibit:E-1", "events": 3, "head": _H, "proof": [_H] * 2},
                   {"name": "identity", "events": 1, "head": _H, "proof": []}]}}),
    canonical({"format": BUNDLE_FORMAT, "origin": "\u0623\u062b\u0631", "tree_size": 0,
               "exhibits": [], "blobs": [], "disclosures": [], "entries": [],
               "index": {"entry": 0, "names": []}}),
    canonical({"format": "athar-bundle/1", "origin": "example.org/log", "tree_size": 0,
               "exhibits": [], "blobs": [], "disclosures": [], "entries": []}),
]


def _scan(data: bytes) -> None:
    chunks = [data[i:i + 97] for i in range(0, len(data), 97)] or [b""]
    try:
        header = scan(chunks)
        entries = list(iter_entries(chunks, header))
    except AtharError:
        return
    parsed = json.loads(data)
    assert canonical(parsed) == data, "an accepted manifest must be canonical JSON"
    assert len(entries) == len(parsed["entries"]) == header.entry_count


TARGETS = {"report.manifest.scan": _scan}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
