"""Coverage-guided fuzzing of every ledger parser at once (one atheris run for all families).

    pip install atheris && python fuzz/ledger_parsers.py -max_total_time=600

The families have their own harnesses (``ledger_note``, ``ledger_keys``,
``ledger_checkpoint``, ``ledger_tiles``, ``ledger_entry``); this one sends each
input to one of their targets, chosen by its first byte, so a single atheris
run covers them all. Any exception other than AtharError is a bug.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import ledger_checkpoint  # noqa: E402
import ledger_entry  # noqa: E402
import ledger_keys  # noqa: E402
import ledger_note  # noqa: E402
import ledger_tiles  # noqa: E402

AGGREGATE = True
"""The runner skips this harness: its targets are the families' own."""
_FAMILIES = (ledger_note, ledger_keys, ledger_checkpoint, ledger_tiles, ledger_entry)
TARGETS = {name: fn for h in _FAMILIES for name, fn in h.TARGETS.items()}
SEEDS = [s for h in _FAMILIES for s in h.SEEDS]
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
