"""A FHIR Bundle → the pieces of an encounter: patient, coverage (payer, member id), practitioner,
organisation (billing provider), the encounter's date and class, conditions and procedures with
their codes, and the clinical note (DocumentReference attachment, base64 or plain data).

The Bundle is validated with `fhir.resources` first; problems come back as an `InputError` that
names the resource and field.
"""

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from medbill.core.errors import InputError

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ICD10CM_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "urn:oid:2.16.840.1.113883.6.90")
HCPCS_SYSTEMS = (
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
    "urn:oid:2.16.840.1.113883.6.285",
)
CPT_SYSTEMS = ("http://www.ama-assn.org/go/cpt", "urn:oid:2.16.840.1.113883.6.12")
PCS_SYSTEMS = ("http://www.cms.gov/Medicare/Coding/ICD10", "urn:oid:2.16.840.1.113883.6.4")
INPATIENT_CLASSES = {"IMP", "ACUTE", "NONAC"}
SEX = {"male": "M", "female": "F"}


@dataclass
class ImportedEncounter:
    patient: dict[str, Any]
    payer: dict[str, Any] | None
    coverage: dict[str, Any] | None
    practitioner: dict[str, Any] | None
    organization: dict[str, Any] | None
    service_date: dt.date
    setting: str
    note: str
    conditions: list[dict[str, str]] = field(default_factory=list)
    procedures: list[dict[str, str]] = field(default_factory=list)


def _resources(data: dict[str, Any]) -> dict[str, list[Any]]:
    from fhir.resources.R4B.bundle import Bundle

    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InputError("not a FHIR Bundle (resourceType must be 'Bundle')")
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        problems = tuple(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:20])
        raise InputError("the FHIR Bundle is not valid", problems) from None
    found: dict[str, list[Any]] = {}
    for entry in bundle.entry or []:
        if entry.resource is not None:
            found.setdefault(type(entry.resource).__name__, []).append(entry.resource)
    return found


def _identifier(resource: Any, system: str) -> str | None:
    for ident in getattr(resource, "identifier", None) or []:
        if ident.system == system and ident.value:
            return str(ident.value)
    return None


def _address(resource: Any) -> dict[str, str] | None:
    for a in getattr(resource, "address", None) or []:
        if a.line and a.city and a.state and a.postalCode:
            return {"line1": a.line[0], "city": a.city, "state": a.state[:2].upper(), "zip": a.postalCode}
    return None


def _codes(concept: Any) -> list[tuple[str, str]]:
    out = []
    for coding in (concept.coding if concept else None) or []:
        if not coding.code:
            continue
        system = coding.system or ""
        if system in ICD10CM_SYSTEMS:
            out.append(("icd10cm", coding.code))
        elif system in HCPCS_SYSTEMS or system in CPT_SYSTEMS:
            out.append(("hcpcs", coding.code))
        elif system in PCS_SYSTEMS:
            out.append(("icd10pcs", coding.code))
    return out


def _note(docs: list[Any]) -> str:
    texts = []
    for doc in docs:
        for content in doc.content or []:
            attachment = content.attachment
            if attachment is None or attachment.data is None:
                continue
            raw = attachment.data
            try:
                decoded = (
                    base64.b64decode(raw, validate=True) if isinstance(raw, (str, bytes)) else bytes(raw)
                )
            except Exception:
                decoded = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
            texts.append(decoded.decode("utf-8", errors="replace"))
    return "\n\n".join(texts)


def read_bundle(data: dict[str, Any]) -> ImportedEncounter:
    found = _resources(data)
    patients = found.get("Patient", [])
    if len(patients) != 1:
        raise InputError(f"the Bundle must carry exactly one Patient (it has {len(patients)})")
    patient = patients[0]
    name = (patient.name or [None])[0]
    if name is None or not name.family or not patient.birthDate:
        raise InputError("Patient: name.family and birthDate are required")
    mrn = (
        next((i.value for i in patient.identifier or [] if i.value), None)
        or f"FHIR-{patient.id or 'patient'}"
    )
    person = {
        "mrn": str(mrn)[:40],
        "last_name": name.family,
        "first_name": (name.given or [""])[0] or "-",
        "birth_date": patient.birthDate,
        "sex": SEX.get(str(patient.gender or ""), "U"),
        "address": _address(patient),
    }
    payer = coverage = None
    organizations = found.get("Organization", [])
    for cov in found.get("Coverage", []):
        payer_ref = (cov.payor or [None])[0]
        payer_org = next(
            (o for o in organizations if payer_ref and payer_ref.reference == f"Organization/{o.id}"), None
        )
        payer_name = (
            (payer_org.name if payer_org else None) or (payer_ref.display if payer_ref else None) or "Payer"
        )
        payer_code = (
            (_identifier(payer_org, "urn:medbill:payer-id") if payer_org else None)
            or (next((i.value for i in (payer_org.identifier or [])), None) if payer_org else None)
            or payer_name.upper().replace(" ", "")[:20]
        )
        payer = {
            "payer_code": payer_code,
            "name": payer_name,
            "type": "medicare" if "medicare" in payer_name.lower() else "commercial",
        }
        member = cov.subscriberId or next((i.value for i in cov.identifier or [] if i.value), None)
        if not member:
            raise InputError("Coverage: subscriberId (the member id) is required")
        coverage = {
            "member_id": member,
            "responsibility": "primary" if (cov.order or 1) == 1 else "secondary",
        }
        break
    practitioners = found.get("Practitioner", [])
    practitioner = None
    if practitioners:
        p = practitioners[0]
        pname = (p.name or [None])[0]
        practitioner = {
            "npi": _identifier(p, NPI_SYSTEM),
            "name": pname.family if pname else "Unknown",
            "first_name": (pname.given or [None])[0] if pname else None,
        }
    billing = next((o for o in organizations if _identifier(o, NPI_SYSTEM)), None)
    organization = None
    if billing is not None:
        tax_id = _identifier(billing, "urn:oid:2.16.840.1.113883.4.4")
        organization = {
            "npi": _identifier(billing, NPI_SYSTEM),
            "name": billing.name or "Practice",
            "tax_id": tax_id,
            "address": _address(billing),
        }
    encounters = found.get("Encounter", [])
    service_date = None
    setting = "outpatient"
    if encounters:
        enc = encounters[0]
        if enc.period and enc.period.start:
            service_date = (
                enc.period.start.date() if isinstance(enc.period.start, dt.datetime) else enc.period.start
            )
        enc_class = getattr(enc, "class_fhir", None) or getattr(enc, "class", None)
        if enc_class is not None and str(getattr(enc_class, "code", "")).upper() in INPATIENT_CLASSES:
            setting = "inpatient"
    if service_date is None:
        raise InputError("Encounter: period.start (the date of service) is required")
    conditions = [
        {"system": s, "code": c} for cond in found.get("Condition", []) for s, c in _codes(cond.code)
    ]
    procedures = [
        {"system": s, "code": c} for proc in found.get("Procedure", []) for s, c in _codes(proc.code)
    ]
    note = _note(found.get("DocumentReference", []))
    if not note.strip() and not conditions:
        raise InputError("the Bundle has neither a note (DocumentReference) nor coded Conditions")
    return ImportedEncounter(
        person,
        payer,
        coverage,
        practitioner,
        organization,
        service_date,
        setting,
        note,
        conditions,
        procedures,
    )
