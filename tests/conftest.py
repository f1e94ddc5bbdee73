"""Shared test fixtures: where the official data mirror is, and isolation from the user's home."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def find_mirror() -> Path | None:
    """The official data mirror (shared/data): MEDBILL_DATA_MIRROR, or a shared/data folder near the repo."""
    env = os.environ.get("MEDBILL_DATA_MIRROR")
    if env:
        return Path(env)
    for candidate in (
        REPO.parent / "shared" / "data",
        REPO.parent.parent / "shared" / "data",
        Path("/work/shared/data"),
    ):
        if (candidate / "icd10cm").is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The data mirror; tests that need the real official files skip (with the reason) when it is absent.

    In CI (CI=true) the mirror must be present: a missing mirror fails instead of skipping.
    """
    found = find_mirror()
    if found is None or not found.is_dir():
        if os.environ.get("CI"):
            pytest.fail("CI: the official data mirror (shared/data) is missing; set MEDBILL_DATA_MIRROR")
        pytest.skip("official data mirror not found (set MEDBILL_DATA_MIRROR to a folder like shared/data)")
    return found


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty MEDBILL_HOME for tests that write releases, caches or databases."""
    path = tmp_path / "medbill-home"
    path.mkdir()
    monkeypatch.setenv("MEDBILL_HOME", str(path))
    return path


# --- the transactional store, on both backends (SQLite file and the PostgreSQL server) ---------------


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """URL of a database migrated from empty to head, once per test run and backend.

    PostgreSQL (MEDBILL_TEST_POSTGRES_URL, default 127.0.0.1:5432 database `test`) gets a fresh schema
    that is dropped at the end; when it is unreachable the PostgreSQL half skips, and fails in CI.
    """
    from medbill.storage import open_database
    from medbill.storage.testing import fresh_postgres_schema, postgres_test_url, postgres_unreachable

    def migrated(url: str) -> str:
        database = open_database(url, require_current=False)
        database.upgrade()
        database.close()
        return url

    if request.param == "sqlite":
        yield migrated(f"sqlite:///{tmp_path_factory.mktemp('db') / 'medbill.db'}")
        return
    server = postgres_test_url()
    reason = postgres_unreachable(server)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    with fresh_postgres_schema(server) as url:
        yield migrated(url)


@pytest.fixture
def database(database_url: str):  # type: ignore[no-untyped-def]
    """An open `medbill.storage.Database` with every table empty (one per test, on each backend)."""
    from medbill.storage import open_database
    from medbill.storage.testing import empty_tables

    db = open_database(database_url)
    empty_tables(db.engine)
    yield db
    db.close()


@pytest.fixture(scope="session")
def kb():
    """The real knowledge base, for every area's tests (closed at the end of the session).

    Reuses the base at `get_settings().kb_path` when it is current and complete, else syncs from the
    mirror and builds one once under `.cache/kb-home` (see `medbill.codesets.fixture`). Without a
    mirror it holds the embedded ICD-10-CM Tabular only.
    """
    from medbill.codesets.fixture import session_kb

    knowledge_base = session_kb(REPO / ".cache", find_mirror())
    yield knowledge_base
    knowledge_base.close()
