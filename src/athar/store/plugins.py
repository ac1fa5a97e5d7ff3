"""The entry hooks of Athar's packages: custody events and intake records."""

from __future__ import annotations

from athar.store.log import Log

__all__ = ["register_plugins"]


def register_plugins(log: Log) -> None:
    """Register the custody and intake hooks on ``log``."""
    from athar.custody.hook import CustodyHook
    from athar.incidents.hook import IntakeHook

    log.register_hook(CustodyHook())
    log.register_hook(IntakeHook())
