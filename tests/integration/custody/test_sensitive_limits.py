"""Every sensitive (committed) custody field has a size limit: a 100 MB note is refused, nothing is logged."""

from __future__ import annotations

import pytest

from athar.custody.commitments import MAX_SENSITIVE_BYTES, SENSITIVE_FIELDS, commit
from athar.errors import EntryRejected


@pytest.mark.parametrize("field", sorted({f for fields in SENSITIVE_FIELDS.values() for f in fields}))
def test_each_sensitive_field_is_limited(field) -> None:
    commit(field, "x" * (MAX_SENSITIVE_BYTES - 2))  # the JSON string's quotes count
    with pytest.raises(EntryRejected) as exc:
        commit(field, "x" * (MAX_SENSITIVE_BYTES - 1))
    assert exc.value.details == {"field": field, "limit": MAX_SENSITIVE_BYTES}
    with pytest.raises(EntryRejected):
        commit(field, {"nested": ["y" * MAX_SENSITIVE_BYTES]})


def test_a_huge_note_is_refused_and_nothing_is_logged(world) -> None:
    inv = world.actor("inv", "investigator")
    world.svc.register_physical(inv, code="S-9", private={"description": "a swab"})
    size = world.ws.log().size()
    with pytest.raises(EntryRejected, match="exhibit of its own"):
        world.svc.record("S-9", "note", inv, private={"text": "n" * (100 * 1024 * 1024)})
    with pytest.raises(EntryRejected, match="sensitive field 'location'"):
        world.svc.register_physical(inv, code="S-10", private={"location": "l" * (MAX_SENSITIVE_BYTES + 1)})
    assert world.ws.log().size() == size
