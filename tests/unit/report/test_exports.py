"""The verifier's modules list their public names, complete and sorted."""

from __future__ import annotations

import importlib
import inspect

import pytest


@pytest.mark.parametrize("module", [
    "athar.report.verify", "athar.report.bundle_zip", "athar.report.bundle_reader",
    "athar.report.manifest", "athar.report.summary", "athar.custody.verify",
    "athar.custody.entry_checks",
])
def test_all_is_sorted_and_complete(module: str) -> None:
    mod = importlib.import_module(module)
    names = list(mod.__all__)
    assert names == sorted(names)
    public = {n for n, v in vars(mod).items()
              if not n.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v))
              and getattr(v, "__module__", "") == module}
    assert public <= set(names), f"missing from __all__: {public - set(names)}"
