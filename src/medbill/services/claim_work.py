"""The biller's claim worklist: build a claim from a coded encounter (or take one as JSON), edit it,
check it with the scrubber, price it. Claims carry patient data: every read and write is audited."""

import datetime as dt
from typing import Any

from pydantic import ValidationError

from medbill.core.claim import Claim
from medbill.core.errors import InputError
from medbill.core.findings import has_blocking, is_clean
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.claim_builder import build_claim
from medbill.practice.records import ClaimStatus, ClaimWork, EncounterStatus, Page
from medbill.services import audit, engines
from medbill.services.practice import Conflict, NotFound
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow

EDITABLE = (ClaimStatus.DRAFT, ClaimStatus.FLAGGED, ClaimStatus.READY, ClaimStatus.REJECTED)


def parse_claim(data: Any) -> Claim:
    """A claim from its JSON form; `InputError` lists every problem with its JSON path."""
    try:
        return Claim.model_validate(data)
    except ValidationError as exc:
        problems = tuple(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise InputError("not a valid claim", problems[:30]) from None


def _get(uow: UnitOfWork, claim_id: str) -> ClaimWork:
    found = uow.claim_work.get(claim_id)
    if found is None:
        raise NotFound(f"there is no claim {claim_id!r} on the worklist")
    return found


def claim_from_encounter(database: Database, actor: Actor, encounter_id: int) -> ClaimWork:
    """Build (or rebuild, while it is still editable) the claim of a reviewed encounter."""
    with database.unit_of_work() as uow:
        encounter = uow.encounters.get(encounter_id)
        if encounter is None:
            raise NotFound(f"there is no encounter {encounter_id}")
        patient = uow.practice.patient(encounter.patient_id)
        billing = uow.practice.provider(encounter.billing_provider_id)
        rendering = uow.practice.provider(encounter.rendering_provider_id)
        if patient is None or billing is None or rendering is None:
            raise NotFound(f"encounter {encounter_id}: its patient or a provider no longer exists")
        claim = build_claim(encounter, patient, billing, rendering)
        now = utcnow()
        existing = uow.claim_work.get(claim.claim_id)
        if existing is not None:
            if existing.status not in EDITABLE:
                raise Conflict(
                    f"claim {claim.claim_id} is {existing.status.value} already; it cannot be rebuilt"
                )
            _store(uow, existing, claim, now)
        else:
            uow.claim_work.add(
                claim_id=claim.claim_id,
                encounter_id=encounter_id,
                patient_id=patient.id,
                payer_code=claim.payer.id,
                document=claim.model_dump(mode="json"),
                total_charge=claim.total_charge,
                created_at=now,
                updated_at=now,
            )
        uow.encounters.update(encounter_id, status=EncounterStatus.BILLED, updated_at=now)
        audit.record(uow, actor, AuditAction.CREATE, "claim", claim.claim_id, patient_id=patient.id)
        return _get(uow, claim.claim_id)


def create_claim(
    database: Database, actor: Actor, claim: Claim, *, patient_id: int | None = None
) -> ClaimWork:
    with database.unit_of_work() as uow:
        if uow.claim_work.get(claim.claim_id) is not None:
            raise Conflict(f"there is already a claim {claim.claim_id!r}")
        if patient_id is not None and uow.practice.patient(patient_id) is None:
            raise InputError(f"there is no patient {patient_id}")
        now = utcnow()
        uow.claim_work.add(
            claim_id=claim.claim_id,
            encounter_id=None,
            patient_id=patient_id,
            payer_code=claim.payer.id,
            document=claim.model_dump(mode="json"),
            total_charge=claim.total_charge,
            created_at=now,
            updated_at=now,
        )
        audit.record(uow, actor, AuditAction.CREATE, "claim", claim.claim_id, patient_id=patient_id)
        return _get(uow, claim.claim_id)


def _store(uow: UnitOfWork, work: ClaimWork, claim: Claim, now: dt.datetime) -> None:
    uow.claim_work.update(
        work.claim_id,
        document=claim.model_dump(mode="json"),
        total_charge=claim.total_charge,
        payer_code=claim.payer.id,
        status=ClaimStatus.DRAFT,
        findings=None,
        checked_at=None,
        price=None,
        version=work.version + 1,
        updated_at=now,
    )


def update_claim(
    database: Database, actor: Actor, claim_id: str, claim: Claim, *, version: int | None = None
) -> ClaimWork:
    """Replace the claim's content (a biller's fix); it must be checked again."""
    if claim.claim_id != claim_id:
        raise InputError(f"claim_id {claim.claim_id!r} does not match the claim being edited ({claim_id!r})")
    with database.unit_of_work() as uow:
        work = _get(uow, claim_id)
        if work.status not in EDITABLE:
            raise Conflict(f"claim {claim_id} is {work.status.value}; it can no longer be edited")
        if version is not None and version != work.version:
            raise Conflict(
                f"claim {claim_id} was changed by someone else (version {work.version}); reload it"
            )
        _store(uow, work, claim, utcnow())
        audit.record(uow, actor, AuditAction.UPDATE, "claim", claim_id, patient_id=work.patient_id)
        return _get(uow, claim_id)


def check_claim(
    database: Database, actor: Actor, claim_id: str, *, today: dt.date | None = None
) -> ClaimWork:
    """Run the scrubber; the claim is `ready` when no finding blocks it, else `flagged`.

    `clean` is the claim's first pass through the edits (`medbill.core.findings.is_clean`): once a
    check found it unclean it stays so after it is fixed, as the clean-claim rate counts it."""
    with database.reader() as uow:
        work = _get(uow, claim_id)
    claim = Claim.model_validate(work.document)
    findings = engines.check_claim(claim, today=today)
    with database.unit_of_work() as uow:
        current = _get(uow, claim_id)
        if current.version != work.version:
            raise Conflict(f"claim {claim_id} changed while it was being checked; check it again")
        status = current.status
        if status in EDITABLE:
            status = ClaimStatus.FLAGGED if has_blocking(findings) else ClaimStatus.READY
        uow.claim_work.update(
            claim_id,
            findings=[f.to_dict() for f in findings],
            clean=is_clean(findings) and current.clean is not False,
            checked_at=utcnow(),
            status=status,
        )
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "claim",
            claim_id,
            patient_id=work.patient_id,
            detail={"checked": len(findings)},
        )
        return _get(uow, claim_id)


def price_claim(database: Database, actor: Actor, claim_id: str) -> ClaimWork:
    with database.reader() as uow:
        work = _get(uow, claim_id)
    priced, findings = engines.price_claim(Claim.model_validate(work.document))
    priced["findings"] = [f.to_dict() for f in findings]
    with database.unit_of_work() as uow:
        uow.claim_work.update(claim_id, price=priced)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "claim",
            claim_id,
            patient_id=work.patient_id,
            detail={"priced": True},
        )
        return _get(uow, claim_id)


def get_claim(database: Database, actor: Actor, claim_id: str) -> ClaimWork:
    with database.reader() as uow:
        found = _get(uow, claim_id)
    audit.record_read(database, actor, "claim", claim_id, patient_id=found.patient_id)
    return found


def list_claims(
    database: Database,
    actor: Actor,
    *,
    status: str | None = None,
    patient_id: int | None = None,
    payer_code: str | None = None,
    batch_id: int | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    with database.reader() as uow:
        items, total = uow.claim_work.list(
            status=status,
            patient_id=patient_id,
            payer_code=payer_code,
            batch_id=batch_id,
            q=q,
            offset=offset,
            limit=limit,
        )
    audit.record_read(
        database, actor, "claim", "", action=AuditAction.LIST, detail={"ids": [c.claim_id for c in items]}
    )
    return Page(tuple(items), total, offset, limit)


def check_stateless(claim: Claim, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Check a claim that is not stored (nothing is kept, nothing to audit)."""
    return [f.to_dict() for f in engines.check_claim(claim, today=today)]
