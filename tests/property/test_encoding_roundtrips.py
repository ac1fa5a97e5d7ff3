"""Encodings round-trip: note sign/open, checkpoint text, canonical entry bytes."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from athar.errors import EntryRejected, InvalidSignature, VerificationError
from athar.ledger import note
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry

SIGNER = note.Signer.from_seed("athar.test/log", bytes(range(32)))
OTHER = note.Signer.from_seed("athar.test/other", bytes(range(1, 33)))

line = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\n"), min_size=1
)


@given(st.lists(line, min_size=1, max_size=6))
def test_note_sign_open_roundtrip(lines):
    text = "\n".join(lines) + "\n"
    signed = note.sign(text, [SIGNER, OTHER])
    opened = note.open(signed, [SIGNER.verifier()])
    assert opened.text == text
    assert [s.name for s in opened.verified] == [SIGNER.name]
    assert [s.name for s in opened.unverified] == [OTHER.name]
    tampered = signed.replace(text, text[:-1] + "x\n", 1)
    with pytest.raises(VerificationError):
        note.open(tampered, [SIGNER.verifier()])


@given(
    origin=line,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    ext=st.lists(line, max_size=3),
)
def test_checkpoint_text_roundtrip(origin, size, root, ext):
    cp = Checkpoint(origin, size, root, tuple(ext))
    assert Checkpoint.from_text(cp.to_text()) == cp


json_leaf = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20)
json_value = st.recursive(
    json_leaf,
    lambda kids: st.lists(kids, max_size=4)
    | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(body=json_value, kind=st.sampled_from(["note", "custody.sealed", "actor.registered"]))
def test_entry_canonical_roundtrip(body, kind):
    e = Entry.create(kind, body, SIGNER)
    data = e.to_bytes()
    back = Entry.from_bytes(data)
    assert back == e and back.to_bytes() == data
    back.verify_signature()


def test_entry_rejects_non_canonical_and_forged():
    e = Entry.create("note", {"b": 1, "a": [1, 2]}, SIGNER)
    data = e.to_bytes()
    with pytest.raises(EntryRejected, match="canonical"):
        Entry.from_bytes(data.replace(b'"a"', b' "a"'))
    forged = Entry(e.kind, e.v, {"b": 2, "a": [1, 2]}, e.author, e.sig)
    with pytest.raises(InvalidSignature):
        forged.verify_signature()
    with pytest.raises(EntryRejected, match="limit"):
        Entry.from_bytes(data, max_bytes=10)
    with pytest.raises(EntryRejected):
        Entry.from_bytes(b"\xff\xfe")


def test_signature_with_spare_base64_bits_is_refused():
    signed = note.sign("text\n", [SIGNER])
    line = signed.splitlines()[-1]
    b64 = line.rsplit(" ", 1)[1]
    # The last data character before "=" carries 2 spare bits when the payload is 68 bytes.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    i = b64.rstrip("=")[-1]
    twin = alphabet[alphabet.index(i) ^ 1]
    forged = signed.replace(b64, b64.rstrip("=")[:-1] + twin + "=" * (len(b64) - len(b64.rstrip("="))))
    assert forged != signed
    import base64

    assert base64.b64decode(forged.splitlines()[-1].rsplit(" ", 1)[1]) == base64.b64decode(b64)
    with pytest.raises(note.MalformedNote):
        note.open(forged, [SIGNER.verifier()])


any_text = st.text(st.characters(codec="utf-8"), max_size=12)
plain_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | any_text,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(any_text, kids, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400)
@given(plain_value)
def test_fast_canonical_check_agrees_with_rfc8785(value):
    import json

    import rfc8785

    from athar.ledger import entry as entry_mod

    canonical = rfc8785.dumps(value)
    text = canonical.decode()
    if not entry_mod._needs_jcs(text):
        assert entry_mod._plain_canonical(json.loads(text)) == canonical
    # Either way, the parser accepts exactly the canonical bytes.
    e = Entry.create("note", {"text": "x", "extra": value}, SIGNER)
    assert Entry.from_bytes(e.to_bytes()) == e
    loose = json.dumps(e.to_json(), ensure_ascii=True).encode()
    if loose != e.to_bytes():
        with pytest.raises(EntryRejected):
            Entry.from_bytes(loose)


def test_keys_beyond_the_bmp_take_the_rfc8785_path():
    import json

    import rfc8785

    from athar.ledger import entry as entry_mod

    # UTF-16 order puts U+1F600 (D83D DE00) before U+FF61; code-point order does not.
    value = {"\U0001f600": 1, "\uff61": 2, "نص": 3}
    canonical = rfc8785.dumps(value)
    assert entry_mod._needs_jcs(canonical.decode())
    assert entry_mod._plain_canonical(json.loads(canonical)) != canonical
    assert not entry_mod._needs_jcs(rfc8785.dumps({"نص": "عربي", "\uff61": 1}).decode())
    e = Entry.create("note", {"text": "x", "extra": value}, SIGNER)
    assert Entry.from_bytes(e.to_bytes()) == e
