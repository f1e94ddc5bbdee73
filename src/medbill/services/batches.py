"""Batches: send ready claims as one 837 interchange (and post their charges to the journal, in the
same transaction), take the clearinghouse's acknowledgements (999, 277CA), and have the sandbox payer
answer a batch with an 835.

The X12 sender/receiver come from `MEDBILL_HOME/x12.yaml` when present (`medbill.x12.load_config`
format), else a test-usage setup addressed to the sandbox payer.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from medbill.core.claim import Claim
from medbill.core.errors import InputError
from medbill.core.findings import Finding
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import Batch, ClaimStatus, Page
from medbill.services import audit, engines
from medbill.services.charges import record_claim
from medbill.services.practice import Conflict, NotFound
from medbill.settings import get_settings
from medbill.storage import Database
from medbill.storage.base import utcnow

DEFAULT_X12: dict[str, Any] = {
    "sender_id": "MEDBILL",
    "receiver_id": "MBSANDBOX",
    "usage": "T",
    "submitter": {
        "name": "MEDBILL PRACTICE",
        "id": "MEDBILL",
        "contact": {"name": "BILLING OFFICE", "phone": "5555550100"},
    },
    "receiver": {"name": "MEDBILL SANDBOX MEDICARE", "id": "MBSANDBOX"},
    "payer_contact": {"name": "SANDBOX EDI SUPPORT", "phone": "8005550199"},
}


def x12_config(sender: bool = True) -> Any:
    from medbill.x12 import load_config

    path: Path = get_settings().home / "x12.yaml"
    config = load_config(path) if path.is_file() else load_config(DEFAULT_X12)
    if sender:
        return config
    # the sandbox payer writes the 835: sender and receiver swap
    return config.model_copy(
        update={
            "sender_id": config.receiver_id,
            "receiver_id": config.sender_id,
            "sender_qualifier": config.receiver_qualifier,
            "receiver_qualifier": config.sender_qualifier,
            "application_sender": None,
            "application_receiver": None,
        }
    )


def interchange_control(x12: str) -> str:
    """ISA13 of an interchange (the ISA segment has fixed-width elements)."""
    separator = x12[3]
    return x12[:106].split(separator)[13].strip()


def create_batch(
    database: Database, actor: Actor, claim_ids: list[str], *, on: dt.date | None = None
) -> Batch:
    """Write the 837 of `claim_ids` (all checked `ready`) and post their charges, in one transaction."""
    from medbill.x12 import write_837

    if not claim_ids:
        raise InputError("choose the claims to send")
    on = on or dt.date.today()
    with database.unit_of_work() as uow:
        claims: list[Claim] = []
        works = []
        for claim_id in dict.fromkeys(claim_ids):
            work = uow.claim_work.get(claim_id)
            if work is None:
                raise NotFound(f"there is no claim {claim_id!r}")
            if work.status != ClaimStatus.READY:
                raise Conflict(
                    f"claim {claim_id} is {work.status.value}: only checked, ready claims can be sent"
                )
            works.append(work)
            claims.append(Claim.model_validate(work.document))
        text = write_837(claims, x12_config())
        now = utcnow()
        total = sum((c.total_charge for c in claims), start=claims[0].total_charge * 0)
        batch_id = uow.batches.add(
            claim_count=len(claims),
            total_charge=total,
            control=interchange_control(text),
            x12=text,
            by=actor.username,
            at=now,
        )
        for work, claim in zip(works, claims, strict=True):
            findings = tuple(Finding(**_finding_args(f)) for f in work.findings)
            record_claim(uow, claim, on=on, clean=work.clean, findings=findings)
            uow.claim_work.update(
                work.claim_id, batch_id=batch_id, status=ClaimStatus.BATCHED, updated_at=now
            )
            audit.record(
                uow,
                actor,
                AuditAction.EXPORT,
                "claim",
                work.claim_id,
                patient_id=work.patient_id,
                detail={"batch": batch_id},
            )
        found = uow.batches.get(batch_id)
        assert found is not None
        return found


def _finding_args(data: dict[str, Any]) -> dict[str, Any]:
    from medbill.core.findings import Severity, Source

    source = data.get("source")
    return {
        "rule": data["rule"],
        "severity": Severity(data["severity"]),
        "message": data.get("message", ""),
        "lines": tuple(data.get("lines") or ()),
        "codes": tuple(data.get("codes") or ()),
        "source": Source(**source) if source else None,
        "fix": data.get("fix", ""),
    }


def get_batch(database: Database, batch_id: int) -> Batch:
    with database.reader() as uow:
        found = uow.batches.get(batch_id)
    if found is None:
        raise NotFound(f"there is no batch {batch_id}")
    return found


def batch_x12(database: Database, actor: Actor, batch_id: int) -> str:
    """The 837 text (it names patients: the download is audited)."""
    with database.reader() as uow:
        text = uow.batches.x12(batch_id)
    if text is None:
        raise NotFound(f"there is no batch {batch_id}")
    audit.record_read(database, actor, "batch", batch_id, action=AuditAction.EXPORT)
    return text


def list_batches(database: Database, *, status: str | None, offset: int, limit: int) -> Page:
    with database.reader() as uow:
        items, total = uow.batches.list(status=status, offset=offset, limit=limit)
    return Page(tuple(items), total, offset, limit)


def import_acknowledgment(database: Database, actor: Actor, batch_id: int, text: str) -> Batch:
    """Record a 999 or 277CA for the batch and move its claims to accepted / rejected."""
    from medbill.x12.read277 import read_277ca
    from medbill.x12.read999 import read_999

    kind = "277CA" if "*277*" in text[:2000] or "~ST*277" in text.replace("\n", "") else "999"
    if kind == "999":
        groups, findings = read_999(text)
        if not groups:
            raise InputError("not a readable 999 acknowledgement", tuple(f.message for f in findings[:10]))
        accepted = all(g.accepted for g in groups)
        summary: dict[str, Any] = {"groups": [g.to_dict() for g in groups]}
        claim_status: dict[str | None, ClaimStatus] = {
            None: ClaimStatus.ACCEPTED if accepted else ClaimStatus.REJECTED
        }
    else:
        reports, findings = read_277ca(text)
        if not reports:
            raise InputError("not a readable 277CA acknowledgement", tuple(f.message for f in findings[:10]))
        per_claim = {c.claim_id: c.accepted for r in reports for c in r.claims}
        accepted = all(per_claim.values())
        summary = {"reports": [r.to_dict() for r in reports]}
        claim_status = {k: ClaimStatus.ACCEPTED if v else ClaimStatus.REJECTED for k, v in per_claim.items()}
    with database.unit_of_work() as uow:
        batch = uow.batches.get(batch_id)
        if batch is None:
            raise NotFound(f"there is no batch {batch_id}")
        now = utcnow()
        uow.batches.add_acknowledgment(batch_id, kind, accepted, summary, text, by=actor.username, at=now)
        uow.batches.set_status(batch_id, "accepted" if accepted else "rejected")
        for claim_id in batch.claim_ids:
            status = claim_status.get(claim_id) or claim_status.get(None)
            work = uow.claim_work.get(claim_id)
            if (
                status is not None
                and work is not None
                and work.status in (ClaimStatus.BATCHED, ClaimStatus.ACCEPTED)
            ):
                uow.claim_work.update(claim_id, status=status, updated_at=now)
        audit.record(
            uow, actor, AuditAction.IMPORT, "batch", batch_id, detail={"kind": kind, "accepted": accepted}
        )
        found = uow.batches.get(batch_id)
        assert found is not None
        return found


def sandbox_835(database: Database, actor: Actor, batch_id: int) -> str:
    """The sandbox payer's 835 for the claims of a batch (read back from its 837)."""
    from medbill.x12 import read_837
    from medbill.x12.write835 import write_835

    text = batch_x12(database, actor, batch_id)
    claims, _findings = read_837(text)
    remittances, _decisions = engines.adjudicate(list(claims))
    return write_835(remittances, x12_config(sender=False))
