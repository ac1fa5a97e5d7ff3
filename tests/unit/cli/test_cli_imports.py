"""``athar`` starts quickly and in a bare environment: importing the CLI loads only the core.

Every command module is imported when ``athar`` starts (to build ``--help``), so each imports
Athar's other packages and the extras' modules inside its commands. This checks that in a
fresh interpreter, without timing anything (benchmarks/cli_startup.py times it).
"""

from __future__ import annotations

import json
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
