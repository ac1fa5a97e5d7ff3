"""What each verification finding is called, in the reader's language.

A :class:`~athar.custody.models.Finding` carries a stable ``code`` and a
technical English ``message`` (the same text the API, the CLI and the offline
verifier give). The pages show the translated title of the code first and keep
the message as the detail, isolated left to right so it cannot scramble an
Arabic line. Every code that ``custody/verify.py``, ``custody/service.py`` and
``report/verify.py`` produce has a title here (a test reads those files).
"""

from __future__ import annotations

from athar.web.i18n import lazy_gettext
from athar.web.labels import label_of

__all__ = ["FINDING_TITLES", "finding_title"]

FINDING_TITLES = {
    # the log and its entries
    "checkpoint_invalid": lazy_gettext("The log's checkpoint signature does not verify"),
    "not_included": lazy_gettext("Entry not in the signed log"),
    "not_checked": lazy_gettext("Signatures and custody rules not checked"),
    "duplicate_index": lazy_gettext("Entry appears twice"),
    "entry_invalid": lazy_gettext("Entry malformed or its signature does not verify"),
    "event_invalid": lazy_gettext("Custody event malformed"),
    "unknown_author": lazy_gettext("Signed by a key not registered to any actor"),
    "revoked_key": lazy_gettext("Signed with a revoked key"),
    "identity_invalid": lazy_gettext("Identity entry the identity rules refuse"),
    # custody
    "rule_violation": lazy_gettext("Event breaks a custody rule"),
    "custody_gap": lazy_gettext("Gap in custody longer than allowed"),
    "unverified_prior_custody": lazy_gettext("Earlier custody not recorded in Athar"),
    "broken_seal": lazy_gettext("Seal recorded as broken or not matching"),
    "incomplete_handover": lazy_gettext("Hand-over without a recorded receipt"),
    "exhibit_missing": lazy_gettext("Exhibit's registration missing"),
    "event_voided": lazy_gettext("Event voided by a correction"),
    # files and disclosures
    "blob_not_checked": lazy_gettext("File not available, its bytes not checked"),
    "blob_mismatch": lazy_gettext("File does not match its registered hash"),
    "disclosure_invalid": lazy_gettext("Disclosed field does not match its commitment"),
    # report bundles
    "bundle_invalid": lazy_gettext("Bundle unreadable or invalid"),
    "bundle_not_canonical": lazy_gettext("Bundle file altered outside its records"),
    "actors_mismatch": lazy_gettext("Bundle's actor list does not match its identity entries"),
    "exhibits_mismatch": lazy_gettext("Bundle's exhibit list does not match its entries"),
    "blob_unexpected": lazy_gettext("Bundle holds a file no exhibit registered"),
}


def finding_title(code: str) -> str:
    """The title of ``code`` in the active language; the code itself if it has none."""
    return label_of(FINDING_TITLES, code)
