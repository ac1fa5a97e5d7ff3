"""Shared fixtures and helpers for the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Timing belongs in benchmarks/, not in tests: no per-example deadline, so a
# loaded CI machine cannot make a property test flaky.
settings.register_profile("athar", deadline=None)
settings.load_profile("athar")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ATHAR_SHARED_DIR", ROOT.parent / "shared"))
CONFORMANCE = SHARED / "conformance"


def conformance_file(rel: str) -> Path:
    """A file under ../shared/conformance, or skip the test when it is absent."""
    path = CONFORMANCE / rel
    if not path.exists():
        pytest.skip(f"conformance data not available: {path}")
    return path


PG_URL = os.environ.get("ATHAR_TEST_DATABASE_URL")
# Set by .ci/run: a service a test needs (SeaweedFS, chromium, PostgreSQL) that cannot be had
# fails the run instead of skipping, so CI can never pass by skipping what it should test.
REQUIRE_SERVICES = os.environ.get("ATHAR_REQUIRE_SERVICES") == "1"


def service_unavailable(reason: str) -> None:
    """Skip the test for lack of ``reason``'s service, or fail it when services are required (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def _db_urls() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    params.append(pytest.param("postgresql", id="postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not PG_URL, reason="ATHAR_TEST_DATABASE_URL is not set"),
    ]))
    return params


@pytest.fixture(params=_db_urls())
def database_url(request, tmp_path):
    """A fresh, empty database URL on every backend (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'athar.db'}"
        return
    import psycopg

    url, schema = _fresh_pg_schema_url()
    yield url
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


# ATHAR_TEST_BACKEND=postgresql runs every test that makes a workspace without naming a
# database (the API, custody, intake and web integration tests) on PostgreSQL: each such
# workspace gets a schema of its own in ATHAR_TEST_DATABASE_URL. `make test` runs those
# folders a second time this way when PostgreSQL is configured.
BACKEND = os.environ.get("ATHAR_TEST_BACKEND", "sqlite")


def _fresh_pg_schema_url() -> tuple[str, str]:
    import uuid

    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}", schema


@pytest.fixture(scope="session", autouse=True)
def _workspaces_on_the_chosen_backend():
    if BACKEND == "sqlite":
        yield
        return
    if BACKEND != "postgresql" or not PG_URL:
        pytest.exit("ATHAR_TEST_BACKEND=postgresql needs ATHAR_TEST_DATABASE_URL", returncode=4)
    from athar.workspace import Workspace

    made: list[str] = []
    original = Workspace.init.__func__  # type: ignore[attr-defined]

    def init(cls, home=None, *, origin=None, database_url=None, exist_ok=False):
        if database_url is None and not (home is not None and (Path(home) / "log.key").exists()):
            database_url, schema = _fresh_pg_schema_url()
            made.append(schema)
        return original(cls, home, origin=origin, database_url=database_url, exist_ok=exist_ok)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Workspace, "init", classmethod(init))
        yield
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for schema in made:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def workspace(tmp_path, database_url):
    """An initialised workspace on each database backend."""
    from athar.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws", database_url=database_url)
    yield ws
    ws.close()


def make_note(signer, text: str):
    """A signed note entry."""
    from athar.ledger.entry import Entry

    return Entry.create("note", {"text": text}, signer)
