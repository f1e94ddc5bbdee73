"""Encounters: record a note, have the engine code it, let a coder accept / reject / replace each
code and set the E/M level; every read and write is audited."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from medbill.core.errors import InputError
from medbill.core.model import Frozen
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import Decision, Encounter, EncounterStatus, Page
from medbill.services import audit, engines
from medbill.services.practice import NotFound
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow

CODED_STATUSES = ("present",)
SETTINGS = ("outpatient", "inpatient")
VISIT_TYPES = ("new", "established")


class NewEncounter(Frozen):
    patient_id: int
    rendering_provider_id: int
    billing_provider_id: int
    service_date: dt.date
    note: str
    setting: str = "outpatient"
    place_of_service: str = "11"
    visit_type: str = "established"
    source: str = "manual"


def create_encounter(database: Database, actor: Actor, new: NewEncounter) -> Encounter:
    if new.setting not in SETTINGS:
        raise InputError(f"setting must be one of {', '.join(SETTINGS)}")
    if new.visit_type not in VISIT_TYPES:
        raise InputError(f"visit_type must be one of {', '.join(VISIT_TYPES)}")
    if not new.note.strip():
        raise InputError("the note is empty")
    with database.unit_of_work() as uow:
        if uow.practice.patient(new.patient_id) is None:
            raise InputError(f"there is no patient {new.patient_id}")
        for what, provider_id in (
            ("rendering", new.rendering_provider_id),
            ("billing", new.billing_provider_id),
        ):
            if uow.practice.provider(provider_id) is None:
                raise InputError(f"there is no {what} provider {provider_id}")
        now = utcnow()
        encounter_id = uow.encounters.add(**new.model_dump(), created_at=now, updated_at=now)
        audit.record(uow, actor, AuditAction.CREATE, "encounter", encounter_id, patient_id=new.patient_id)
        return _get(uow, encounter_id)


def _get(uow: UnitOfWork, encounter_id: int) -> Encounter:
    found = uow.encounters.get(encounter_id)
    if found is None:
        raise NotFound(f"there is no encounter {encounter_id}")
    return found


def get_encounter(database: Database, actor: Actor, encounter_id: int) -> Encounter:
    with database.reader() as uow:
        found = _get(uow, encounter_id)
    audit.record_read(database, actor, "encounter", encounter_id, patient_id=found.patient_id)
    return found


def list_encounters(
    database: Database,
    actor: Actor,
    *,
    status: str | None = None,
    patient_id: int | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page:
    with database.reader() as uow:
        items, total = uow.encounters.list(
            status=status, patient_id=patient_id, q=q, offset=offset, limit=limit
        )
    audit.record_read(
        database, actor, "encounter", "", action=AuditAction.LIST, detail={"ids": [e.id for e in items]}
    )
    return Page(tuple(items), total, offset, limit)


def _code_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for position, code in enumerate(result["codes"], start=1):
        status = str(code.get("status") or "present")
        rows.append(
            {
                "position": position,
                "code": str(code["code"]).upper(),
                "system": str(code.get("system") or "icd10cm"),
                "description": str(code.get("description") or "")[:300],
                "score": float(code["score"]) if code.get("score") is not None else None,
                "status": status,
                "evidence": [
                    {"start": int(e["start"]), "end": int(e["end"]), "text": str(e.get("text", ""))}
                    for e in code.get("evidence") or []
                ],
                "rationale": str(code.get("rationale") or "")[:500],
                "decision": Decision.PENDING.value,
            }
        )
    return rows


def code_encounter(database: Database, actor: Actor, encounter_id: int) -> Encounter:
    """Run the coder (and E/M leveling) on the encounter's note; the proposals wait for a coder."""
    with database.reader() as uow:
        encounter = _get(uow, encounter_id)
    result = engines.code_note(encounter.note, setting=encounter.setting, on=encounter.service_date)
    em = None
    if encounter.setting == "outpatient":
        em = engines.em_from_note(encounter.note, visit_type=encounter.visit_type)
    with database.unit_of_work() as uow:
        uow.encounters.replace_engine_codes(encounter_id, _code_rows(result))
        now = utcnow()
        values: dict[str, Any] = {
            "mentions": result["mentions"],
            "coded_at": now,
            "updated_at": now,
            "status": EncounterStatus.CODED,
        }
        if em is not None and not (encounter.em or {}).get("set_by"):
            values["em"] = em
        uow.encounters.update(encounter_id, **values)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "encounter",
            encounter_id,
            patient_id=encounter.patient_id,
            detail={"coded": len(result["codes"])},
        )
        return _get(uow, encounter_id)


def decide(
    database: Database,
    actor: Actor,
    encounter_id: int,
    code_id: int,
    decision: Decision,
    *,
    replacement: str | None = None,
    system: str | None = None,
) -> Encounter:
    """Accept or reject one proposed code, or replace it with another code (`replacement`)."""
    with database.unit_of_work() as uow:
        encounter = _get(uow, encounter_id)
        code = next((c for c in encounter.codes if c.id == code_id), None)
        if code is None:
            raise NotFound(f"encounter {encounter_id} has no code {code_id}")
        now = utcnow()
        if decision == Decision.REPLACED:
            if not replacement:
                raise InputError("give the code that replaces it")
            new_id = uow.encounters.add_code(
                encounter_id,
                position=code.position,
                code=replacement.strip().upper(),
                system=system or code.system,
                description=_describe(replacement, system or code.system, encounter.service_date),
                score=None,
                status="present",
                evidence=[{"start": e.start, "end": e.end, "text": e.text} for e in code.evidence],
                rationale=f"replaces {code.code} (coder)",
                origin="coder",
                decision=Decision.ACCEPTED.value,
                decided_by=actor.username,
                decided_at=now,
            )
            uow.encounters.decide(code_id, Decision.REPLACED, by=actor.username, at=now, replaced_by=new_id)
        else:
            uow.encounters.decide(code_id, decision, by=actor.username, at=now)
        _after_decision(uow, encounter_id, now)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "encounter",
            encounter_id,
            patient_id=encounter.patient_id,
            detail={"code": code.code, "decision": decision.value, "replacement": replacement},
        )
        return _get(uow, encounter_id)


def add_code(database: Database, actor: Actor, encounter_id: int, code: str, system: str) -> Encounter:
    """A code the coder adds that the engine did not propose (accepted at once)."""
    with database.unit_of_work() as uow:
        encounter = _get(uow, encounter_id)
        now = utcnow()
        uow.encounters.add_code(
            encounter_id,
            position=uow.encounters.next_position(encounter_id),
            code=code.strip().upper(),
            system=system,
            description=_describe(code, system, encounter.service_date),
            score=None,
            status="present",
            evidence=[],
            rationale="added by the coder",
            origin="coder",
            decision=Decision.ACCEPTED.value,
            decided_by=actor.username,
            decided_at=now,
        )
        _after_decision(uow, encounter_id, now)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "encounter",
            encounter_id,
            patient_id=encounter.patient_id,
            detail={"added": code},
        )
        return _get(uow, encounter_id)


def accept_all(database: Database, actor: Actor, encounter_id: int, *, min_score: float = 0.0) -> Encounter:
    """Accept every pending proposal of a present condition (scoring at least `min_score`)."""
    with database.unit_of_work() as uow:
        encounter = _get(uow, encounter_id)
        now = utcnow()
        accepted = []
        for code in encounter.codes:
            if code.decision != Decision.PENDING or code.status not in CODED_STATUSES:
                continue
            if code.score is not None and code.score < min_score:
                continue
            uow.encounters.decide(code.id, Decision.ACCEPTED, by=actor.username, at=now)
            accepted.append(code.code)
        _after_decision(uow, encounter_id, now)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "encounter",
            encounter_id,
            patient_id=encounter.patient_id,
            detail={"accepted": accepted},
        )
        return _get(uow, encounter_id)


def set_em(database: Database, actor: Actor, encounter_id: int, code: str, reason: str) -> Encounter:
    """The coder sets (or overrides) the E/M level."""
    from medbill.practice.claim_builder import charge_master

    if code not in charge_master()[0] or not code.startswith("992"):
        raise InputError(f"{code!r} is not an office/outpatient E/M code this practice bills")
    with database.unit_of_work() as uow:
        encounter = _get(uow, encounter_id)
        em = {"code": code, "reason": reason or "set by the coder", "set_by": actor.username}
        uow.encounters.update(encounter_id, em=em, updated_at=utcnow())
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "encounter",
            encounter_id,
            patient_id=encounter.patient_id,
            detail={"em": code},
        )
        return _get(uow, encounter_id)


def _after_decision(uow: UnitOfWork, encounter_id: int, now: dt.datetime) -> None:
    encounter = _get(uow, encounter_id)
    if encounter.status == EncounterStatus.BILLED:
        uow.encounters.update(encounter_id, updated_at=now)
        return
    pending = any(c.decision == Decision.PENDING and c.status in CODED_STATUSES for c in encounter.codes)
    accepted = any(c.decision == Decision.ACCEPTED for c in encounter.codes)
    status = EncounterStatus.REVIEWED if accepted and not pending else EncounterStatus.CODED
    uow.encounters.update(encounter_id, status=status, updated_at=now)


def _describe(code: str, system: str, on: dt.date) -> str:
    try:
        return str(engines.lookup_code(code.strip().upper(), system=system, on=on).get("description", ""))[
            :300
        ]
    except Exception:  # knowledge base not built or the code unknown: the scrubber will say so
        return ""


ProgressFn = Callable[[int, int, str], None]


def code_many(
    database: Database, actor: Actor, encounter_ids: list[int], progress: ProgressFn
) -> dict[str, Any]:
    """Code several encounters (the batch-coding job); one failure does not stop the others."""
    done, failed = [], []
    for n, encounter_id in enumerate(encounter_ids, start=1):
        try:
            code_encounter(database, actor, encounter_id)
            done.append(encounter_id)
        except Exception as exc:  # reported per encounter in the job's result
            failed.append({"encounter_id": encounter_id, "error": str(exc)[:300]})
        progress(n, len(encounter_ids), f"coded {n} of {len(encounter_ids)}")
    return {"coded": done, "failed": failed}
