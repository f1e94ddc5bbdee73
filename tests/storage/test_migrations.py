"""Migrations run from empty on both backends, match the tables in code, and `medbill db` drives them."""

import json
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from medbill.cli.main import run
from medbill.core.errors import DataError
from medbill.storage import migrate, open_database
from medbill.storage.base import Base
from medbill.storage.testing import fresh_postgres_schema, postgres_test_url, postgres_unreachable

JOURNAL_TABLES = {
    "claims",
    "claim_documents",
    "accounts",
    "journal_entries",
    "journal_postings",
    "balance_assertions",
    "remittances",
    "remittance_claims",
    "ar_exceptions",
    "denials",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path):  # type: ignore[no-untyped-def]
    """A database with nothing in it (no tables, no revision)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    reason = postgres_unreachable(postgres_test_url())
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    with fresh_postgres_schema(postgres_test_url(), prefix="medbill_empty") as url:
        yield url


def test_upgrade_from_empty_creates_the_journal_tables_and_downgrade_removes_them(empty_url: str) -> None:
    database = open_database(empty_url, require_current=False)
    try:
        assert database.status().current is None
        state = database.upgrade()
        assert state.up_to_date
        assert state.current == migrate.head_revision()
        assert set(inspect(database.engine).get_table_names()) >= JOURNAL_TABLES
        migrate.downgrade(database.engine, "base")
        assert not JOURNAL_TABLES & set(inspect(database.engine).get_table_names())
        assert database.upgrade().up_to_date  # and up again
    finally:
        database.close()


def test_tables_in_code_match_the_migrations(database_url: str) -> None:
    """A table or column added in code without a migration (or the reverse) fails here."""
    database = open_database(database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        database.close()
    assert diff == []


def test_opening_a_database_that_is_not_migrated_says_to_run_db_upgrade(empty_url: str) -> None:
    with pytest.raises(DataError, match="medbill db upgrade"):
        open_database(empty_url)


def test_db_upgrade_command_creates_the_embedded_sqlite_file(home, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MEDBILL_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        run(["db", "upgrade", "--json"])
    assert exit_info.value.code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["from"] is None
    assert result["to"] == result["head"] == migrate.head_revision()
    assert (home / "medbill.db").is_file()
    with pytest.raises(SystemExit):
        run(["db", "status", "--json"])
    assert json.loads(capsys.readouterr().out)["up_to_date"] is True


def test_db_upgrade_command_uses_medbill_database_url(empty_url: str, home, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MEDBILL_DATABASE_URL", empty_url)
    with pytest.raises(SystemExit) as exit_info:
        run(["db", "upgrade", "--json"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["to"] == migrate.head_revision()
    assert not (home / "medbill.db").exists()
    open_database(empty_url).close()  # now current
