"""The tree and proofs against the naive reference, and tampering always detected."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from athar.errors import VerificationError
from athar.ledger.hashing import leaf_hash
from athar.ledger.proof import verify_consistency, verify_inclusion
from athar.ledger.tree import MemoryTree
from tests.property import reference

MAX = 300
LEAVES = [f"leaf {i}".encode() for i in range(MAX)]


@pytest.fixture(scope="module")
def tree() -> MemoryTree:
    t = MemoryTree()
    for leaf in LEAVES:
        t.append(leaf)
    return t


def test_every_root_matches_reference(tree):
    for n in range(MAX + 1):
        assert tree.root(n) == reference.mth(LEAVES[:n])


def test_every_inclusion_proof_matches_and_verifies(tree):
    for size in range(1, 130):
        root = tree.root(size)
        for i in range(size):
            p = tree.inclusion_proof(i, size)
            assert p == reference.path(i, LEAVES[:size])
            verify_inclusion(leaf_hash(LEAVES[i]), i, size, p, root)


def test_every_consistency_proof_matches_and_verifies(tree):
    for size2 in range(1, 100):
        for size1 in range(1, size2 + 1):
            p = tree.consistency_proof(size1, size2)
            assert p == reference.proof(size1, LEAVES[:size2])
            verify_consistency(size1, size2, p, tree.root(size1), tree.root(size2))


def _flip(b: bytes, bit: int) -> bytes:
    i = (bit // 8) % len(b)
    return b[:i] + bytes([b[i] ^ (1 << (bit % 8))]) + b[i + 1 :]


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_inclusion_at_large_sizes_and_any_tamper_fails(tree, data):
    size = data.draw(st.integers(1, MAX))
    index = data.draw(st.integers(0, size - 1))
    proof = tree.inclusion_proof(index, size)
    root, leaf = tree.root(size), leaf_hash(LEAVES[index])
    assert proof == reference.path(index, LEAVES[:size])
    verify_inclusion(leaf, index, size, proof, root)

    what = data.draw(st.sampled_from(["proof", "root", "leaf", "index", "size"]))
    bit = data.draw(st.integers(0, 255))
    if what == "proof" and not proof:
        what = "root"
    if what in ("index", "size"):
        i2 = index ^ (1 << (bit % 9)) if what == "index" else index
        s2 = size ^ (1 << (bit % 9)) if what == "size" else size
        if i2 < s2 and reference.path_shape(i2, s2) == reference.path_shape(index, size):
            # Same hashing order: only the signed checkpoint binds the size.
            verify_inclusion(leaf, i2, s2, proof, root)
            return
    with pytest.raises(VerificationError):
        if what == "proof":
            j = data.draw(st.integers(0, len(proof) - 1))
            verify_inclusion(leaf, index, size,
                             proof[:j] + [_flip(proof[j], bit)] + proof[j + 1 :], root)
        elif what == "root":
            verify_inclusion(leaf, index, size, proof, _flip(root, bit))
        elif what == "leaf":
            verify_inclusion(_flip(leaf, bit), index, size, proof, root)
        elif what == "index":
            verify_inclusion(leaf, index ^ (1 << (bit % 9)), size, proof, root)
        else:
            verify_inclusion(leaf, index, size ^ (1 << (bit % 9)), proof, root)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_consistency_at_large_sizes_and_any_tamper_fails(tree, data):
    size2 = data.draw(st.integers(2, MAX))
    size1 = data.draw(st.integers(1, size2 - 1))
    proof = tree.consistency_proof(size1, size2)
    r1, r2 = tree.root(size1), tree.root(size2)
    assert proof == reference.proof(size1, LEAVES[:size2])
    verify_consistency(size1, size2, proof, r1, r2)

    what = data.draw(st.sampled_from(["proof", "root1", "root2", "size1", "size2"]))
    bit = data.draw(st.integers(0, 255))
    if what in ("size1", "size2"):
        a = size1 ^ (1 << (bit % 9)) if what == "size1" else size1
        b = size2 ^ (1 << (bit % 9)) if what == "size2" else size2
        if 0 < a < b and reference.proof_shape(a, b) == reference.proof_shape(size1, size2):
            verify_consistency(a, b, proof, r1, r2)
            return
    with pytest.raises(VerificationError):
        if what == "proof":
            j = data.draw(st.integers(0, len(proof) - 1))
            verify_consistency(size1, size2,
                               proof[:j] + [_flip(proof[j], bit)] + proof[j + 1 :], r1, r2)
        elif what == "root1":
            verify_consistency(size1, size2, proof, _flip(r1, bit), r2)
        elif what == "root2":
            verify_consistency(size1, size2, proof, r1, _flip(r2, bit))
        elif what == "size1":
            verify_consistency(size1 ^ (1 << (bit % 9)), size2, proof, r1, r2)
        else:
            verify_consistency(size1, size2 ^ (1 << (bit % 9)), proof, r1, r2)


@given(st.integers(0, 10), st.integers(0, 10), st.lists(st.binary(max_size=40), max_size=4))
def test_malformed_inputs_raise_verification_error(size1, size2, proof):
    with pytest.raises(VerificationError):
        verify_consistency(size1, size2, proof, b"short", b"x" * 32)
    with pytest.raises(VerificationError):
        verify_inclusion(b"x" * 31, 0, size2 + 1, proof, b"x" * 32)
