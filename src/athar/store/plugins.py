"""Entry hooks of the packages installed alongside the core (custody, intake, ...)."""

from __future__ import annotations

import importlib

from athar.store.log import Log

__all__ = ["register_plugins"]

# Module path and factory name of each package's hook; absent packages are skipped.
_HOOKS = [
    ("athar.custody.hook", "CustodyHook"),
    ("athar.incidents.hook", "IntakeHook"),
]


def register_plugins(log: Log) -> None:
    """Register every available package hook on ``log``."""
    for module_name, attr in _HOOKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        factory = getattr(module, attr, None)
        if factory is not None:
            log.register_hook(factory())
