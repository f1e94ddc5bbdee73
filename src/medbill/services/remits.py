"""Remittances: upload an 835, post each of its remittances to the journal (the A/R engine's
`post_remittance`, one transaction each, idempotent), mark the claims it answered, and work the
exception and denial queues."""

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from medbill.core.errors import InputError
from medbill.core.money import format_money
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import ClaimStatus, EraFile, Page
from medbill.services import audit
from medbill.services.era import post_remittance
from medbill.services.practice import NotFound
from medbill.storage import Database
from medbill.storage.base import utcnow

ProgressFn = Callable[[int, int, str], None]


def upload(database: Database, actor: Actor, name: str, data: bytes) -> int:
    """Keep the uploaded file; posting is a separate step (often a background job)."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.lstrip().startswith("ISA"):
        raise InputError(f"{name}: not an X12 file (it does not start with an ISA segment)")
    with database.unit_of_work() as uow:
        era_id = uow.era_files.add(
            name, hashlib.sha256(data).hexdigest(), text, by=actor.username, at=utcnow()
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
    from medbill.x12 import read_835

    with database.reader() as uow:
        found = uow.era_files.content(era_id)
    if found is None:
        raise NotFound(f"there is no uploaded remittance file {era_id}")
    name, text = found
    remittances, findings = read_835(text)
    if not remittances:
        problems = tuple(f.message for f in findings[:10])
        with database.unit_of_work() as uow:
            uow.era_files.set_results(
                era_id, "failed", [{"error": "no readable 835", "problems": list(problems)}]
            )
        raise InputError(f"{name}: no readable 835 remittance", problems)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    results: list[dict[str, Any]] = []
    for n, remittance in enumerate(remittances, start=1):
        result = post_remittance(database, remittance, source_name=name, source_sha256=digest, today=today)
        results.append(_result(result))
        if progress:
            progress(n, len(remittances), f"posted {n} of {len(remittances)} remittances")
    posted_claims = [
        c["claim_id"] for r in results for c in r["claims"] if c["claim_id"] and c["outcome"] == "posted"
    ]
    with database.unit_of_work() as uow:
        uow.era_files.set_results(era_id, "posted", results)
        uow.claim_work.set_status_for(posted_claims, ClaimStatus.REMITTED, at=utcnow())
        audit.record(uow, actor, AuditAction.UPDATE, "era", era_id, detail={"claims": posted_claims[:200]})
        era = uow.era_files.get(era_id)
        assert era is not None
        return era


def _result(result: Any) -> dict[str, Any]:
    return {
        "trace_number": result.trace_number,
        "payer": result.payer_key,
        "remittance_id": result.remittance_id,
        "duplicate": result.duplicate,
        "payment": format_money(result.payment),
        "entries": result.entries,
        "denials": result.denials,
        "claims": [
            {
                "clp_claim_id": c.clp_claim_id,
                "claim_id": c.claim_id,
                "status": c.status,
                "paid": format_money(c.paid),
                "outcome": c.outcome,
                "exception": c.exception,
                "denials": c.denials,
            }
            for c in result.claims
        ],
        "exceptions": [
            {"kind": e.kind.value, "message": e.message, "amount": format_money(e.amount)}
            for e in result.exceptions
        ],
    }


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
