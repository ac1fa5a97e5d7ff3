"""A third party with only the core dependencies verifies a bundle (issue 13).

One virtual environment per session holds Athar (installed ``--no-deps`` from a copy of
this source tree) and exactly the ``[project] dependencies`` of ``pyproject.toml``: no
server, database, intake or S3 package. A bundle exported by the full environment must
verify there with ``athar verify`` and ``python -m athar.report.verify``, and a tampered
copy must fail. pip installs from the machine's configured indexes; when it cannot, the
test skips (and fails under ``ATHAR_REQUIRE_SERVICES=1``, as in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from athar.report.export import export_bundle
from tests.conftest import ROOT, service_unavailable
from tests.integration.custody.conftest import make_world
from tests.integration.custody.scenario import run_story

pytestmark = pytest.mark.slow

# Packages a verifier must not need; none may be importable in the bare environment.
ABSENT = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg", "boto3",
          "botocore", "httpx", "argon2", "jinja2", "trafilatura", "pypdf", "hijridate", "PIL")


@dataclass(frozen=True)
class Bare:
    """The bare environment: its interpreter, its ``athar`` script and a clean process env."""

    python: Path
    athar: Path
    env: dict[str, str]

    def run(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                              timeout=120, cwd=cwd, env=self.env)


def _core_dependencies() -> list[str]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        deps: list[str] = tomllib.load(f)["project"]["dependencies"]
    return deps


def _pip(target: Path, *args: str | Path) -> None:
    """``pip install`` into the venv at ``target``, with this environment's pip."""
    cmd = [sys.executable, "-m", "pip", "--python", str(target / "bin" / "python"), "install",
           "--quiet", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        service_unavailable(f"pip could not build the bare environment: {proc.stderr[-2000:]}")


@pytest.fixture(scope="session")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bare]:
    base = tmp_path_factory.mktemp("bare")
    src = base / "athar-src"
    # A copy, so pip's in-tree build writes nothing into the shared working tree.
    shutil.copytree(ROOT / "src", src / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    _pip(venv, *_core_dependencies())
    _pip(venv, "--no-deps", src)
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
           and not k.startswith("ATHAR_")}
    env["PYTHONNOUSERSITE"] = "1"
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    yield Bare(venv / "bin" / "python", venv / "bin" / "athar", env)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A bundle of the custody story, exported by the full environment, and the log's key."""
    base = tmp_path_factory.mktemp("bundle")
    world = make_world(base / "ws")
    try:
        run_story(world)
        out = base / "case.zip"
        export_bundle(world.svc, ["S-0001"], out, include_blobs=True,
                      disclose=[(world.svc.timeline("S-0001")[0].index, "description")])
        yield out, world.ws.vkey
    finally:
        world.ws.close()


def _tampered(out: Path, dest: Path) -> Path:
    """A copy of the bundle with one custody event's time moved by an hour."""
    with zipfile.ZipFile(out) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    name = next(n for n, data in sorted(files.items())
                if n.startswith("entries/") and b"2024-05-01T12" in data)
    files[name] = files[name].replace(b"2024-05-01T12", b"2024-05-01T13")
    with zipfile.ZipFile(dest, "w") as zf:
        for n, data in files.items():
            zf.writestr(n, data)
    return dest


def test_bare_environment_holds_only_the_core(bare: Bare, tmp_path: Path) -> None:
    probe = ("import importlib.util, json, sys; "
             "print(json.dumps([m for m in sys.argv[1:] if importlib.util.find_spec(m)]))")
    proc = bare.run(bare.python, "-c", probe, *ABSENT, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"importable in the bare venv: {proc.stdout}"
    proc = bare.run(bare.python, "-c", "import athar, sys; print(athar.__file__)", cwd=tmp_path)
    assert proc.returncode == 0 and str(ROOT) not in proc.stdout, proc.stdout + proc.stderr
    for args in (["--help"], ["verify", "--help"]):
        proc = bare.run(bare.athar, *args, cwd=tmp_path)
        assert proc.returncode == 0 and "verify" in proc.stdout, proc.stdout + proc.stderr


def test_bare_athar_verify_passes_and_fails_on_tampering(bare: Bare, bundle: tuple[Path, str],
                                                         tmp_path: Path) -> None:
    out, vkey = bundle
    proc = bare.run(bare.athar, "verify", out, "--key", vkey, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("VERIFIED"), proc.stdout

    bad = _tampered(out, tmp_path / "tampered.zip")
    proc = bare.run(bare.athar, "verify", bad, "--key", vkey, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.startswith("FAILED"), proc.stdout
    assert "Traceback" not in proc.stderr


def test_bare_python_module_verifier(bare: Bare, bundle: tuple[Path, str], tmp_path: Path) -> None:
    out, vkey = bundle
    proc = bare.run(bare.python, "-m", "athar.report.verify", out, "--key", vkey, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("VERIFIED"), proc.stdout
    proc = bare.run(bare.python, "-m", "athar.report.verify", _tampered(out, tmp_path / "t.zip"),
                    "--key", vkey, cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("FAILED"), proc.stdout + proc.stderr


def test_bare_workspace_command_names_the_extra(bare: Bare, tmp_path: Path) -> None:
    """A command that needs the server's packages says which extra to install, no traceback."""
    proc = bare.run(bare.athar, "init", "--home", tmp_path / "ws", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pip install 'athar[server]'" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
