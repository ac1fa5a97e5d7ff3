"""Fuzz harness: disclosure files (``Disclosure.from_bytes``, ``verify_disclosure``)
raise only AtharError.

    pip install atheris && python fuzz/custody_disclosure.py -max_total_time=300
    python fuzz/custody_disclosure.py --count 100000      # without atheris
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.custody.commitments import Disclosure, commitment_of, verify_disclosure
    from athar.errors import AtharError

_SALT = "5a" * 32
_VALUE = {"lat": 35.123456, "lon": 36.654321, "name": "\u0644\u064a\u0644\u0649"}
_BODY = {"commit": {"location": commitment_of(_VALUE, _SALT)}}
SEEDS = [Disclosure("ab" * 32, "location", _VALUE, _SALT).to_bytes(),
         Disclosure("cd" * 32, "notes", "text", _SALT).to_bytes()]


def _disclosure(data: bytes) -> None:
    try:
        d = Disclosure.from_bytes(data)
        verify_disclosure(d, _BODY)
    except AtharError:
        pass


TARGETS = {"Disclosure.from_bytes": _disclosure}
test_one_input = _fuzzlib.one_input_of(TARGETS)

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
