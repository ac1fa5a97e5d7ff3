"""The streaming verifier's readers against the writer and the JSON they stand in for:
the canonical zip layout is exactly what ``write_zip`` writes, and the streamed manifest
parser accepts exactly the canonical JSON of a valid manifest."""

from __future__ import annotations

import io
import json

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from athar.report.bundle_zip import (
    BundleTampered,
    CanonicalZip,
    central_record,
    end_records,
    local_header,
)
from athar.report.manifest import BUNDLE_FORMAT, ManifestInvalid, canonical, iter_entries, scan
from athar.report.verify import write_zip

names = st.text("abcdefghijklmnopqrstuvwxyz0123456789./_-", min_size=1, max_size=40)
members = st.lists(st.tuples(names, st.binary(max_size=300)), max_size=12,
                   unique_by=lambda m: m[0])


@settings(max_examples=150, deadline=None)
@given(members)
def test_the_canonical_layout_is_byte_for_byte_write_zip(items) -> None:  # type: ignore[no-untyped-def]
    import zlib

    raw = io.BytesIO()
    write_zip(raw, ((n, [d]) for n, d in items))
    data = raw.getvalue()
    body, cd, offset = b"", b"", 0
    for name, content in items:
        crc = zlib.crc32(content)
        lh = local_header(name.encode())
        body += lh + content + (0x08074B50).to_bytes(4, "little") + crc.to_bytes(4, "little") \
            + len(content).to_bytes(8, "little") * 2
        cd += central_record(name.encode(), crc, len(content), offset)
        offset = len(body)
    assert body + cd + end_records(len(items), len(body), len(cd)) == data
    z = CanonicalZip.open(io.BytesIO(data))
    got = [(m.name, z.read(m)) for m in z.members()]
    assert got == list(items)


@settings(max_examples=100, deadline=None)
@given(members, st.integers(0, 10_000), st.integers(1, 255))
def test_any_changed_byte_of_a_canonical_zip_is_refused(items, at: int, flip: int) -> None:  # type: ignore[no-untyped-def]
    raw = io.BytesIO()
    write_zip(raw, ((n, [d]) for n, d in items))
    b = bytearray(raw.getvalue())
    b[at % len(b)] ^= flip
    with pytest.raises(BundleTampered):
        z = CanonicalZip.open(io.BytesIO(bytes(b)))
        for m in z.members():
            z.read(m)


hexes = st.binary(min_size=32, max_size=32).map(bytes.hex)
index_names = st.one_of(st.just("identity"),
                        st.from_regex(r"exhibit:[A-Za-z0-9][A-Za-z0-9._-]{0,8}", fullmatch=True))
indexes = st.builds(
    lambda entry, names: {"entry": entry, "names": [
        {"name": n, "events": ev, "head": head, "proof": proof}
        for n, (ev, head, proof) in sorted(names.items())]},
    st.integers(0, 2**40),
    st.dictionaries(index_names, st.tuples(st.integers(0, 2**40), hexes,
                                           st.lists(hexes, max_size=4)), max_size=4))
manifests = st.builds(
    lambda blobs, discs, idx, proofs, ex, origin, size, index: {
        "format": BUNDLE_FORMAT, "origin": origin, "tree_size": size, "index": index,
        "exhibits": sorted(set(ex)), "blobs": sorted(set(blobs)),
        "disclosures": [{"leaf_hash": lh, "field": f} for lh, f in sorted(set(discs))],
        "entries": [{"index": i, "proof": proofs[k % len(proofs)] if proofs else []}
                    for k, i in enumerate(sorted(set(idx)))]},
    st.lists(hexes, max_size=3), st.lists(st.tuples(hexes, st.from_regex(r"[a-z_]{1,10}",
                                                                         fullmatch=True)),
                                          max_size=3),
    st.lists(st.integers(0, 2**40), max_size=8), st.lists(st.lists(hexes, max_size=5),
                                                          max_size=3),
    st.lists(st.text(min_size=1, max_size=10), max_size=4), st.text(max_size=20),
    st.integers(0, 2**53 - 1), indexes)


@settings(max_examples=150, deadline=None)
@given(manifests, st.integers(1, 64))
def test_streamed_manifest_equals_the_json(m, chunk: int) -> None:  # type: ignore[no-untyped-def]
    raw = canonical(m)
    chunks = [raw[i:i + chunk] for i in range(0, len(raw), chunk)]
    h = scan(chunks)
    assert (h.origin, h.tree_size, list(h.exhibits), list(h.blobs)) == (
        m["origin"], m["tree_size"], m["exhibits"], m["blobs"])
    assert [{"leaf_hash": a, "field": b} for a, b in h.disclosures] == m["disclosures"]
    assert h.index_entry == m["index"]["entry"]
    assert [{"name": p.name, "events": p.events, "head": p.head.hex(),
             "proof": [x.hex() for x in p.proof]} for p in h.index] == m["index"]["names"]
    got = [{"index": i, "proof": [p.hex() for p in proof]} for i, proof in iter_entries(chunks, h)]
    assert got == m["entries"]


@settings(max_examples=300, deadline=None)
@given(manifests, st.integers(0, 100_000), st.sampled_from([b" ", b"0", b"\\", b",", b"}",
                                                             b"\"", b"A", b"\n", b"1"]))
def test_the_streamed_parser_accepts_only_canonical_text(m, at: int, ins: bytes) -> None:  # type: ignore[no-untyped-def]
    raw = canonical(m)
    i = at % (len(raw) + 1)
    changed = raw[:i] + ins + raw[i:]
    try:
        h = scan([changed])
        entries = list(iter_entries([changed], h))
    except ManifestInvalid:
        return
    parsed = json.loads(changed)
    assert canonical(parsed) == changed
    assert len(entries) == len(parsed["entries"])
