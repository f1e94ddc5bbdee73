"""Remittances: upload an 835, post each of its remittances to the journal (the A/R engine's
`post_remittance_data`, the path `medbill ar post-era` takes: one transaction each, idempotent), mark the claims it answered, and work the
exception and denial queues."""

import datetime as dt
import hashlib
from typing import Any

from medbill.core.errors import InputError
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import ClaimStatus, EraFile, Page
from medbill.services import audit
from medbill.services.era import ProgressFn, post_remittance_data
from medbill.services.practice import NotFound
from medbill.services.remittance_files import decode, read_remittances
from medbill.storage import Database
from medbill.storage.base import utcnow


def upload(database: Database, actor: Actor, name: str, data: bytes) -> int:
    """Keep the uploaded file; posting is a separate step (often a background job). The file is read
    here with the same reader posting uses, so a file that cannot be posted is refused at once, with
    the same message `medbill ar post-era` gives."""
    read_remittances(data, name=name)
    with database.unit_of_work() as uow:
        era_id = uow.era_files.add(
            name, hashlib.sha256(data).hexdigest(), decode(data, name), by=actor.username, at=utcnow()
        )
        audit.record(uow, actor, AuditAction.IMPORT, "era", era_id, detail={"name": name})
        return era_id


def post(
    database: Database,
    actor: Actor,
    era_id: int,
    *,
    progress: ProgressFn | None = None,
    today: dt.date | None = None,
) -> EraFile:
    """Post an uploaded file through the A/R engine's one posting path (`post_remittance_data`, as
    `medbill ar post-era` does), then mark the claims it answered as remitted."""
    with database.reader() as uow:
        found = uow.era_files.content(era_id)
        era = uow.era_files.get(era_id)
    if found is None or era is None:
        raise NotFound(f"there is no uploaded remittance file {era_id}")
    name, text = found
    try:
        posted = post_remittance_data(
            database,
            text.encode("utf-8"),
            name=name,
            today=today,
            progress=progress,
            source_sha256=era.sha256,
        )
    except InputError as exc:
        with database.unit_of_work() as uow:
            uow.era_files.set_results(
                era_id, "failed", [{"error": str(exc.args[0]), "problems": list(exc.problems)}]
            )
        raise
    results = [r.to_dict() for r in posted]
    posted_claims = [c.claim_id for r in posted for c in r.claims if c.claim_id and c.outcome == "posted"]
    with database.unit_of_work() as uow:
        uow.era_files.set_results(era_id, "posted", results)
        uow.claim_work.set_status_for(posted_claims, ClaimStatus.REMITTED, at=utcnow())
        audit.record(uow, actor, AuditAction.UPDATE, "era", era_id, detail={"claims": posted_claims[:200]})
        done = uow.era_files.get(era_id)
        assert done is not None
        return done


def get_era(database: Database, actor: Actor, era_id: int) -> EraFile:
    with database.reader() as uow:
        found = uow.era_files.get(era_id)
    if found is None:
        raise NotFound(f"there is no uploaded remittance file {era_id}")
    audit.record_read(database, actor, "era", era_id)
    return found


def list_eras(database: Database, *, offset: int, limit: int) -> Page:
    with database.reader() as uow:
        items, total = uow.era_files.list(offset=offset, limit=limit)
    return Page(tuple(items), total, offset, limit)


def exceptions(database: Database, *, status: str | None = "open") -> list[Any]:
    from medbill.ar.records import QueueStatus

    with database.reader() as uow:
        return uow.queues.exceptions(status=QueueStatus(status) if status else None)


def denials(database: Database, *, status: str | None = "open", category: str | None = None) -> list[Any]:
    from medbill.ar.records import QueueStatus

    with database.reader() as uow:
        items = uow.queues.denials(status=QueueStatus(status) if status else None)
    return [d for d in items if category is None or str(d.category) == category]
