"""The remittance: what a payer says it paid, adjusted and denied (one X12 835 transaction set).

The JSON field names are a public contract (`medbill edi parse FILE.835 --json`).
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from medbill.core.claim import CasAdjustment
from medbill.core.model import Frozen, Money, Quantity


class ClaimStatus(StrEnum):
    """CLP02 claim status codes."""

    PRIMARY = "1"
    SECONDARY = "2"
    TERTIARY = "3"
    DENIED = "4"
    PENDED = "5"
    RECEIVED = "10"
    NOT_OUR_CLAIM = "13"
    PRIMARY_FORWARDED = "19"
    SECONDARY_FORWARDED = "20"
    TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM_FORWARDED = "23"
    PREDETERMINATION = "25"


class Party(Frozen):
    name: str = ""
    id: str | None = None
    id_qualifier: str | None = None
    address: dict[str, str] | None = None


class Payment(Frozen):
    amount: Money
    method: str = Field(description="BPR04 payment method: CHK, ACH, NON, BOP, FWT")
    date: dt.date | None = None
    trace_number: str = ""
    credit_debit: str = "C"
    originator_id: str | None = None


class ServicePayment(Frozen):
    procedure: str
    modifiers: tuple[str, ...] = ()
    charge: Money
    paid: Money
    units: Quantity | None = None
    service_date: dt.date | None = None
    service_date_end: dt.date | None = None
    line_control_number: str | None = None
    revenue_code: str | None = None
    allowed: Money | None = None
    adjustments: tuple[CasAdjustment, ...] = ()
    remarks: tuple[str, ...] = ()


class ClaimPayment(Frozen):
    claim_id: str
    status: str
    charge: Money
    paid: Money
    patient_responsibility: Money = Decimal("0.00")
    payer_claim_number: str | None = None
    claim_filing_indicator: str | None = None
    patient_name: str | None = None
    service_date: dt.date | None = None
    service_date_end: dt.date | None = None
    adjustments: tuple[CasAdjustment, ...] = ()
    lines: tuple[ServicePayment, ...] = ()
    remarks: tuple[str, ...] = ()

    @property
    def is_reversal(self) -> bool:
        return self.status == ClaimStatus.REVERSAL


class ProviderAdjustment(Frozen):
    """A PLB provider-level adjustment (positive reduces the payment)."""

    provider_id: str
    fiscal_period_date: dt.date | None = None
    reason: str
    reference: str | None = None
    amount: Money


class Remittance(Frozen):
    payer: Party
    payee: Party
    payment: Payment
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    production_date: dt.date | None = None
