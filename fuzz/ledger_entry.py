"""Fuzz harness: log entries (``Entry.from_bytes``, the custody fast path ``parse_entry``,
signature checks) raise only AtharError, and accepted entries are canonical.

    pip install atheris && python fuzz/ledger_entry.py -max_total_time=300
    python fuzz/ledger_entry.py --count 100000      # without atheris
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.custody.verify import parse_entry
    from athar.errors import AtharError
    from athar.ledger.entry import Entry
    from athar.ledger.note import Signer

_SIGNER = Signer.from_seed("inv-1", bytes(32))
SEEDS = [
    Entry.create("custody.sealed", {"exhibit": "S-1", "prev": "ab" * 32, "at":
                                    "2024-05-01T09:10:00Z", "seals": ["OPCW-1"]},
                 _SIGNER).to_bytes(),
    Entry.create("actor.registered", {"actor_id": "\u0644\u064a\u0644\u0649", "n": 1.5,
                                      "big": 2**50, "k\U0001f600": None}, _SIGNER).to_bytes(),
    Entry.create("note", {"text": "x" * 200}, _SIGNER).to_bytes(),
]


def _from_bytes(data: bytes) -> None:
    try:
        entry = Entry.from_bytes(data)
    except AtharError:
        return
    assert entry.to_bytes() == data, "an accepted entry must be canonical"
    try:
        entry.verify_signature()
    except AtharError:
        pass


def _parse_entry(data: bytes) -> None:
    try:
        entry = parse_entry(data)
    except AtharError:
        return
    assert entry.to_bytes() == data, "an accepted entry must be canonical"


TARGETS = {"Entry.from_bytes": _from_bytes, "custody.verify.parse_entry": _parse_entry}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
