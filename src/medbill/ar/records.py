"""What the journal keeps about claims, remittances and its work queues (values the store returns)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from medbill.ar.carc import CarcCategory
from medbill.ar.entries import Carc
from medbill.ar.matching import BilledLine
from medbill.core.claim import CasAdjustment, Responsibility
from medbill.core.remittance import ClaimPayment


@dataclass(frozen=True, slots=True)
class JournalClaim:
    """A claim known to the journal: who it is for, when, and which payers it was billed to."""

    claim_id: str
    patient_key: str
    first_service_date: dt.date | None
    last_service_date: dt.date | None
    total_charge: Decimal
    payers: dict[Responsibility, str] = field(default_factory=dict)
    lines: tuple[BilledLine, ...] = ()


@dataclass(frozen=True, slots=True)
class PostedRemittance:
    id: int
    trace_number: str
    payer_key: str
    payer_name: str
    payment_amount: Decimal
    payment_date: dt.date | None
    claims_count: int
    posted_at: dt.datetime
    source_name: str = ""


@dataclass(frozen=True, slots=True)
class RemittanceClaimRecord:
    """One CLP as posted (or held): which claim and payer, what became of it, the CLP itself."""

    remittance_id: int
    position: int
    claim_id: str | None
    responsibility: Responsibility | None
    outcome: str
    payment: ClaimPayment
    payment_date: dt.date | None = None
    id: int | None = None


class QueueStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class ExceptionItem:
    id: int
    kind: str
    status: QueueStatus
    message: str
    amount: Decimal
    claim_id: str | None
    remittance_id: int | None
    remittance_claim_id: int | None
    recorded_at: dt.datetime
    resolution: str | None = None
    resolution_entry_id: int | None = None


@dataclass(frozen=True, slots=True)
class DenialItem:
    id: int
    claim_id: str
    line: int | None
    procedure: str | None
    category: CarcCategory
    carc: Carc
    amount: Decimal
    adjustments: tuple[CasAdjustment, ...]
    remarks: tuple[str, ...]
    payer_key: str
    denied_on: dt.date
    status: QueueStatus
    remittance_id: int
    remittance_claim_id: int
    resolution: str | None = None
    resolution_entry_id: int | None = None
