"""The audit log of every read and write of patient data: who, what, when, from where.

Writes are audited in the unit of work that makes them (both commit or neither); reads are audited in
a unit of work of their own right after the read, before the data is returned. Entries are never
changed: the repository only inserts and the database refuses UPDATE and DELETE.
"""

from typing import Any

from medbill.practice.accounts import Actor, AuditAction, AuditEvent
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow


def record(
    uow: UnitOfWork,
    actor: Actor,
    action: AuditAction,
    resource: str,
    resource_id: object = "",
    *,
    patient_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    uow.audit.add(
        at=utcnow(),
        user_id=actor.user.id,
        username=actor.user.username,
        role=actor.user.role.value,
        action=action.value,
        resource=resource,
        resource_id=str(resource_id)[:80],
        patient_id=patient_id,
        client=actor.client[:64],
        user_agent=actor.user_agent[:200],
        request=actor.request[:300],
        detail=detail,
    )


def record_read(
    database: Database,
    actor: Actor,
    resource: str,
    resource_id: object = "",
    *,
    patient_id: int | None = None,
    action: AuditAction = AuditAction.READ,
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit a read in its own transaction."""
    with database.unit_of_work() as uow:
        record(uow, actor, action, resource, resource_id, patient_id=patient_id, detail=detail)


def search(
    database: Database,
    *,
    username: str | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    resource: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditEvent], int]:
    with database.reader() as uow:
        return uow.audit.search(
            username=username,
            patient_id=patient_id,
            action=action,
            resource=resource,
            offset=offset,
            limit=limit,
        )
