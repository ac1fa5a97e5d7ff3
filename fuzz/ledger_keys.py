"""Fuzz harness: key strings (verifier, signer, witness keys) raise only AtharError.

    pip install atheris && python fuzz/ledger_keys.py -max_total_time=300
    python fuzz/ledger_keys.py --count 100000      # without atheris
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

_SIGNER = note.Signer.from_seed("example.org/log", bytes(32))
_WITNESS = cosignature.Cosigner(note.Signer.from_seed("w1", bytes(range(32))))
SEEDS = [_SIGNER.vkey.encode(), _SIGNER.skey.encode(), _WITNESS.verifier().vkey.encode(),
         note.Signer.from_seed("\u0623\u062b\u0631", bytes(32)).vkey.encode()]


def _vkey(data: bytes) -> None:
    try:
        v = note.Verifier.from_vkey(_fuzzlib.as_text(data))
    except AtharError:
        return
    assert note.Verifier.from_vkey(v.vkey) == v, "an accepted key must round-trip"


def _skey(data: bytes) -> None:
    try:
        note.Signer.from_skey(_fuzzlib.as_text(data))
    except AtharError:
        pass


def _witness_vkey(data: bytes) -> None:
    try:
        w = cosignature.CosignatureVerifier.from_vkey(_fuzzlib.as_text(data))
    except AtharError:
        return
    assert cosignature.CosignatureVerifier.from_vkey(w.vkey) == w, "keys must round-trip"


TARGETS = {"Verifier.from_vkey": _vkey, "Signer.from_skey": _skey,
           "CosignatureVerifier.from_vkey": _witness_vkey}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
