"""One set of identity rules: the log server and the offline replay accept and refuse the same entries.

Random sequences of identity entries (registrations, role grants, revocations,
signed by admins, non-admins, revoked or unknown keys) go to a real log, which
checks them against its tables; the same sequence is replayed through
:class:`IdentityBook` with :func:`check_identity_entry`, as the offline
verifier does. Both must agree on every entry.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from athar.custody.identity import IdentityBook
from athar.errors import AtharError, EntryRejected, Forbidden
from athar.identity import check_identity_entry
from athar.ledger.entry import Entry
from athar.ledger.note import Signer
from athar.log.server import Log
from athar.store.db import connect

KEYS = [Signer.from_seed(f"k{i}", bytes([i + 1]) * 32) for i in range(5)]
ACTORS = ["a0", "a1", "a2", "a3"]

op = st.one_of(
    st.tuples(st.just("actor.registered"), st.integers(0, 4), st.integers(0, 4),
              st.sampled_from(ACTORS), st.sampled_from([["admin"], ["lab"], ["custodian", "lab"]])),
    st.tuples(st.just("role.granted"), st.integers(0, 4), st.sampled_from(ACTORS),
              st.sampled_from(["admin", "lab", "reviewer", "pilot"])),
    st.tuples(st.just("key.revoked"), st.integers(0, 4), st.integers(0, 4)),
)


def _entry(item: tuple) -> Entry:
    kind, signer = item[0], KEYS[item[1]]
    if kind == "actor.registered":
        _, _, key, actor, roles = item
        body = {"actor_id": actor, "name": actor, "actor_type": "person", "vkey": KEYS[key].vkey,
                "roles": roles}
    elif kind == "role.granted":
        body = {"actor_id": item[2], "role": item[3]}
    else:
        body = {"vkey": KEYS[item[2]].vkey, "reason": "test"}
    return Entry.create(kind, body, signer)


def _offline(book: IdentityBook, entry: Entry, index: int) -> bool:
    known = book.key_status(entry.author)
    try:
        if entry.kind != "actor.registered" and known is None:
            raise Forbidden("unknown author")  # the log refuses unknown authors before any hook
        if known is not None and known[1]:
            raise Forbidden("revoked author")
        check_identity_entry(book, entry.kind, entry.body, entry.author)
    except (EntryRejected, Forbidden):
        return False
    book.apply(entry.kind, entry.body, index)
    return True


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=12))
def test_server_and_offline_replay_agree(tmp_path_factory: pytest.TempPathFactory, ops: list) -> None:
    path = tmp_path_factory.mktemp("identity") / "log.db"
    log = Log(connect(f"sqlite:///{path}"), Signer.from_seed("log", bytes(32)), "test/identity").start()
    book = IdentityBook()
    try:
        for item in ops:
            entry = _entry(item)
            try:
                server = not log.append(entry).duplicate
            except AtharError:
                server = False
            assert server == _offline(book, entry, log.size() - 1), (item, entry.body)
    finally:
        log.close()
