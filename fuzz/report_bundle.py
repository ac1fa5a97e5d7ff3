"""Fuzz harness: the offline verifier takes any bundle, member or zip, and never raises:
every problem is a finding, and nothing damaged verifies.

    pip install atheris && python fuzz/report_bundle.py -max_total_time=300
    python fuzz/report_bundle.py --count 20000      # without atheris
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _fuzzlib  # noqa: E402

_fuzzlib.install_shim()
import atheris  # noqa: E402

with atheris.instrument_imports():
    from athar.report.verify import verify_bundle, verify_files

from tests.property.bundles import LOG, story, zip_files  # noqa: E402

_B = story(2, 5, blob=b"exhibit bytes")
_FILES = _B.files(_B.exhibits, disclose=[(4, "description")])
_ZIP = zip_files(_FILES)
_ENTRY = "entries/5.json"
_DISCLOSURE = next(n for n in _FILES if n.startswith("disclosures/"))
SEEDS = [_FILES["manifest.json"], _FILES[_ENTRY], _FILES["checkpoint.txt"],
         _FILES["actors.json"], _FILES[_DISCLOSURE]]


def _member(name: str):  # type: ignore[no-untyped-def]
    def target(data: bytes) -> None:
        report = verify_files({**_FILES, name: data}, LOG.vkey)
        assert data == _FILES[name] or not report.intact, f"a changed {name} verified"

    return target


def _zip(data: bytes) -> None:
    # Mutating the zip's own bytes: seeds are its prefixes and slices, so edits land in
    # headers, names and the central directory as well as in members.
    report = verify_bundle(io.BytesIO(data), LOG.vkey)
    assert data == _ZIP or not report.intact, "a changed zip verified"


def _zip_edit(data: bytes) -> None:
    # Overwrite bytes of the valid zip at positions and values taken from the input.
    z = bytearray(_ZIP)
    for i in range(0, len(data) - 2, 3):
        z[int.from_bytes(data[i:i + 2], "big") % len(z)] = data[i + 2]
    _zip(bytes(z))


TARGETS = {"report.verify_files(manifest.json)": _member("manifest.json"),
           "report.verify_files(entry)": _member(_ENTRY),
           "report.verify_files(checkpoint.txt)": _member("checkpoint.txt"),
           "report.verify_files(actors.json)": _member("actors.json"),
           "report.verify_files(disclosure)": _member(_DISCLOSURE),
           "report.verify_bundle(zip edits)": _zip_edit}
test_one_input = _fuzzlib.one_input_of(TARGETS)
CI_COUNT = 300
"""Inputs per target in the CI run: each input is a whole bundle verification."""

if __name__ == "__main__":
    _fuzzlib.main(sys.modules[__name__])
