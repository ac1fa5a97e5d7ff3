"""A bundle proves it holds every event of its exhibits: any drop, reorder or truncation fails.

Bundles come from the pure factory (:mod:`tests.property.bundles`); each
attack rewrites the manifest and ``actors.json`` so that only the
completeness index can catch it (:mod:`tests.property.completeness_attacks`).
"""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from athar.report.verify import verify_files
from tests.property import completeness_attacks as atk
from tests.property.bundles import LOG, story


@pytest.fixture(scope="module")
def bundle() -> dict[str, bytes]:
    b = story(exhibits=3, per=7)
    b.actor("late", "custodian")  # an identity entry after the custody events
    files = b.files(b.exhibits)
    assert verify_files(files, LOG.vkey).clean
    return files


def _fails(files: dict[str, bytes]) -> set[str]:
    report = verify_files(files, LOG.vkey)
    assert not report.intact, "the changed bundle verified"
    return {f.code for f in report.findings if f.severity == "error"}


_SETTINGS = settings(max_examples=120, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(st.data())
def test_dropping_any_entries_fails(bundle, data) -> None:
    candidates = atk.custody_indices(bundle) + atk.identity_indices(bundle)[1:]
    gone = data.draw(st.sets(st.sampled_from(candidates), min_size=1, max_size=6))
    _fails(atk.drop(bundle, gone))


@_SETTINGS
@given(st.data())
def test_truncating_an_exhibit_fails_on_completeness(bundle, data) -> None:
    """The last k events of one exhibit left out: the chain still links, the index does not."""
    import json

    ex = data.draw(st.sampled_from(["E-00000", "E-00001", "E-00002"]))
    own = [i for i in atk.custody_indices(bundle)
           if json.loads(bundle[f"entries/{i}.json"])["body"]["exhibit"] == ex]
    k = data.draw(st.integers(1, len(own) - 1))
    codes = _fails(atk.drop(bundle, own[-k:]))
    assert "incomplete" in codes


@_SETTINGS
@given(st.data())
def test_reordering_entries_fails(bundle, data) -> None:
    idx = atk.custody_indices(bundle)
    moved = data.draw(st.lists(st.sampled_from(idx), min_size=2, max_size=5, unique=True))
    target = data.draw(st.permutations(moved).filter(lambda p: list(p) != moved))
    _fails(atk.permute(bundle, dict(zip(moved, target, strict=True))))


def test_dropping_the_identity_tail_fails(bundle) -> None:
    late = atk.identity_indices(bundle)[-1]
    assert "incomplete" in _fails(atk.drop(bundle, [late]))


def test_hiding_an_exhibit_and_its_proof_fails(bundle) -> None:
    import json

    own = [i for i in atk.custody_indices(bundle)
           if json.loads(bundle[f"entries/{i}.json"])["body"]["exhibit"] == "E-00001"]
    # An exhibit left out whole, with its proof, is a bundle of the others: it claims nothing
    # about E-00001, and says so in its list of exhibits.
    fewer = atk.narrow_exhibits(atk.drop(bundle, own), ["E-00000", "E-00002"])
    report = verify_files(fewer, LOG.vkey)
    assert report.intact and sorted(report.states) == ["E-00000", "E-00002"]
    # Its events kept but its proof dropped, or its last events and its proof: both fail.
    assert "index_missing" in _fails(atk.drop_index_names(bundle, ["exhibit:E-00001"]))
    assert "index_missing" in _fails(atk.drop_index_names(atk.drop(bundle, own[-2:]),
                                                          ["exhibit:E-00001"]))


def test_dropping_the_snapshot_fails(bundle) -> None:
    import json

    last = json.loads(bundle["manifest.json"])["index"]["entry"]
    assert "index_invalid" in _fails(atk.drop(bundle, [last]))


def test_legacy_bundle_fails_unless_allowed(bundle) -> None:
    old = atk.legacy(bundle)
    assert "completeness_not_proven" in _fails(old)
    report = verify_files(old, LOG.vkey, allow_unproven=True)
    assert report.intact and not report.clean
    assert [f.code for f in report.findings if f.severity == "warning"] == \
        ["completeness_not_proven"]
