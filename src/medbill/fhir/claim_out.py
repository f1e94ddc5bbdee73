"""A medbill claim → a FHIR R4 `Claim` (professional), with the patient, billing provider, payer and
coverage as contained resources so the document stands on its own."""

import datetime as dt
from typing import Any

from medbill.core.claim import Claim
from medbill.core.money import format_money

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT = "http://www.ama-assn.org/go/cpt"
NPI = "http://hl7.org/fhir/sid/us-npi"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
MODIFIER = "http://terminology.hl7.org/CodeSystem/modifiers"
SEX = {"M": "male", "F": "female", "U": "unknown"}


def procedure_system(code: str) -> str:
    """CPT for five digits (or four digits and a letter), HCPCS Level II otherwise."""
    return CPT if code[:4].isdigit() else HCPCS


def _money(amount: Any) -> dict[str, Any]:
    return {"value": float(format_money(amount)), "currency": "USD"}


def _address(address: Any) -> list[dict[str, Any]]:
    if address is None:
        return []
    return [
        {
            "line": [address.line1] + ([address.line2] if address.line2 else []),
            "city": address.city,
            "state": address.state,
            "postalCode": address.zip,
        }
    ]


def contained(claim: Claim) -> list[dict[str, Any]]:
    person = claim.person
    return [
        {
            "resourceType": "Patient",
            "id": "patient",
            "name": [{"family": person.last_name, "given": [person.first_name] if person.first_name else []}],
            "birthDate": person.birth_date.isoformat() if person.birth_date else None,
            "gender": SEX.get(person.sex.value, "unknown"),
            "address": _address(person.address),
        },
        {
            "resourceType": "Organization",
            "id": "billing",
            "name": claim.billing_provider.name,
            "identifier": [{"system": NPI, "value": claim.billing_provider.npi}],
            "address": _address(claim.billing_provider.address),
        },
        {
            "resourceType": "Organization",
            "id": "payer",
            "name": claim.payer.name,
            "identifier": [{"system": "urn:medbill:payer-id", "value": claim.payer.id}],
        },
        {
            "resourceType": "Coverage",
            "id": "coverage",
            "status": "active",
            "subscriberId": claim.subscriber.member_id,
            "beneficiary": {"reference": "#patient"},
            "payor": [{"reference": "#payer"}],
        },
    ]


def claim_resource(claim: Claim, *, created: dt.date | None = None) -> dict[str, Any]:
    """The FHIR Claim as JSON, validated by constructing `fhir.resources` Claim."""
    from fhir.resources.R4B.claim import Claim as FhirClaim

    data: dict[str, Any] = {
        "resourceType": "Claim",
        "id": claim.claim_id.replace("_", "-")[:64],
        "contained": [{k: v for k, v in r.items() if v not in (None, [])} for r in contained(claim)],
        "identifier": [{"system": "urn:medbill:claim-id", "value": claim.claim_id}],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": CLAIM_TYPE,
                    "code": "professional" if claim.type.value == "professional" else "institutional",
                }
            ]
        },
        "use": "claim",
        "patient": {"reference": "#patient"},
        "created": (created or dt.date.today()).isoformat(),
        "provider": {"reference": "#billing"},
        "insurer": {"reference": "#payer"},
        "priority": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]
        },
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "#coverage"}}],
        "diagnosis": [
            {"sequence": n, "diagnosisCodeableConcept": {"coding": [{"system": ICD10CM, "code": code}]}}
            for n, code in enumerate(claim.diagnoses, start=1)
        ],
        "item": [
            {
                "sequence": n,
                "diagnosisSequence": list(line.diagnosis_pointers),
                "productOrService": {
                    "coding": [{"system": procedure_system(line.procedure), "code": line.procedure}]
                },
                **(
                    {"modifier": [{"coding": [{"system": MODIFIER, "code": m}]} for m in line.modifiers]}
                    if line.modifiers
                    else {}
                ),
                "servicedDate": line.service_date.isoformat(),
                **(
                    {
                        "locationCodeableConcept": {
                            "coding": [
                                {"system": POS, "code": line.place_of_service or claim.place_of_service}
                            ]
                        }
                    }
                    if (line.place_of_service or claim.place_of_service)
                    else {}
                ),
                "quantity": {"value": float(line.units)},
                "net": _money(line.charge),
            }
            for n, line in enumerate(claim.lines, start=1)
        ],
        "total": _money(claim.total_charge),
    }
    if claim.first_service_date:
        data["billablePeriod"] = {
            "start": claim.first_service_date.isoformat(),
            "end": (claim.last_service_date or claim.first_service_date).isoformat(),
        }
    return FhirClaim.model_validate(data).model_dump(mode="json", exclude_none=True)
