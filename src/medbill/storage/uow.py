"""The unit of work: the repositories of one transaction.

Repositories take and return domain values (`medbill.ar`, `medbill.core`), never ORM rows, so that
nothing outside `storage` sees SQLAlchemy. They flush but never commit; `Database.unit_of_work`
commits once at the end of the business action. Each area adds its repository as a cached property.
"""

from functools import cached_property

from sqlalchemy.orm import Session

from medbill.storage.repositories._common import ClaimKeys
from medbill.storage.repositories.accounts import AuditRepository, JobRepository, UserRepository
from medbill.storage.repositories.claims import ClaimRepository
from medbill.storage.repositories.journal import JournalRepository
from medbill.storage.repositories.practice import PracticeRepository
from medbill.storage.repositories.queues import QueueRepository
from medbill.storage.repositories.remittances import RemittanceRepository
from medbill.storage.repositories.worklists import (
    BatchRepository,
    ClaimWorkRepository,
    EncounterRepository,
    EraFileRepository,
)


class UnitOfWork:
    """Access to the store within one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._claim_keys = ClaimKeys(session)

    @cached_property
    def claims(self) -> ClaimRepository:
        return ClaimRepository(self._session, self._claim_keys)

    @cached_property
    def journal(self) -> JournalRepository:
        return JournalRepository(self._session, self._claim_keys)

    @cached_property
    def remittances(self) -> RemittanceRepository:
        return RemittanceRepository(self._session, self._claim_keys)

    @cached_property
    def queues(self) -> QueueRepository:
        return QueueRepository(self._session, self._claim_keys)

    # -- the app (users, audit log, jobs, practice, worklists) -------------------------------------
    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self._session)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self._session)

    @cached_property
    def jobs(self) -> JobRepository:
        return JobRepository(self._session)

    @cached_property
    def practice(self) -> PracticeRepository:
        return PracticeRepository(self._session)

    @cached_property
    def encounters(self) -> EncounterRepository:
        return EncounterRepository(self._session)

    @cached_property
    def claim_work(self) -> ClaimWorkRepository:
        return ClaimWorkRepository(self._session)

    @cached_property
    def batches(self) -> BatchRepository:
        return BatchRepository(self._session)

    @cached_property
    def era_files(self) -> EraFileRepository:
        return EraFileRepository(self._session)

    def flush(self) -> None:
        """Send pending writes to the database (constraint violations surface here)."""
        self._session.flush()
