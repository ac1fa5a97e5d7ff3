"""The completeness index's map against the naive reference; wrong values never verify."""

from __future__ import annotations

import hashlib

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from athar.errors import InvalidProof, RootMismatch, VerificationError
from athar.ledger.vmap import EMPTY, MapValue, VerifiableMap, map_key, verify_map_proof
from tests.property import vmap_reference as ref

names = st.text(min_size=1, max_size=12)
values = st.builds(MapValue, st.integers(0, 2**64 - 1), st.binary(min_size=32, max_size=32))
maps = st.dictionaries(names, values, max_size=40)


def _ref_items(m: dict[str, MapValue]) -> dict[str, bytes]:
    return {ref.bits(map_key(n)): ref.leaf(map_key(n), v.count, v.head) for n, v in m.items()}


@settings(max_examples=300)
@given(maps)
def test_root_and_every_proof_match_the_reference(m):
    vm = VerifiableMap(m)
    items = _ref_items(m)
    assert vm.root == ref.root(items)
    for n, v in m.items():
        p = vm.proof(n)
        assert list(p) == ref.proof(items, ref.bits(map_key(n)))
        verify_map_proof(vm.root, n, v, p)


def test_empty_and_single():
    assert VerifiableMap({}).root == EMPTY
    v = MapValue(3, bytes(range(32)))
    vm = VerifiableMap({"E-1": v})
    assert vm.proof("E-1") == ()
    assert vm.root == ref.leaf(map_key("E-1"), 3, v.head)
    with pytest.raises(KeyError):
        vm.proof("E-2")


@settings(max_examples=200)
@given(st.dictionaries(names, values, min_size=1, max_size=30), st.data())
def test_any_other_value_fails(m, data):
    vm = VerifiableMap(m)
    n = data.draw(st.sampled_from(sorted(m)))
    v, p = m[n], vm.proof(n)
    fewer = MapValue(v.count - 1, v.head) if v.count else MapValue(1, v.head)
    other_head = MapValue(v.count, hashlib.sha256(v.head).digest())
    for wrong in (fewer, other_head):
        with pytest.raises(RootMismatch):
            verify_map_proof(vm.root, n, wrong, p)
    if p:  # a flipped bit anywhere in the proof
        i = data.draw(st.integers(0, len(p) - 1))
        bit = data.draw(st.integers(0, 255))
        bad = list(p)
        bad[i] = (int.from_bytes(bad[i], "big") ^ (1 << bit)).to_bytes(32, "big")
        with pytest.raises(RootMismatch):
            verify_map_proof(vm.root, n, v, bad)
        with pytest.raises(RootMismatch):  # a truncated or lengthened path
            verify_map_proof(vm.root, n, v, p[:-1])
        with pytest.raises(RootMismatch):
            verify_map_proof(vm.root, n, v, (*p, EMPTY))
    other = data.draw(names.filter(lambda x: x not in m))
    with pytest.raises(RootMismatch):  # a name the map does not hold, with another's proof
        verify_map_proof(vm.root, other, v, p)


@settings(max_examples=100)
@given(maps, names, values)
def test_root_changes_with_any_change(m, n, v):
    before = VerifiableMap(m).root
    changed = {**m, n: v}
    assert (VerifiableMap(changed).root == before) == (m.get(n) == v)


def test_malformed_proofs_raise_verification_errors():
    v = MapValue(1, bytes(32))
    with pytest.raises(InvalidProof):
        verify_map_proof(EMPTY, "x", v, [b"short"])
    with pytest.raises(InvalidProof):
        verify_map_proof(EMPTY, "x", v, [EMPTY] * 257)
    with pytest.raises(VerificationError):
        MapValue(-1, bytes(32))
    with pytest.raises(VerificationError):
        MapValue(1, b"x")


def test_large_map_proofs_are_short():
    m = {f"EX-{i:06d}": MapValue(i, hashlib.sha256(str(i).encode()).digest())
         for i in range(20000)}
    vm = VerifiableMap(m)
    lengths = [len(vm.proof(f"EX-{i:06d}")) for i in range(0, 20000, 997)]
    assert max(lengths) <= 40
    for i in range(0, 20000, 997):
        n = f"EX-{i:06d}"
        verify_map_proof(vm.root, n, m[n], vm.proof(n))
