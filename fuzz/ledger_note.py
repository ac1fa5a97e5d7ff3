"""Fuzz harness: signed notes (``note.open``) and witness cosignatures raise only AtharError.

    pip install atheris && python fuzz/ledger_note.py -max_total_time=300
    python fuzz/ledger_note.py --count 100000      # without atheris: seeded mutation fuzzing
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.errors import AtharError
    from athar.ledger import cosignature, note

LOG = note.Signer.from_seed("example.org/log", bytes(32))
WITNESS = cosignature.Cosigner(note.Signer.from_seed("example.org/witness", bytes(range(32))))
_BODY = "example.org/log\n42\n" + "A" * 43 + "=\n"
_NOTE = note.sign(_BODY, [LOG])
SEEDS = [_NOTE.encode(), (_NOTE + WITNESS.cosign(_BODY, 1_700_000_000)).encode(),
         note.sign("a\nb\n", [LOG, note.Signer.from_seed("other", bytes(range(1, 33)))]).encode()]


def _open_bytes(data: bytes) -> None:
    try:
        note.open(data, [LOG.verifier()])
    except AtharError:
        pass


def _open_text(data: bytes) -> None:
    try:
        opened = note.open(_fuzzlib.as_text(data), [LOG.verifier()])
    except AtharError:
        return
    assert opened.text.endswith("\n") and opened.verified


def _cosignatures(data: bytes) -> None:
    try:
        cosignature.verify_cosignatures(_fuzzlib.as_text(data), [WITNESS.verifier()])
    except AtharError:
        pass


TARGETS = {"note.open(bytes)": _open_bytes, "note.open(str)": _open_text,
           "cosignature.verify_cosignatures": _cosignatures}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
