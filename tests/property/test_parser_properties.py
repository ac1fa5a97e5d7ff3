"""The inputs that broke the ledger's parsers, as properties: each parser refuses them with
an AtharError subclass (never ValueError or UnicodeError), and what it accepts round-trips."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from athar.errors import AtharError, EntryRejected, NotFound
from athar.ledger import cosignature, note, tiles
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry
from athar.ledger.note import MalformedNote

SIGNER = note.Signer.from_seed("example.org/log", bytes(32))
WITNESS = cosignature.Cosigner(note.Signer.from_seed("w1", bytes(range(32))))
ROOT_B64 = "A" * 43 + "="

# Characters str.isdigit() accepts that are not ASCII digits: superscripts, Arabic-Indic,
# full-width, Devanagari, circled.
_UNICODE_DIGITS = sorted(c for c in map(chr, range(0x80, 0x20000)) if c.isdigit())
unicode_digits = st.sampled_from(_UNICODE_DIGITS)
lone_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
digits = st.text("0123456789", min_size=3, max_size=3)


def _insert(s: str, i: int, c: str) -> str:
    i %= len(s) + 1
    return s[:i] + c + s[i:]


@given(st.integers(0, 63), st.integers(0, 2**64 - 1), st.integers(1, 256))
def test_tile_paths_round_trip(level: int, n: int, width: int) -> None:
    assert tiles.parse_tile_path(tiles.tile_path(level, n, width)) == (level, n, width)
    assert tiles.parse_tile_path(tiles.tile_path("entries", n, width)) == ("entries", n, width)


@given(st.integers(0, 63), st.integers(0, 2**64 - 1), st.integers(1, 255), unicode_digits,
       st.integers(0, 200))
def test_non_ascii_digits_in_a_tile_path_are_not_found(level: int, n: int, width: int, d: str,
                                                       at: int) -> None:
    path = tiles.tile_path(level, n, width)
    digit_positions = [i for i, c in enumerate(path) if c.isdigit()]
    i = digit_positions[at % len(digit_positions)]
    bad = path[:i] + d + path[i + 1:]
    with pytest.raises(NotFound):
        tiles.parse_tile_path(bad)


@pytest.mark.parametrize("path", ["tile/0/00²", "tile/²/000", "tile/0/000.p/²",
                                  "tile/entries/x٣00/000", "tile/0/０00", "tile/0/000.p/2" + "9" * 5000,
                                  "tile/0/" + "x000/" * 8 + "000", "tile/0/x\ud800/000",
                                  "tile/0/000\x00", "tile/0/000.p/0", "tile/0/000.p/256"])
def test_malformed_tile_paths_are_not_found(path: str) -> None:
    with pytest.raises(NotFound) as info:
        tiles.parse_tile_path(path)
    assert info.value.http_status == 404


@given(st.integers(0, 5000), st.booleans())
def test_checkpoint_sizes_of_any_length_are_malformed_not_valueerror(extra: int,
                                                                      nines: bool) -> None:
    size = ("9" if nines else "1") * (21 + extra)
    with pytest.raises(MalformedNote):
        Checkpoint.from_text(f"o\n{size}\n{ROOT_B64}\n")


@given(unicode_digits)
def test_checkpoint_size_with_unicode_digits_is_malformed(d: str) -> None:
    with pytest.raises(MalformedNote):
        Checkpoint.from_text(f"o\n1{d}\n{ROOT_B64}\n")


def test_largest_checkpoint_size_parses_and_one_more_does_not() -> None:
    assert Checkpoint.from_text(f"o\n{2**64 - 1}\n{ROOT_B64}\n").size == 2**64 - 1
    with pytest.raises(MalformedNote):
        Checkpoint.from_text(f"o\n{2**64}\n{ROOT_B64}\n")


@given(lone_surrogates, st.integers(0, 80))
def test_lone_surrogates_are_malformed_everywhere(s: str, at: int) -> None:
    body = f"example.org/log\n1\n{ROOT_B64}\n"
    signed = note.sign(body, [SIGNER])
    cosigned = signed + WITNESS.cosign(body, 1)
    for fn, arg in ((Checkpoint.from_text, _insert(body, at, s)),
                    (note.Verifier.from_vkey, _insert(SIGNER.vkey, at % 10, s)),
                    (note.Signer.from_skey, _insert(SIGNER.skey, 12 + at % 10, s)),
                    (cosignature.CosignatureVerifier.from_vkey,
                     _insert(WITNESS.verifier().vkey, at % 2, s))):
        with pytest.raises(MalformedNote):
            fn(arg)  # type: ignore[operator]
    with pytest.raises(AtharError):
        note.open(_insert(signed, at, s), [SIGNER.verifier()])
    with pytest.raises(AtharError):
        cosignature.verify_cosignatures(_insert(cosigned, at, s), [WITNESS.verifier()])
    with pytest.raises(MalformedNote):
        note.sign(_insert(body, at, s), [SIGNER])


@pytest.mark.parametrize("hex_id", ["+1234567", "0000_000", " 1234567", "1234567²", "١٢٣٤٥٦٧٨"])
def test_witness_key_ids_are_strict_hex(hex_id: str) -> None:
    vkey = WITNESS.verifier().vkey
    name, _, rest = vkey.split("+", 2)
    with pytest.raises(MalformedNote):
        cosignature.CosignatureVerifier.from_vkey(f"{name}+{hex_id}+{rest}")


@settings(max_examples=200)
@given(st.sampled_from(["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\uDC80"]),
       st.sampled_from(["kind", "author", "sig", "body"]))
def test_entries_with_escaped_lone_surrogates_are_rejected(esc: str, where: str) -> None:
    entry = Entry.create("note", {"text": "x"}, SIGNER)
    data = entry.to_bytes()
    key = f'"{where}":"'.encode()
    if key in data:
        data = data.replace(key, key + esc.encode(), 1)
    else:
        data = data.replace(b'"text":"x"', b'"text":"' + esc.encode() + b'"')
    with pytest.raises(EntryRejected):
        Entry.from_bytes(data)


@pytest.mark.parametrize("data", [b'{"v":' + b"9" * 5000 + b"}", b"[" * 100_000,
                                  b'{"a":"\x00"}', "{\"a\":\"²\"}".encode(), b"\xed\xa0\x80"])
def test_entry_parse_refuses_with_entry_rejected(data: bytes) -> None:
    with pytest.raises(EntryRejected):
        Entry.from_bytes(data)


@given(st.binary(max_size=300))
def test_unbundle_round_trips_whatever_it_accepts(data: bytes) -> None:
    try:
        entries = tiles.unbundle_entries(data)
    except AtharError:
        return
    assert tiles.bundle_entries(entries) == data
