"""The transactional store: SQLAlchemy 2 tables, Alembic migrations, repositories, unit of work.

Only this package imports SQLAlchemy. Services open a unit of work per business action:

    from medbill.storage import open_database
    db = open_database()
    with db.unit_of_work() as uow:
        ...

The embedded default is the SQLite file `medbill.db` in MEDBILL_HOME; production is PostgreSQL
(`MEDBILL_DATABASE_URL=postgresql://user@host/db`). `medbill db upgrade` applies the migrations.
"""

from medbill.storage.database import Database, open_database, resolve_url
from medbill.storage.migrate import SchemaStatus
from medbill.storage.uow import UnitOfWork

__all__ = ["Database", "SchemaStatus", "UnitOfWork", "open_database", "resolve_url"]
