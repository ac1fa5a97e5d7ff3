"""What the custody model's enumerated values and the actors' roles are called, in the reader's language.

The log stores stable English codes (an exhibit's kind, a custody event's kind,
a seal check's state); the pages show a translated label for each, from one
table per enumeration here, never the raw code. A test reads the kinds from
:mod:`athar.custody.models` and :mod:`athar.custody.events`, so a new kind
without a label (or a label without an Arabic translation) fails. What people
and sources wrote (names, notes, quotes) is never translated. The roles
(:data:`athar.log.identity.ROLES`) shown beside the signed-in user's name have a
table too, checked the same way; the log page shows a custody entry's kind
(``custody.handed_over``) raw, with its event label beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from athar.web.i18n import lazy_gettext

__all__ = ["CORRECTION_REASON_LABELS", "EVENT_LABELS", "EXHIBIT_KIND_LABELS", "ROLE_LABELS",
           "SEAL_STATE_LABELS", "correction_reason_label", "entry_kind_label", "event_label",
           "exhibit_kind_label", "label_of", "role_label", "seal_state_label"]

_CUSTODY = "custody."  # athar.custody.events.PREFIX

EXHIBIT_KIND_LABELS = {
    "digital": lazy_gettext("file"),
    "physical": lazy_gettext("physical sample"),
    "sensor": lazy_gettext("readings"),
    "report": lazy_gettext("report"),
}

EVENT_LABELS = {
    "registered": lazy_gettext("registered"),
    "collected": lazy_gettext("collected"),
    "sealed": lazy_gettext("sealed"),
    "seal_checked": lazy_gettext("seal checked"),
    "handed_over": lazy_gettext("handed over"),
    "received": lazy_gettext("received"),
    "opened": lazy_gettext("opened"),
    "split": lazy_gettext("split"),
    "analysed": lazy_gettext("analysed"),
    "stored": lazy_gettext("stored"),
    "returned": lazy_gettext("returned"),
    "destroyed": lazy_gettext("destroyed"),
    "note": lazy_gettext("note"),
    "received_from_unverified_party": lazy_gettext("received from an unverified party"),
    "correction": lazy_gettext("correction"),
}

SEAL_STATE_LABELS = {
    "intact": lazy_gettext("intact"),
    "broken": lazy_gettext("broken"),
    "none": lazy_gettext("not sealed"),
}

CORRECTION_REASON_LABELS = {
    "wrong_time": lazy_gettext("wrong time"),
    "wrong_details": lazy_gettext("wrong details"),
    "wrong_exhibit": lazy_gettext("recorded on the wrong exhibit"),
    "did_not_happen": lazy_gettext("did not happen"),
    "duplicate": lazy_gettext("recorded twice"),
    "other": lazy_gettext("other reason"),
}

ROLE_LABELS = {
    "admin": lazy_gettext("admin"),
    "investigator": lazy_gettext("investigator"),
    "custodian": lazy_gettext("custodian"),
    "lab": lazy_gettext("lab"),
    "reviewer": lazy_gettext("reviewer"),
    "observer": lazy_gettext("observer"),
}


def label_of(table: Mapping[str, Any], code: object) -> str:
    """``code``'s label from ``table`` in the active language; the code itself if it has none."""
    label = table.get(code) if isinstance(code, str) else None
    return str(code) if label is None else str(label)


def exhibit_kind_label(kind: object) -> str:
    """The exhibit kind's label in the active language; the code itself if it has none."""
    return label_of(EXHIBIT_KIND_LABELS, kind)


def event_label(action: object) -> str:
    """The custody event kind's label (``handed_over``, not ``custody.handed_over``)."""
    return label_of(EVENT_LABELS, action)


def seal_state_label(state: object) -> str:
    """``intact`` or ``broken`` in the active language."""
    return label_of(SEAL_STATE_LABELS, state)


def correction_reason_label(reason: object) -> str:
    """Why a correction voided an event (``wrong_time``), in the active language."""
    return label_of(CORRECTION_REASON_LABELS, reason)


def role_label(role: object) -> str:
    """An actor's role (``custodian``) in the active language; the code itself if it has none."""
    return label_of(ROLE_LABELS, role)


def entry_kind_label(kind: object) -> str:
    """For a custody entry's kind (``custody.handed_over``), its event label; else ""."""
    if isinstance(kind, str) and kind.startswith(_CUSTODY) and kind[len(_CUSTODY):] in EVENT_LABELS:
        return event_label(kind[len(_CUSTODY):])
    return ""
