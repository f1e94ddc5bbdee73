"""FHIR in and out: import a Bundle as an encounter to code and bill; export a worklist claim as a
FHIR Claim and its posted remittance as an ExplanationOfBenefit. Every import and export is audited."""

import datetime as dt
from typing import Any

from medbill.core.claim import Address, Claim, PayerType, Sex
from medbill.core.errors import InputError
from medbill.fhir.bundle_in import read_bundle
from medbill.fhir.claim_out import claim_resource
from medbill.fhir.eob_out import eob_resource
from medbill.practice.accounts import Actor, AuditAction
from medbill.practice.records import Decision, EncounterStatus, PatientRecord, ProviderRecord
from medbill.services import audit
from medbill.services.practice import NotFound
from medbill.storage import Database
from medbill.storage.base import utcnow


def import_bundle(
    database: Database, actor: Actor, data: dict[str, Any], *, code: bool = False
) -> dict[str, Any]:
    """Store the Bundle's patient, payer, coverage, providers and encounter (one transaction); its coded
    Conditions and Procedures become proposals a coder reviews, next to what the coder finds in the note."""
    found = read_bundle(data)
    if found.practitioner is None or not found.practitioner.get("npi"):
        raise InputError("the Bundle needs a Practitioner with an NPI (identifier system us-npi)")
    if found.organization is None or not (
        found.organization.get("tax_id") and found.organization.get("address")
    ):
        raise InputError("the Bundle needs the billing Organization with its NPI, tax id and address")
    now = utcnow()
    with database.unit_of_work() as uow:
        payer_id = None
        if found.payer is not None:
            payer = uow.practice.payer_by_code(found.payer["payer_code"]) or uow.practice.add_payer(
                found.payer["payer_code"], found.payer["name"], PayerType(found.payer["type"]), None, at=now
            )
            payer_id = payer.id
        rendering = uow.practice.provider_by_npi(found.practitioner["npi"]) or uow.practice.add_provider(
            ProviderRecord(
                0,
                found.practitioner["npi"],
                "individual",
                found.practitioner["name"],
                found.practitioner.get("first_name"),
            ),
            at=now,
        )
        org = found.organization
        billing = uow.practice.provider_by_npi(org["npi"]) or uow.practice.add_provider(
            ProviderRecord(
                0,
                org["npi"],
                "organization",
                org["name"],
                None,
                None,
                org["tax_id"],
                Address.model_validate(org["address"]),
            ),
            at=now,
        )
        person = found.patient
        existing = uow.practice.patient_by_mrn(person["mrn"])
        if existing is not None:
            patient_id = existing.id
        else:
            patient_id = uow.practice.add_patient(
                PatientRecord(
                    0,
                    person["mrn"],
                    person["last_name"],
                    person["first_name"],
                    person["birth_date"],
                    Sex(person["sex"]),
                    None,
                    Address.model_validate(person["address"]) if person["address"] else None,
                ),
                at=now,
            )
        if payer_id is not None and found.coverage is not None:
            from medbill.core.claim import Responsibility

            uow.practice.set_coverage(
                patient_id,
                payer_id,
                Responsibility(found.coverage["responsibility"]),
                found.coverage["member_id"],
            )
        encounter_id = uow.encounters.add(
            patient_id=patient_id,
            rendering_provider_id=rendering.id,
            billing_provider_id=billing.id,
            service_date=found.service_date,
            setting=found.setting,
            place_of_service="11",
            visit_type="established",
            note=found.note or "(no note in the FHIR Bundle)",
            source="fhir",
            created_at=now,
            updated_at=now,
        )
        for position, item in enumerate(found.conditions + found.procedures, start=1):
            uow.encounters.add_code(
                encounter_id,
                position=position,
                code=item["code"].upper(),
                system=item["system"],
                description="",
                score=None,
                status="present",
                evidence=[],
                rationale="coded in the source record (FHIR)",
                origin="fhir",
                decision=Decision.PENDING.value,
            )
        if found.conditions or found.procedures:
            uow.encounters.update(encounter_id, status=EncounterStatus.CODED)
        audit.record(
            uow,
            actor,
            AuditAction.IMPORT,
            "encounter",
            encounter_id,
            patient_id=patient_id,
            detail={"source": "fhir"},
        )
    if code and found.note.strip():
        from medbill.services.encounters import code_encounter

        code_encounter(database, actor, encounter_id)
    return {
        "encounter_id": encounter_id,
        "patient_id": patient_id,
        "conditions": len(found.conditions),
        "procedures": len(found.procedures),
    }


def export_claim(database: Database, actor: Actor, claim_id: str) -> dict[str, Any]:
    with database.reader() as uow:
        work = uow.claim_work.get(claim_id)
    if work is None:
        raise NotFound(f"there is no claim {claim_id!r} on the worklist")
    resource = claim_resource(Claim.model_validate(work.document), created=work.created_at.date())
    audit.record_read(
        database,
        actor,
        "claim",
        claim_id,
        patient_id=work.patient_id,
        action=AuditAction.EXPORT,
        detail={"format": "fhir-claim"},
    )
    return resource


def export_eob(database: Database, actor: Actor, claim_id: str) -> dict[str, Any]:
    with database.reader() as uow:
        work = uow.claim_work.get(claim_id)
        records = [r for r in uow.remittances.claim_payments(claim_id) if r.outcome == "posted"]
        header = uow.remittances.header(records[-1].remittance_id) if records else None
    if work is None:
        raise NotFound(f"there is no claim {claim_id!r} on the worklist")
    if not records or header is None:
        raise NotFound(f"no remittance is posted for claim {claim_id!r}")
    last = records[-1]
    resource = eob_resource(
        Claim.model_validate(work.document),
        last.payment,
        paid_on=last.payment_date or dt.date.today(),
        trace_number=header.payment.trace_number,
    )
    audit.record_read(
        database,
        actor,
        "claim",
        claim_id,
        patient_id=work.patient_id,
        action=AuditAction.EXPORT,
        detail={"format": "fhir-eob"},
    )
    return resource
