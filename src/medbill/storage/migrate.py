"""Apply and inspect the Alembic migrations shipped in `medbill.storage.migrations`.

Runs from an installed wheel: the script location is a package resource, not a path in a checkout,
and no `alembic.ini` is needed. Each upgrade runs in one transaction (PostgreSQL and SQLite both
have transactional DDL), so a failed migration leaves the schema where it was.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from medbill.core.errors import DataError

SCRIPT_LOCATION = "medbill.storage:migrations"


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a database stands: its revision (None when empty) and the newest this medbill knows."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise DataError("medbill ships no database migrations (broken installation)")
    return head


def status(engine: Engine) -> SchemaStatus:
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaStatus(current=current, head=head_revision())


def upgrade(engine: Engine, revision: str = "head") -> SchemaStatus:
    """Migrate the database to `revision` (default: the newest) in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return status(engine)


def downgrade(engine: Engine, revision: str) -> SchemaStatus:
    """Migrate the database back to `revision` (`base`: empty) in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    return status(engine)


def upgrade_sql(url: str, revision: str = "head") -> None:
    """Print the SQL of the migrations instead of running them (Alembic offline mode)."""
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision, sql=True)


def new_revision(engine: Engine, message: str, *, autogenerate: bool) -> Path:
    """Write the next numbered migration (for developers working in a checkout)."""
    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(r.revision) for r in script.walk_revisions() if re.fullmatch(r"\d{4}", r.revision)]
    rev_id = f"{max(numbers, default=0) + 1:04d}"
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
    config = alembic_config()
    config.set_main_option("file_template", f"%%(rev)s_{slug}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        written = command.revision(config, message=message, autogenerate=autogenerate, rev_id=rev_id)
    if written is None or isinstance(written, list):  # pragma: no cover - one head, one script
        raise DataError("alembic wrote no single revision script")
    return Path(written.path)
