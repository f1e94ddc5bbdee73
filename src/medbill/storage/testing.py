"""Helpers for test suites that run against both backends (used by the fixtures in tests/conftest.py).

PostgreSQL tests get a fresh schema per test run (a `search_path` option on the URL points every
unqualified name, Alembic's version table included, at it); the schema is dropped afterwards.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, MetaData, text
from sqlalchemy.engine import make_url

import medbill.storage.tables  # noqa: F401  (registers every table)
from medbill.storage.base import Base
from medbill.storage.engine import make_engine, normalise_url

POSTGRES_TEST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_test_url() -> str:
    """The PostgreSQL server tests use: MEDBILL_TEST_POSTGRES_URL, else 127.0.0.1:5432 database `test`."""
    return os.environ.get("MEDBILL_TEST_POSTGRES_URL") or POSTGRES_TEST_URL


def postgres_unreachable(url: str) -> str | None:
    """None when the server answers, else the reason it does not."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is unreachable: {exc}"
    finally:
        engine.dispose()
    return None


def url_with_schema(url: str, schema: str) -> str:
    """The URL whose connections use `schema` first on their search path."""
    parsed = normalise_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


@contextmanager
def fresh_postgres_schema(url: str, prefix: str = "medbill_test") -> Iterator[str]:
    """Create an empty schema, yield a URL that uses it, drop it (and everything in it) afterwards."""
    schema = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield url_with_schema(url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def empty_tables(engine: Engine, metadata: MetaData = Base.metadata) -> None:
    """Delete every row of medbill's tables (the schema and its migration revision stay)."""
    tables = [t for t in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
