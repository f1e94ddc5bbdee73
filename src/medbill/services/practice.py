"""Patients (with their coverage), payers and providers: create, change, find. Patient reads and
writes are audited."""

from dataclasses import replace
from typing import Any

from medbill.core.claim import Address, PayerType, Relationship, Responsibility
from medbill.core.errors import InputError
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import Page, PatientRecord, PayerRecord, ProviderRecord
from medbill.rules.builtin.identifiers import npi_problem
from medbill.services import audit
from medbill.storage import Database
from medbill.storage.base import utcnow


class NotFound(InputError):
    """The record asked for does not exist (the API answers 404)."""


class Conflict(InputError):
    """The change conflicts with what is stored (the API answers 409)."""


# -- payers ---------------------------------------------------------------------------------------
def create_payer(
    database: Database, actor: Actor, payer_code: str, name: str, type: PayerType, address: Address | None
) -> PayerRecord:
    with database.unit_of_work() as uow:
        if uow.practice.payer_by_code(payer_code) is not None:
            raise Conflict(f"there is already a payer with id {payer_code!r}")
        payer = uow.practice.add_payer(payer_code, name, type, address, at=utcnow())
        audit.record(uow, actor, AuditAction.CREATE, "payer", payer.id)
        return payer


def get_payer(database: Database, payer_id: int) -> PayerRecord:
    with database.reader() as uow:
        found = uow.practice.payer(payer_id)
    if found is None:
        raise NotFound(f"there is no payer {payer_id}")
    return found


def list_payers(database: Database, *, q: str | None, offset: int, limit: int) -> Page:
    with database.reader() as uow:
        items, total = uow.practice.payers(q=q, offset=offset, limit=limit)
    return Page(tuple(items), total, offset, limit)


# -- providers ------------------------------------------------------------------------------------
def create_provider(database: Database, actor: Actor, record: ProviderRecord) -> ProviderRecord:
    problem = npi_problem(record.npi)
    if problem:
        raise InputError(f"NPI {record.npi!r}: {problem}")
    if record.kind == "organization" and (not record.tax_id or record.address is None):
        raise InputError("a billing organisation needs its tax id and address")
    with database.unit_of_work() as uow:
        if uow.practice.provider_by_npi(record.npi) is not None:
            raise Conflict(f"there is already a provider with NPI {record.npi}")
        provider = uow.practice.add_provider(record, at=utcnow())
        audit.record(uow, actor, AuditAction.CREATE, "provider", provider.id)
        return provider


def get_provider(database: Database, provider_id: int) -> ProviderRecord:
    with database.reader() as uow:
        found = uow.practice.provider(provider_id)
    if found is None:
        raise NotFound(f"there is no provider {provider_id}")
    return found


def list_providers(database: Database, *, q: str | None, kind: str | None, offset: int, limit: int) -> Page:
    with database.reader() as uow:
        items, total = uow.practice.providers(q=q, kind=kind, offset=offset, limit=limit)
    return Page(tuple(items), total, offset, limit)


# -- patients -------------------------------------------------------------------------------------
def create_patient(
    database: Database, actor: Actor, record: PatientRecord, coverages: list[dict[str, Any]]
) -> PatientRecord:
    """Create a patient with coverages (`payer_id`, `member_id`, `responsibility`, ...)."""
    with database.unit_of_work() as uow:
        if uow.practice.patient_by_mrn(record.mrn) is not None:
            raise Conflict(f"there is already a patient with MRN {record.mrn!r}")
        patient_id = uow.practice.add_patient(record, at=utcnow())
        for coverage in coverages:
            _set_coverage(uow, patient_id, coverage)
        audit.record(uow, actor, AuditAction.CREATE, "patient", patient_id, patient_id=patient_id)
        found = uow.practice.patient(patient_id)
        assert found is not None
        return found


def _set_coverage(uow: Any, patient_id: int, coverage: dict[str, Any]) -> None:
    payer = uow.practice.payer(int(coverage["payer_id"]))
    if payer is None:
        raise InputError(f"coverage: there is no payer {coverage['payer_id']}")
    uow.practice.set_coverage(
        patient_id,
        payer.id,
        Responsibility(coverage.get("responsibility") or "primary"),
        str(coverage["member_id"]),
        group_number=coverage.get("group_number"),
        relationship=Relationship(coverage.get("relationship") or "self"),
        subscriber=coverage.get("subscriber"),
    )


def update_patient(
    database: Database,
    actor: Actor,
    patient_id: int,
    changes: dict[str, Any],
    coverages: list[dict[str, Any]] | None = None,
) -> PatientRecord:
    allowed = {"last_name", "first_name", "middle_name", "birth_date", "sex", "address"}
    unknown = set(changes) - allowed
    if unknown:
        raise InputError(f"cannot change {', '.join(sorted(unknown))} of a patient")
    with database.unit_of_work() as uow:
        if uow.practice.patient(patient_id) is None:
            raise NotFound(f"there is no patient {patient_id}")
        if changes:
            uow.practice.update_patient(patient_id, **changes)
        for coverage in coverages or []:
            _set_coverage(uow, patient_id, coverage)
        audit.record(
            uow,
            actor,
            AuditAction.UPDATE,
            "patient",
            patient_id,
            patient_id=patient_id,
            detail={"fields": sorted(changes) + (["coverages"] if coverages else [])},
        )
        found = uow.practice.patient(patient_id)
        assert found is not None
        return found


def get_patient(database: Database, actor: Actor, patient_id: int) -> PatientRecord:
    with database.reader() as uow:
        found = uow.practice.patient(patient_id)
    if found is None:
        raise NotFound(f"there is no patient {patient_id}")
    audit.record_read(database, actor, "patient", patient_id, patient_id=patient_id)
    return found


def list_patients(database: Database, actor: Actor, *, q: str | None, offset: int, limit: int) -> Page:
    with database.reader() as uow:
        items, total = uow.practice.patients(q=q, offset=offset, limit=limit)
    audit.record_read(
        database,
        actor,
        "patient",
        "",
        action=AuditAction.LIST,
        detail={"ids": [p.id for p in items], "q": bool(q)},
    )
    return Page(tuple(items), total, offset, limit)


def patient_names(database: Database, ids: set[int]) -> dict[int, str]:
    """Display names for worklists (the caller audits the list it shows them in)."""
    names = {}
    with database.reader() as uow:
        for patient_id in ids:
            found = uow.practice.patient(patient_id)
            if found:
                names[patient_id] = found.display_name
    return names


def with_mrn(record: PatientRecord, mrn: str) -> PatientRecord:
    return replace(record, mrn=mrn)
