"""The unit of work: the repositories of one transaction.

Repositories take and return domain values (`medbill.ar`, `medbill.core`), never ORM rows, so that
nothing outside `storage` sees SQLAlchemy. They flush but never commit; `Database.unit_of_work`
commits once at the end of the business action. Each area adds its repository as a cached property.
"""

from sqlalchemy.orm import Session


class UnitOfWork:
    """Access to the store within one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def flush(self) -> None:
        """Send pending writes to the database (constraint violations surface here)."""
        self._session.flush()
