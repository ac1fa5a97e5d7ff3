"""Every figure in docs/performance.md names the benchmark that prints it (issue 13).

The convention (stated at the top of the document): a section that reports figures names
its script in its heading (``benchmarks/<name>.py``); the first cell of every table row
is the key of that script's final JSON line that holds the figure; a figure of another
script, in a row or in prose, is cited as ``benchmarks/<name>.py`` → ``key``. The keys a
script may print are its module-level ``JSON_KEYS`` (read here from the source, without
running anything), which ``_common.final_json`` enforces when the benchmark runs.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "performance.md"
BENCH = ROOT / "benchmarks"
SCRIPT_RE = re.compile(r"benchmarks/([a-z0-9_]+)\.py")
CITATION_RE = re.compile(r"`?benchmarks/([a-z0-9_]+)\.py`?\s*(?:→|->)\s*`([a-z0-9_]+)`")
ROW_KEY_RE = re.compile(r"\s*`([a-z0-9_]+)`")


@cache
def json_keys(script: str) -> frozenset[str]:
    """The ``JSON_KEYS`` literal of ``benchmarks/<script>.py``."""
    path = BENCH / f"{script}.py"
    assert path.exists(), f"docs/performance.md names {path.relative_to(ROOT)}, which does not exist"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "JSON_KEYS"):
            keys = ast.literal_eval(node.value)
            assert all(isinstance(k, str) for k in keys), f"{path.name}: JSON_KEYS holds strings"
            return frozenset(keys)
    pytest.fail(f"benchmarks/{script}.py declares no module-level JSON_KEYS tuple of its final "
                f"JSON's keys (see benchmarks/_common.py::final_json)")


def _sections(text: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return sections


def _rows(lines: list[str]) -> list[str]:
    """The first cell of each table body row (header and separator rows left out)."""
    cells: list[str] = []
    in_table = False
    for line in lines:
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table:  # the header row
            in_table = True
            continue
        first = line.strip().strip("|").split("|")[0]
        if set(first.strip()) <= set("-: "):
            continue
        cells.append(first)
    return cells


def figure_references(doc: Path = DOC) -> list[tuple[str, str, str]]:
    """(script, key, where) for every figure the document cites."""
    refs: list[tuple[str, str, str]] = []
    for heading, lines in _sections(doc.read_text(encoding="utf-8")):
        named = SCRIPT_RE.findall(heading)
        for cell in _rows(lines):
            where = f"{heading or 'top'}: | {cell.strip()} |"
            if cited := CITATION_RE.match(cell.strip()):
                refs.append((cited.group(1), cited.group(2), where))
                continue
            key = ROW_KEY_RE.match(cell)
            assert key, f"a table row with no JSON key in its first cell: {where}"
            assert len(named) == 1, (f"a row's figure needs one script in its section heading "
                                     f"or a `benchmarks/x.py` → `key` citation: {where}")
            refs.append((named[0], key.group(1), where))
        for line in lines:
            for script, key in CITATION_RE.findall(line):
                refs.append((script, key, f"{heading or 'top'}: {line.strip()[:80]}"))
    return refs


def test_the_document_cites_figures() -> None:
    refs = figure_references()
    assert len(refs) >= 20
    assert {script for script, _, _ in refs} >= {"ledger", "custody", "intake", "api",
                                                 "cli_startup"}


def test_every_figure_is_a_key_its_benchmark_prints() -> None:
    unknown = [f"{where}: {key!r} is not in benchmarks/{script}.py's JSON_KEYS"
               for script, key, where in figure_references() if key not in json_keys(script)]
    assert not unknown, "\n".join(unknown)


def _passes_keys(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "final_json"):
            args = [*node.args[1:], *(k.value for k in node.keywords if k.arg == "keys")]
            if any(isinstance(a, ast.Name) and a.id == "JSON_KEYS" for a in args):
                return True
    return False


@pytest.mark.parametrize("script", sorted({s for s, _, _ in figure_references()}))
def test_cited_benchmarks_check_their_keys_when_run(script: str) -> None:
    """A cited benchmark hands JSON_KEYS to final_json, which fails on an undeclared key."""
    json_keys(script)
    tree = ast.parse((BENCH / f"{script}.py").read_text(encoding="utf-8"))
    assert _passes_keys(tree), f"benchmarks/{script}.py: call final_json(result, JSON_KEYS)"


def test_parser_catches_a_figure_without_a_source(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("## Ledger (`benchmarks/ledger.py`)\n\n| figure | measured |\n|---|---|\n"
                   "| `sqlite_appends_per_s` | 1 |\n| appends per hour | 2 |\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no JSON key"):
        figure_references(doc)
    doc.write_text("## Notes\n\nSee `benchmarks/ledger.py` → `no_such_key`.\n", encoding="utf-8")
    assert figure_references(doc) == [("ledger", "no_such_key", "## Notes: See `benchmarks/ledger.py` "
                                    "→ `no_such_key`.")]
    assert "no_such_key" not in json_keys("ledger")
