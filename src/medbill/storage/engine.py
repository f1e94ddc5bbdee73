"""Engines for the transactional store: the embedded SQLite file or a PostgreSQL server.

The URL comes from `get_settings().database_url` unless given. SQLite is configured for a
multi-user store on one machine: foreign keys enforced, write-ahead log (readers do not block the
writer), a busy timeout instead of an immediate "database is locked", and real transactions
(pysqlite's own implicit BEGIN is turned off; SQLAlchemy's begin emits `BEGIN`, or
`BEGIN IMMEDIATE` for units of work that write, so two writers queue instead of deadlocking on a
lock upgrade). PostgreSQL URLs are sent to the psycopg 3 driver.
"""

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import NullPool

WRITE_OPTION = "medbill_write"
"""Execution option set on the connections of a unit of work that writes (SQLite: BEGIN IMMEDIATE)."""

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str | URL) -> URL:
    """Pick the driver medbill uses for each backend (`postgresql://` → psycopg 3).

    >>> str(normalise_url("postgresql://postgres@127.0.0.1:5432/test"))
    'postgresql+psycopg://postgres@127.0.0.1:5432/test'
    >>> str(normalise_url("sqlite:////tmp/medbill.db"))
    'sqlite:////tmp/medbill.db'
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, *, echo: bool = False) -> Engine:
    """Create the engine for `url` with medbill's per-backend settings."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo=echo)
    return create_engine(parsed, echo=echo, pool_pre_ping=True)


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"echo": echo}
    if not in_memory:
        # One connection per unit of work: file locks, not a pool, arbitrate between processes.
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def backend_name(engine: Engine) -> str:
    """`sqlite` or `postgresql`."""
    return engine.dialect.name
