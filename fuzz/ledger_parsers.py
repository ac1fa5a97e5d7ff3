"""Coverage-guided fuzzing of the ledger's parsers with atheris.

    pip install atheris && python fuzz/ledger_parsers.py -max_total_time=60

Any exception other than AtharError is a bug.
"""

import sys

import atheris

with atheris.instrument_imports():
    from athar.errors import AtharError
    from athar.ledger import note, tiles
    from athar.ledger.checkpoint import Checkpoint
    from athar.ledger.entry import Entry

SIGNER = note.Signer.from_seed("fuzz", bytes(32))


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(len(data))
    for fn, arg in ((note.open, data), (Checkpoint.from_text, text),
                    (note.Verifier.from_vkey, text), (tiles.parse_tile_path, text),
                    (tiles.unbundle_entries, data), (Entry.from_bytes, data)):
        try:
            if fn is note.open:
                fn(arg, [SIGNER.verifier()])
            else:
                fn(arg)
        except AtharError:
            pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
