"""What the app keeps about the practice: frozen values the store returns and the services pass on.

Nested claim values (addresses, people) are the shared ones from `medbill.core.claim`.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from medbill.core.claim import Address, PayerType, Relationship, Responsibility, Sex


class EncounterStatus(StrEnum):
    NEW = "new"  # note recorded, not coded
    CODED = "coded"  # the engine proposed codes; a coder has to review them
    REVIEWED = "reviewed"  # a coder accepted the codes
    BILLED = "billed"  # a claim was built from it


class Decision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REPLACED = "replaced"


class ClaimStatus(StrEnum):
    DRAFT = "draft"  # built, not checked since its last change
    FLAGGED = "flagged"  # checked: blocking findings
    READY = "ready"  # checked: no blocking finding
    BATCHED = "batched"  # in an 837 batch
    ACCEPTED = "accepted"  # acknowledged by the clearinghouse (999/277CA)
    REJECTED = "rejected"  # rejected by the clearinghouse
    REMITTED = "remitted"  # an 835 answered it


@dataclass(frozen=True, slots=True)
class PayerRecord:
    id: int
    payer_code: str
    name: str
    type: PayerType
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    id: int
    npi: str
    kind: str
    name: str
    first_name: str | None = None
    taxonomy: str | None = None
    tax_id: str | None = None
    address: Address | None = None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.name}" if self.first_name else self.name


@dataclass(frozen=True, slots=True)
class CoverageRecord:
    id: int
    patient_id: int
    payer: PayerRecord
    responsibility: Responsibility
    member_id: str
    group_number: str | None = None
    relationship: Relationship = Relationship.SELF
    subscriber: dict[str, Any] | None = None
    """The subscriber when not the patient: first_name, last_name, birth_date, sex."""


@dataclass(frozen=True, slots=True)
class PatientRecord:
    id: int
    mrn: str
    last_name: str
    first_name: str
    birth_date: dt.date
    sex: Sex
    middle_name: str | None = None
    address: Address | None = None
    coverages: tuple[CoverageRecord, ...] = ()

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EncounterCode:
    id: int
    position: int
    code: str
    system: str
    description: str
    score: float | None
    status: str
    evidence: tuple[Evidence, ...]
    rationale: str
    origin: str
    decision: Decision
    replaced_by_id: int | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Encounter:
    id: int
    patient_id: int
    rendering_provider_id: int
    billing_provider_id: int
    service_date: dt.date
    setting: str
    place_of_service: str
    visit_type: str
    note: str
    status: EncounterStatus
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime
    em: dict[str, Any] | None = None
    mentions: tuple[dict[str, Any], ...] = ()
    coded_at: dt.datetime | None = None
    codes: tuple[EncounterCode, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimWork:
    id: int
    claim_id: str
    encounter_id: int | None
    patient_id: int | None
    payer_code: str
    status: ClaimStatus
    document: dict[str, Any]
    total_charge: Decimal
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    findings: tuple[dict[str, Any], ...] = ()
    clean: bool | None = None
    checked_at: dt.datetime | None = None
    price: dict[str, Any] | None = None
    batch_id: int | None = None


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    id: int
    batch_id: int | None
    kind: str
    accepted: bool
    summary: dict[str, Any]
    received_by: str
    received_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Batch:
    id: int
    status: str
    claim_count: int
    total_charge: Decimal
    interchange_control: str
    created_by: str
    created_at: dt.datetime
    claim_ids: tuple[str, ...] = ()
    acknowledgments: tuple[Acknowledgment, ...] = ()


@dataclass(frozen=True, slots=True)
class EraFile:
    id: int
    name: str
    sha256: str
    status: str
    uploaded_by: str
    uploaded_at: dt.datetime
    results: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list, with the total number of items that match the filters."""

    items: tuple[Any, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters shared by the list endpoints (each list reads those it knows)."""

    q: str | None = None
    status: str | None = None
    patient_id: int | None = None
    payer_code: str | None = None
    batch_id: int | None = None
    offset: int = 0
    limit: int = 50
    extra: dict[str, Any] = field(default_factory=dict)
