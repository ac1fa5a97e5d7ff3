"""The ledger's parsers take any input: valid input parses, anything else is a VerificationError
or EntryRejected (both AtharError), never another exception."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import given, settings

from athar.errors import AtharError
from athar.ledger import cosignature, note, tiles
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry

SIGNER = note.Signer.from_seed("fuzz", bytes(32))
VALID_NOTE = note.sign("origin\n1\n" + "A" * 43 + "=\n", [SIGNER])

texty = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("utf-8", "replace")),
    st.builds(lambda s, i, c: s[:i] + c + s[i:], st.just(VALID_NOTE), st.integers(0, 200),
              st.sampled_from(["\n", "\u2014", " ", "+", "\x00", "\u202e", "=", "A"])),
)


def _must_be_athar_error(fn, *args):
    try:
        fn(*args)
    except AtharError:
        pass


@settings(max_examples=500, deadline=None)
@given(texty)
def test_note_open_and_checkpoint_parse(text):
    _must_be_athar_error(note.open, text, [SIGNER.verifier()])
    _must_be_athar_error(note.open, text.encode("utf-8", "surrogatepass"), [SIGNER.verifier()])
    _must_be_athar_error(Checkpoint.from_text, text)
    _must_be_athar_error(cosignature.verify_cosignatures, text, [])


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120))
def test_key_parsers(text):
    _must_be_athar_error(note.Verifier.from_vkey, text)
    _must_be_athar_error(note.Signer.from_skey, text)
    _must_be_athar_error(cosignature.CosignatureVerifier.from_vkey, text)
    _must_be_athar_error(tiles.parse_tile_path, text)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=400))
def test_entry_and_bundle_parsers(data):
    try:
        entry = Entry.from_bytes(data)
        entry.verify_signature()
    except AtharError:
        pass
    _must_be_athar_error(tiles.unbundle_entries, data)


def test_deeply_nested_entry_is_refused_cleanly():
    import pytest

    from athar.errors import EntryRejected

    with pytest.raises(EntryRejected):
        Entry.from_bytes(b"[" * 100_000 + b"]" * 100_000)
