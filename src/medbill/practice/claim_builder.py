"""Build a claim from a coded encounter: the patient and their coverage, the providers, the accepted
diagnosis codes (first-listed first), an E/M line from the E/M level and a line per accepted HCPCS
code, each charged from the practice's charge master.

Pure: a function of its inputs, no storage.
"""

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

import yaml

from medbill.core.claim import (
    Address,
    BillingProvider,
    Claim,
    Patient,
    Payer,
    Provider,
    Relationship,
    Responsibility,
    ServiceLine,
    Subscriber,
)
from medbill.core.errors import InputError
from medbill.core.money import money
from medbill.practice.records import CoverageRecord, Decision, Encounter, PatientRecord, ProviderRecord

MAX_DIAGNOSES = 12
MAX_POINTERS = 4


@cache
def charge_master() -> tuple[dict[str, Any], Any]:
    text = resources.files("medbill.practice").joinpath("data/charges.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(k): money(str(v)) for k, v in data["charges"].items()}, money(str(data["default"]))


def charge_for(procedure: str) -> Any:
    charges, default = charge_master()
    return charges.get(procedure, default)


def claim_id_for(encounter_id: int, responsibility: Responsibility = Responsibility.PRIMARY) -> str:
    """The patient control number (CLM01) of an encounter's claim."""
    suffix = "" if responsibility == Responsibility.PRIMARY else f"-{responsibility.value[0].upper()}"
    return f"ENC{encounter_id:07d}{suffix}"


def accepted_codes(encounter: Encounter, system: str) -> list[str]:
    seen: list[str] = []
    for code in encounter.codes:
        if code.system == system and code.decision == Decision.ACCEPTED and code.code not in seen:
            seen.append(code.code)
    return seen


def build_claim(
    encounter: Encounter,
    patient: PatientRecord,
    billing: ProviderRecord,
    rendering: ProviderRecord,
    *,
    responsibility: Responsibility = Responsibility.PRIMARY,
) -> Claim:
    """The professional claim for `encounter`; `InputError` says what is missing."""
    coverage = next((c for c in patient.coverages if c.responsibility == responsibility), None)
    problems = []
    if coverage is None:
        problems.append(f"the patient has no {responsibility.value} coverage")
    diagnoses = accepted_codes(encounter, "icd10cm")[:MAX_DIAGNOSES]
    if not diagnoses:
        problems.append("no accepted ICD-10-CM code: a coder has to accept the diagnoses first")
    if billing.address is None or not billing.tax_id:
        problems.append(f"billing provider {billing.npi} has no address or tax id")
    if problems:
        raise InputError(f"encounter {encounter.id}: cannot build the claim", tuple(problems))
    assert coverage is not None
    assert billing.address is not None
    assert billing.tax_id is not None
    pointers = tuple(range(1, min(len(diagnoses), MAX_POINTERS) + 1))
    lines = []
    if encounter.em and encounter.em.get("code"):
        lines.append(_line(str(encounter.em["code"]), encounter, pointers))
    for code in accepted_codes(encounter, "hcpcs"):
        lines.append(_line(code, encounter, pointers))
    if not lines:
        raise InputError(f"encounter {encounter.id}: no E/M level and no procedure code to bill")
    subscriber, person = _people(patient, coverage)
    return Claim(
        claim_id=claim_id_for(encounter.id, responsibility),
        place_of_service=encounter.place_of_service,
        payer=Payer(
            id=coverage.payer.payer_code,
            name=coverage.payer.name,
            type=coverage.payer.type,
            address=coverage.payer.address,
        ),
        responsibility=responsibility,
        billing_provider=BillingProvider(
            npi=billing.npi,
            tax_id=billing.tax_id,
            name=billing.name,
            address=billing.address,
            taxonomy=billing.taxonomy,
        ),
        rendering_provider=Provider(
            npi=rendering.npi,
            first_name=rendering.first_name,
            last_name=rendering.name,
            taxonomy=rendering.taxonomy,
        ),
        subscriber=subscriber,
        patient=person,
        diagnoses=tuple(diagnoses),
        lines=tuple(lines),
    )


def _line(procedure: str, encounter: Encounter, pointers: tuple[int, ...]) -> ServiceLine:
    return ServiceLine(
        procedure=procedure,
        charge=charge_for(procedure),
        service_date=encounter.service_date,
        diagnosis_pointers=pointers,
    )


def _people(patient: PatientRecord, coverage: CoverageRecord) -> tuple[Subscriber, Patient | None]:
    address: Address | None = patient.address
    if coverage.relationship == Relationship.SELF or not coverage.subscriber:
        return (
            Subscriber(
                member_id=coverage.member_id,
                first_name=patient.first_name,
                last_name=patient.last_name,
                middle_name=patient.middle_name,
                birth_date=patient.birth_date,
                sex=patient.sex,
                address=address,
                group_number=coverage.group_number,
            ),
            None,
        )
    sub = coverage.subscriber
    subscriber = Subscriber(
        member_id=coverage.member_id,
        first_name=sub.get("first_name"),
        last_name=sub["last_name"],
        birth_date=dt.date.fromisoformat(str(sub["birth_date"])),
        sex=sub.get("sex") or "U",
        address=Address.model_validate(sub["address"]) if sub.get("address") else address,
        group_number=coverage.group_number,
    )
    person = Patient(
        first_name=patient.first_name,
        last_name=patient.last_name,
        middle_name=patient.middle_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        address=address,
        relationship=coverage.relationship,
    )
    return subscriber, person
