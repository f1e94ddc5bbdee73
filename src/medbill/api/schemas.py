"""Wire schemas: what the API accepts and answers, separate from the tables and the domain records.

Money is a string with two decimals; dates are ISO dates. Lists are pages:
`{"items": [...], "total": N, "offset": O, "limit": L}`.
"""

import datetime as dt
from dataclasses import asdict
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from medbill.core.claim import Address, PayerType, Relationship, Responsibility, Sex
from medbill.core.money import format_money
from medbill.practice.accounts import AuditEvent, Job, Role, User
from medbill.practice.records import (
    Batch,
    ClaimWork,
    CoverageRecord,
    Encounter,
    EraFile,
    PatientRecord,
    PayerRecord,
    ProviderRecord,
)

T = TypeVar("T")


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


# -- accounts -------------------------------------------------------------------------------------
class LoginIn(Wire):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    role: Role
    active: bool

    @classmethod
    def of(cls, user: User) -> "UserOut":
        return cls(
            id=user.id, username=user.username, full_name=user.full_name, role=user.role, active=user.active
        )


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str
    expires_at: dt.datetime


class UserIn(Wire):
    username: str = Field(min_length=2, max_length=80)
    full_name: str = Field(default="", max_length=200)
    role: Role
    password: str = Field(min_length=10, max_length=200)


class UserChange(Wire):
    active: bool


class TokenIn(Wire):
    name: str = Field(default="token", max_length=100)


class TokenOut(BaseModel):
    id: int
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    token: str | None = Field(default=None, description="the secret, shown once when created")


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    username: str
    role: str
    action: str
    resource: str
    resource_id: str
    patient_id: int | None
    client: str
    user_agent: str
    request: str
    detail: dict[str, Any] | None = None

    @classmethod
    def of(cls, event: AuditEvent) -> "AuditOut":
        return cls(**asdict(event))


class JobOut(BaseModel):
    id: int
    kind: str
    status: str
    done: int
    total: int
    message: str
    backend: str
    created_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    result: dict[str, Any] | None = None

    @classmethod
    def of(cls, job: Job) -> "JobOut":
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status.value,
            done=job.done,
            total=job.total,
            message=job.message,
            backend=job.backend,
            created_by=job.created_by,
            created_at=job.created_at,
            finished_at=job.finished_at,
            result=job.result,
        )


# -- practice -------------------------------------------------------------------------------------
class PayerIn(Wire):
    payer_code: str = Field(min_length=1, max_length=80)
    name: str = Field(min_length=1, max_length=200)
    type: PayerType = PayerType.COMMERCIAL
    address: Address | None = None


class PayerOut(BaseModel):
    id: int
    payer_code: str
    name: str
    type: PayerType
    address: Address | None = None

    @classmethod
    def of(cls, p: PayerRecord) -> "PayerOut":
        return cls(id=p.id, payer_code=p.payer_code, name=p.name, type=p.type, address=p.address)


class ProviderIn(Wire):
    npi: str = Field(pattern=r"^\d{10}$")
    kind: str = Field(pattern="^(organization|individual)$")
    name: str = Field(min_length=1, max_length=200, description="organisation name, or last name")
    first_name: str | None = Field(default=None, max_length=100)
    taxonomy: str | None = Field(default=None, max_length=10)
    tax_id: str | None = Field(default=None, pattern=r"^\d{2}-?\d{7}$|^\d{3}-?\d{2}-?\d{4}$")
    address: Address | None = None


class ProviderOut(BaseModel):
    id: int
    npi: str
    kind: str
    name: str
    first_name: str | None = None
    taxonomy: str | None = None
    tax_id: str | None = None
    address: Address | None = None

    @classmethod
    def of(cls, p: ProviderRecord) -> "ProviderOut":
        return cls(
            id=p.id,
            npi=p.npi,
            kind=p.kind,
            name=p.name,
            first_name=p.first_name,
            taxonomy=p.taxonomy,
            tax_id=p.tax_id,
            address=p.address,
        )


class CoverageIn(Wire):
    payer_id: int
    member_id: str = Field(min_length=1, max_length=80)
    responsibility: Responsibility = Responsibility.PRIMARY
    group_number: str | None = Field(default=None, max_length=50)
    relationship: Relationship = Relationship.SELF
    subscriber: dict[str, Any] | None = None


class CoverageOut(BaseModel):
    id: int
    payer: PayerOut
    responsibility: Responsibility
    member_id: str
    group_number: str | None = None
    relationship: Relationship

    @classmethod
    def of(cls, c: CoverageRecord) -> "CoverageOut":
        return cls(
            id=c.id,
            payer=PayerOut.of(c.payer),
            responsibility=c.responsibility,
            member_id=c.member_id,
            group_number=c.group_number,
            relationship=c.relationship,
        )


class PatientIn(Wire):
    mrn: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")
    last_name: str = Field(min_length=1, max_length=100)
    first_name: str = Field(min_length=1, max_length=100)
    middle_name: str | None = Field(default=None, max_length=100)
    birth_date: dt.date
    sex: Sex = Sex.UNKNOWN
    address: Address | None = None
    coverages: list[CoverageIn] = Field(default_factory=list, max_length=3)


class PatientChange(Wire):
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    middle_name: str | None = Field(default=None, max_length=100)
    birth_date: dt.date | None = None
    sex: Sex | None = None
    address: Address | None = None
    coverages: list[CoverageIn] | None = Field(default=None, max_length=3)


class PatientOut(BaseModel):
    id: int
    mrn: str
    last_name: str
    first_name: str
    middle_name: str | None = None
    birth_date: dt.date
    sex: Sex
    address: Address | None = None
    coverages: list[CoverageOut] = Field(default_factory=list)

    @classmethod
    def of(cls, p: PatientRecord) -> "PatientOut":
        return cls(
            id=p.id,
            mrn=p.mrn,
            last_name=p.last_name,
            first_name=p.first_name,
            middle_name=p.middle_name,
            birth_date=p.birth_date,
            sex=p.sex,
            address=p.address,
            coverages=[CoverageOut.of(c) for c in p.coverages],
        )


# -- encounters -----------------------------------------------------------------------------------
class EncounterIn(Wire):
    patient_id: int
    rendering_provider_id: int
    billing_provider_id: int
    service_date: dt.date
    note: str = Field(min_length=1, max_length=1_000_000)
    setting: str = Field(default="outpatient", pattern="^(outpatient|inpatient)$")
    place_of_service: str = Field(default="11", pattern=r"^\d{2}$")
    visit_type: str = Field(default="established", pattern="^(new|established)$")


class EvidenceOut(BaseModel):
    start: int
    end: int
    text: str


class EncounterCodeOut(BaseModel):
    id: int
    position: int
    code: str
    system: str
    description: str
    score: float | None
    status: str
    evidence: list[EvidenceOut]
    rationale: str
    origin: str
    decision: str
    replaced_by_id: int | None = None
    decided_by: str | None = None


class EncounterSummary(BaseModel):
    id: int
    patient_id: int
    service_date: dt.date
    setting: str
    visit_type: str
    status: str
    source: str

    @classmethod
    def of(cls, e: Encounter) -> "EncounterSummary":
        return cls(
            id=e.id,
            patient_id=e.patient_id,
            service_date=e.service_date,
            setting=e.setting,
            visit_type=e.visit_type,
            status=e.status.value,
            source=e.source,
        )


class EncounterOut(EncounterSummary):
    rendering_provider_id: int
    billing_provider_id: int
    place_of_service: str
    note: str
    em: dict[str, Any] | None = None
    mentions: list[dict[str, Any]] = Field(default_factory=list)
    codes: list[EncounterCodeOut] = Field(default_factory=list)

    @classmethod
    def of(cls, e: Encounter) -> "EncounterOut":
        return cls(
            id=e.id,
            patient_id=e.patient_id,
            service_date=e.service_date,
            setting=e.setting,
            visit_type=e.visit_type,
            status=e.status.value,
            source=e.source,
            rendering_provider_id=e.rendering_provider_id,
            billing_provider_id=e.billing_provider_id,
            place_of_service=e.place_of_service,
            note=e.note,
            em=e.em,
            mentions=list(e.mentions),
            codes=[
                EncounterCodeOut(
                    id=c.id,
                    position=c.position,
                    code=c.code,
                    system=c.system,
                    description=c.description,
                    score=c.score,
                    status=c.status,
                    evidence=[EvidenceOut(**asdict(v)) for v in c.evidence],
                    rationale=c.rationale,
                    origin=c.origin,
                    decision=c.decision.value,
                    replaced_by_id=c.replaced_by_id,
                    decided_by=c.decided_by,
                )
                for c in e.codes
            ],
        )


class DecisionIn(Wire):
    decision: str = Field(pattern="^(accepted|rejected|replaced)$")
    replacement: str | None = Field(default=None, max_length=10, pattern=r"^[A-Za-z0-9.]{3,10}$")
    system: str | None = Field(default=None, pattern="^(icd10cm|icd10pcs|hcpcs)$")


class CodeIn(Wire):
    code: str = Field(pattern=r"^[A-Za-z0-9.]{3,10}$")
    system: str = Field(default="icd10cm", pattern="^(icd10cm|icd10pcs|hcpcs)$")


class EmIn(Wire):
    code: str = Field(pattern=r"^992\d\d$")
    reason: str = Field(default="", max_length=300)


class CodingJobIn(Wire):
    encounter_ids: list[int] = Field(min_length=1, max_length=1000)


# -- claims ---------------------------------------------------------------------------------------
class ClaimOut(BaseModel):
    claim_id: str
    status: str
    encounter_id: int | None
    patient_id: int | None
    payer_code: str
    total_charge: str
    version: int
    clean: bool | None = Field(
        None,
        description="Clean on its first pass through the claim edits (no reject or deny finding; "
        "warnings do not count); a claim that had to be fixed stays false. Null until checked.",
    )
    checked_at: dt.datetime | None = None
    batch_id: int | None = None
    findings: list[dict[str, Any]] = Field(default_factory=list)
    price: dict[str, Any] | None = None
    claim: dict[str, Any]

    @classmethod
    def of(cls, c: ClaimWork) -> "ClaimOut":
        return cls(
            claim_id=c.claim_id,
            status=c.status.value,
            encounter_id=c.encounter_id,
            patient_id=c.patient_id,
            payer_code=c.payer_code,
            total_charge=format_money(c.total_charge),
            version=c.version,
            clean=c.clean,
            checked_at=c.checked_at,
            batch_id=c.batch_id,
            findings=list(c.findings),
            price=c.price,
            claim=c.document,
        )


class ClaimSummary(BaseModel):
    claim_id: str
    status: str
    patient_id: int | None
    payer_code: str
    total_charge: str
    batch_id: int | None = None
    blocking: int = 0

    @classmethod
    def of(cls, c: ClaimWork) -> "ClaimSummary":
        blocking = sum(1 for f in c.findings if f.get("severity") in ("reject", "deny"))
        return cls(
            claim_id=c.claim_id,
            status=c.status.value,
            patient_id=c.patient_id,
            payer_code=c.payer_code,
            total_charge=format_money(c.total_charge),
            batch_id=c.batch_id,
            blocking=blocking,
        )


class ClaimFromEncounterIn(Wire):
    encounter_id: int


class ClaimCreateIn(Wire):
    claim: dict[str, Any] = Field(description="a claim in medbill's JSON form (`medbill claims schema`)")
    patient_id: int | None = None


class ClaimUpdateIn(Wire):
    claim: dict[str, Any]
    version: int | None = Field(default=None, description="the version edited (a stale version is refused)")


class BatchIn(Wire):
    claim_ids: list[str] = Field(min_length=1, max_length=5000)


class BatchOut(BaseModel):
    id: int
    status: str
    claim_count: int
    total_charge: str
    interchange_control: str
    created_by: str
    created_at: dt.datetime
    claim_ids: list[str] = Field(default_factory=list)
    acknowledgments: list[dict[str, Any]] = Field(default_factory=list)

    @classmethod
    def of(cls, b: Batch) -> "BatchOut":
        return cls(
            id=b.id,
            status=b.status,
            claim_count=b.claim_count,
            total_charge=format_money(b.total_charge),
            interchange_control=b.interchange_control,
            created_by=b.created_by,
            created_at=b.created_at,
            claim_ids=list(b.claim_ids),
            acknowledgments=[
                {
                    "id": a.id,
                    "kind": a.kind,
                    "accepted": a.accepted,
                    "received_at": a.received_at.isoformat(),
                    "summary": a.summary,
                }
                for a in b.acknowledgments
            ],
        )


class EraOut(BaseModel):
    id: int
    name: str
    status: str
    uploaded_by: str
    uploaded_at: dt.datetime
    results: list[dict[str, Any]] = Field(default_factory=list)
    job_id: int | None = None

    @classmethod
    def of(cls, e: EraFile, job_id: int | None = None) -> "EraOut":
        return cls(
            id=e.id,
            name=e.name,
            status=e.status,
            uploaded_by=e.uploaded_by,
            uploaded_at=e.uploaded_at,
            results=list(e.results),
            job_id=job_id,
        )
