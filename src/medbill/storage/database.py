"""The store: a `Database` hands out units of work, one per business action.

    db = open_database()                    # MEDBILL_DATABASE_URL, or the SQLite file in MEDBILL_HOME
    with db.unit_of_work() as uow:          # one transaction: committed at the end of the block,
        uow.claims.add(...)                 # rolled back if anything in it raises
        uow.journal.add_entries(...)
    with db.reader() as uow:                # a consistent read; never commits
        uow.journal.balances(...)

Services open the unit of work; repositories never commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from medbill.core.errors import DataError
from medbill.settings import get_settings
from medbill.storage import migrate
from medbill.storage.engine import WRITE_OPTION, make_engine, normalise_url
from medbill.storage.uow import UnitOfWork


class Database:
    """A connection to the transactional store (an engine and its session factories)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._reader = sessionmaker(bind=engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The URL with any password hidden (safe to print)."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One business action: commits when the block ends, rolls back everything if it raises."""
        session: Session = self._writer()
        try:
            with session.begin():
                yield UnitOfWork(session)
        finally:
            session.close()

    @contextmanager
    def reader(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work: one consistent transaction, always rolled back."""
        session: Session = self._reader()
        try:
            with session.begin():
                yield UnitOfWork(session)
                session.rollback()
        finally:
            session.close()

    def status(self) -> migrate.SchemaStatus:
        return migrate.status(self.engine)

    def upgrade(self, revision: str = "head") -> migrate.SchemaStatus:
        return migrate.upgrade(self.engine, revision)

    def close(self) -> None:
        self.engine.dispose()


def resolve_url(url: str | None = None) -> str:
    """The database URL: `url`, else `MEDBILL_DATABASE_URL`, else `medbill.db` in MEDBILL_HOME."""
    return url or get_settings().database_url


def open_database(url: str | None = None, *, require_current: bool = True) -> Database:
    """Open the store. With `require_current`, refuse a database whose schema is not at the newest
    migration (the message says to run `medbill db upgrade`)."""
    parsed = normalise_url(resolve_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    database = Database(make_engine(parsed))
    if require_current:
        try:
            state = database.status()
        except Exception as exc:
            database.close()
            raise DataError(f"cannot open the database {_safe(parsed)}: {exc}") from exc
        if not state.up_to_date:
            database.close()
            where = state.current or "empty"
            raise DataError(
                f"the database {_safe(parsed)} is at schema revision {where}, this medbill needs "
                f"{state.head}: run `medbill db upgrade`"
            )
    return database


def _safe(url: object) -> str:
    return make_url(str(url)).render_as_string(hide_password=True)
