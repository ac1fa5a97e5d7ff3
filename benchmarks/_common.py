"""Small helpers shared by the benchmark scripts.

Every benchmark prints human-readable figures first and, as its LAST stdout
line, one JSON object with its headline numbers (what CI and
``docs/performance.md`` read). A benchmark declares the keys of that object in a
module-level ``JSON_KEYS`` tuple of string literals and passes it to
:func:`final_json`; each figure in ``docs/performance.md`` names its script and key.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def ensure_src_on_path() -> None:
    """Let ``python benchmarks/x.py`` import athar from a source checkout."""
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        return round(rss / (1024 * 1024), 1)
    return round(rss / 1024, 1)


def figure(label: str, value: Any, unit: str = "") -> None:
    """Print one aligned ``label: value unit`` line."""
    if isinstance(value, float):
        value = f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    print(f"  {label:<34} {value}{(' ' + unit) if unit else ''}")


def heading(text: str) -> None:
    print()
    print(text)
    print("-" * len(text))


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    """``with timer() as elapsed: ...``; ``elapsed()`` gives seconds so far / in all."""
    t0 = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - t0
    end.append(time.perf_counter())


def settle(seconds: float = 1.0) -> None:
    """Flush dirty pages and give the disk a moment, so a measurement does not pay
    for the write-back of the one before it."""
    os.sync()
    time.sleep(seconds)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def final_json(result: dict[str, Any], keys: Iterable[str] | None = None) -> None:
    """Print ``result`` as the last stdout line (compact, sorted keys).

    ``keys`` is the benchmark's module-level ``JSON_KEYS``: every key it may print, the
    names ``docs/performance.md`` cites (``tests/unit/test_performance_doc.py`` reads
    them statically). A printed key missing from it fails the run (exit 1, after the
    JSON is printed, so no figure is lost), so the list cannot fall behind the output.
    """
    sys.stdout.flush()
    print(json.dumps(result, sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.flush()
    if keys is not None and (undeclared := sorted(set(result) - set(keys))):
        print(f"final JSON keys missing from JSON_KEYS: {', '.join(undeclared)}", file=sys.stderr)
        raise SystemExit(1)
