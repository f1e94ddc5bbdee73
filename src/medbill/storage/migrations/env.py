"""Alembic environment: runs migrations on the connection `medbill.storage.migrate` hands over.

SQLite gets batch mode (copy-and-move ALTER TABLE), so column and constraint changes work there too.
"""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, Connection

import medbill.storage.tables  # noqa: F401  (registers every table on Base.metadata)
from medbill.storage.base import Base, Cents, UtcDateTime
from medbill.storage.engine import make_engine

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write medbill's column types as plain SQLAlchemy types, so migrations never import medbill."""
    if type_ != "type":
        return False
    if isinstance(obj, Cents):
        return "sa.BigInteger()"
    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=bool(url and url.startswith("sqlite")),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as new_connection:
        _configure(new_connection)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
