"""The verifiable ledger: pure RFC 9162 Merkle trees, C2SP notes, checkpoints and tiles.

This package does no I/O and imports no database or web code, so a third party
can verify Athar's records with it alone.
"""

from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import Entry, canonical_json
from athar.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash
from athar.ledger.note import Signer, Verifier
from athar.ledger.proof import verify_consistency, verify_inclusion
from athar.ledger.tree import MemoryTree

__all__ = [
    "Checkpoint",
    "EMPTY_ROOT",
    "Entry",
    "MemoryTree",
    "Signer",
    "Verifier",
    "canonical_json",
    "leaf_hash",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]
