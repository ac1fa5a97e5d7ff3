"""Fuzz harness: checkpoint bodies (``Checkpoint.from_text``) raise only AtharError, and
whatever parses prints back to the same text.

    pip install atheris && python fuzz/ledger_checkpoint.py -max_total_time=300
    python fuzz/ledger_checkpoint.py --count 100000      # without atheris
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
    from athar.ledger.checkpoint import Checkpoint

SEEDS = [b"example.org/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
         b"example.org/log\n18446744073709551615\n" + b"A" * 43 + b"=\nextension\n",
         "\u0623\u062b\u0631\n12\n".encode() + b"B" * 43 + b"=\n"]


def _from_text(data: bytes) -> None:
    text = _fuzzlib.as_text(data)
    try:
        cp = Checkpoint.from_text(text)
    except AtharError:
        return
    assert cp.to_text() == text, "an accepted checkpoint must print back to the same text"


TARGETS = {"Checkpoint.from_text": _from_text}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
