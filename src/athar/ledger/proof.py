"""Verification of RFC 9162 inclusion and consistency proofs.

Both verifiers return ``None`` on success and raise
:class:`athar.errors.VerificationError` (or a subclass) on any failure,
malformed input included. They never return a bool.
"""

from __future__ import annotations

from collections.abc import Sequence

from athar.errors import InvalidProof, RootMismatch, VerificationError
from athar.ledger.hashing import HASH_SIZE, node_hash

__all__ = ["root_from_inclusion_proof", "verify_consistency", "verify_inclusion"]


def _check_hash(name: str, value: object) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise VerificationError(f"{name} must be a {HASH_SIZE}-byte hash")
    return bytes(value)


def _check_proof(proof: Sequence[bytes]) -> list[bytes]:
    return [_check_hash(f"proof[{i}]", p) for i, p in enumerate(proof)]


def _check_size(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise VerificationError(f"{name} must be a non-negative integer")
    return value


def root_from_inclusion_proof(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes]
) -> bytes:
    """Return the root implied by an inclusion proof (RFC 9162 §2.1.3.2).

    Raises :class:`InvalidProof` when the proof has the wrong length for
    ``index`` and ``tree_size`` and :class:`VerificationError` on malformed input.
    """
    leaf = _check_hash("leaf hash", leaf_hash)
    index = _check_size("index", index)
    tree_size = _check_size("tree size", tree_size)
    path = _check_proof(proof)
    if index >= tree_size:
        raise VerificationError(f"index {index} is out of range for tree size {tree_size}")
    fn, sn = index, tree_size - 1
    r = leaf
    for p in path:
        if sn == 0:
            raise InvalidProof("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProof("inclusion proof is too short")
    return r


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` sits at ``index`` in the tree of ``tree_size`` with ``root``.

    Returns ``None`` when the proof holds; raises a :class:`VerificationError`
    otherwise (wrong root, wrong proof length, hashes not 32 bytes, index out of range).
    """
    expected = _check_hash("root", root)
    got = root_from_inclusion_proof(leaf_hash, index, tree_size, proof)
    if got != expected:
        raise RootMismatch(
            "inclusion proof does not lead to the given root",
            expected=expected.hex(),
            computed=got.hex(),
        )


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree of ``size2`` (``root2``) extends the tree of ``size1`` (``root1``).

    Follows RFC 9162 §2.1.4.2. Returns ``None`` on success; raises a
    :class:`VerificationError` on any failure, including ``size1 == 0``,
    ``size2 < size1``, a non-empty proof between equal sizes and an empty proof
    between different sizes.
    """
    size1 = _check_size("size1", size1)
    size2 = _check_size("size2", size2)
    r1 = _check_hash("root1", root1)
    r2 = _check_hash("root2", root2)
    path = _check_proof(proof)
    if size1 == 0:
        raise VerificationError("a consistency proof from the empty tree proves nothing")
    if size2 < size1:
        raise VerificationError(f"size2 ({size2}) is smaller than size1 ({size1})")
    if size1 == size2:
        if path:
            raise InvalidProof("proof between equal sizes must be empty")
        if r1 != r2:
            raise RootMismatch("equal sizes but different roots")
        return
    if not path:
        raise InvalidProof("empty consistency proof between different sizes")
    if size1 & (size1 - 1) == 0:
        path = [r1, *path]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProof("consistency proof is too short")
    if fr != r1:
        raise RootMismatch("consistency proof does not lead to root1")
    if sr != r2:
        raise RootMismatch("consistency proof does not lead to root2")
