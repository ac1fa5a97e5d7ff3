"""``athar`` starts quickly and in a bare environment: importing the CLI loads only the core.

Every command module is imported when ``athar`` starts (to build ``--help``), so each imports
Athar's other packages and the extras' modules inside its commands. This checks that in a
fresh interpreter, without timing anything (benchmarks/cli_startup.py times it).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

PROGRAM = """
import json, sys
before = set(sys.modules)  # what site-packages' .pth files load at start-up does not count
import athar.cli
from athar.cli import custody  # registered lazily; make sure it is loaded too
print(json.dumps(sorted(set(sys.modules) - before)))
"""

# Third-party distributions' import names that the core brings (pyproject's dependencies and
# what they depend on).
CORE_MODULES = {"cryptography", "rfc8785", "typer", "rich", "click", "shellingham", "pygments",
                "markdown_it", "mdurl", "annotated_doc", "pydantic", "pydantic_core",
                "annotated_types", "typing_extensions", "typing_inspection", "cffi",
                "_cffi_backend", "pycparser", "_openssl"}


def test_core_dependencies_are_the_verifiers() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    names = sorted(d.split(">")[0].split("=")[0].split("[")[0].strip() for d in deps)
    assert names == ["cryptography", "rfc8785", "rich", "typer"]


def test_cli_import_loads_only_core_modules() -> None:
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    tops = {m.split(".")[0] for m in loaded}
    foreign = sorted(t for t in tops - CORE_MODULES - set(sys.stdlib_module_names)
                     if t != "athar" and not t.startswith("_"))
    assert not foreign, f"importing athar.cli loads non-core modules: {foreign}"
    athar = sorted(m for m in loaded if m.startswith("athar."))
    allowed = ("athar.cli", "athar.errors", "athar.custody", "athar.custody.models")
    assert all(m.startswith("athar.cli.") or m in allowed for m in athar), athar


def _dist(requirement: str) -> str:
    name = re.split(r"[\[<>=;!~ ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_missing_module_hints_name_an_extra_that_installs_it() -> None:
    """``athar.cli._EXTRAS`` (the hint for a missing module) agrees with pyproject's extras."""
    from athar.cli import _EXTRAS

    with (ROOT / "pyproject.toml").open("rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]
    provides: dict[str, set[str]] = {}  # distribution -> its top-level modules
    for module, dists in importlib.metadata.packages_distributions().items():
        for dist in dists:
            provides.setdefault(_dist(dist), set()).add(module)
    problems = []
    for extra in ("server", "intake", "postgres", "s3"):
        for requirement in extras[extra]:
            dist = _dist(requirement)
            # A distribution not installed here: assume its module is named like it.
            modules = provides.get(dist) or {dist.replace("-", "_")}
            hinted = {m: _EXTRAS[m] for m in modules if m in _EXTRAS}
            if not hinted:
                problems.append(f"{dist} ({extra}): none of its modules is in athar.cli._EXTRAS")
            elif not any(dist in {_dist(r) for r in extras[e]} for e in hinted.values()):
                problems.append(f"{dist}: _EXTRAS names {sorted(hinted.values())}, which lack it")
    assert not problems, "\n".join(problems)
    assert set(_EXTRAS.values()) <= set(extras)


HELP_PROGRAM = """
import json, sys
from athar.cli import main
sys.argv = ["athar", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stdout.write("\\n" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})) + "\\n")
"""


def test_subcommand_help_imports_no_pydantic() -> None:
    """``athar verify --help`` skips Typer's pydantic coercion of the root's unset flags."""
    proc = subprocess.run([sys.executable, "-c", HELP_PROGRAM, "verify", "--help"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "--key" in proc.stdout
    loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "pydantic" not in loaded
