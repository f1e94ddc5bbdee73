"""Fixtures for the app's tests: a fresh, migrated database per module on each backend (the audit
log refuses deletes, so app tests never share the suite-wide emptied database), the app, one user
per role, and signed-in clients."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from medbill.practice.accounts import Role

PASSWORD = "correct-horse-battery"


@dataclass
class Signed:
    client: TestClient
    csrf: str
    role: Role

    def post(self, url: str, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("headers", {})["x-csrf-token"] = self.csrf
        return self.client.post(url, **kw)

    def put(self, url: str, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("headers", {})["x-csrf-token"] = self.csrf
        return self.client.put(url, **kw)

    def get(self, url: str, **kw):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kw)


def _url(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'app.db'}"
        return
    from medbill.storage.testing import fresh_postgres_schema, postgres_test_url, postgres_unreachable

    reason = postgres_unreachable(postgres_test_url())
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    with fresh_postgres_schema(postgres_test_url(), prefix="medbill_app") as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _url(request.param, tmp_path_factory.mktemp("app"))


@pytest.fixture(scope="module")
def app_home(tmp_path_factory: pytest.TempPathFactory, kb) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A fresh MEDBILL_HOME that uses the session's knowledge base (the shared `kb` fixture)."""
    home = tmp_path_factory.mktemp("home")
    names = ("MEDBILL_HOME", "MEDBILL_COOKIE_SECURE", "MEDBILL_REDIS_URL", "MEDBILL_KB")
    saved = {k: os.environ.get(k) for k in names}
    os.environ["MEDBILL_HOME"] = str(home)
    os.environ["MEDBILL_COOKIE_SECURE"] = "0"
    os.environ["MEDBILL_KB"] = str(kb.path)
    os.environ.pop("MEDBILL_REDIS_URL", None)
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def app(app_url: str, app_home: Path):  # type: ignore[no-untyped-def]
    from medbill.api.app import create_app
    from medbill.services import accounts

    application = create_app(app_url, migrate=True)
    database = application.state.medbill.database
    for role in Role:
        accounts.create_user(database, role.value, f"Test {role.value}", role, PASSWORD)
    yield application
    database.close()


@pytest.fixture(scope="module")
def signed(app) -> dict[Role, Signed]:  # type: ignore[no-untyped-def]
    clients = {}
    for role in Role:
        client = TestClient(app)
        response = client.post("/api/auth/login", json={"username": role.value, "password": PASSWORD})
        assert response.status_code == 200, response.text
        clients[role] = Signed(client, response.json()["csrf_token"], role)
    return clients


@pytest.fixture
def anonymous(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app)


@pytest.fixture(params=["sqlite", "postgresql"])
def service_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:  # type: ignore[type-arg]
    """A fresh, migrated store for testing the app's services directly (one per test, each backend)."""
    from medbill.storage import open_database

    urls = _url(request.param, tmp_path_factory.mktemp("services"))
    database = open_database(next(urls), require_current=False)
    database.upgrade()
    yield database
    database.close()
    urls.close()
