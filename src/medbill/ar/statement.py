"""A patient statement: what each of the patient's claims cost, what insurance paid and adjusted,
what the patient paid, and what the patient owes now — every amount a sum of journal postings.

For each claim: charges − insurance payments − adjustments − patient payments = insurance pending +
patient balance (transfers between receivables net to zero). The amount due is the sum of the
patient balances, the balance of the patient's A/R account.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from medbill.ar.accounts import AccountKind
from medbill.ar.entries import EntryKind
from medbill.core.money import ZERO, money

Activity = Mapping[tuple[EntryKind, AccountKind], Decimal]


@dataclass(frozen=True, slots=True)
class StatementLine:
    claim_id: str
    service_date: date | None
    procedures: tuple[str, ...]
    charges: Decimal
    insurance_paid: Decimal
    adjustments: Decimal
    patient_paid: Decimal
    insurance_pending: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    patient_key: str
    patient_name: str
    patient_address: tuple[str, ...]
    provider_name: str
    provider_address: tuple[str, ...]
    statement_date: date
    lines: tuple[StatementLine, ...]

    @property
    def amount_due(self) -> Decimal:
        return money(sum((ln.balance for ln in self.lines), ZERO))

    def to_dict(self) -> dict[str, object]:
        return {
            "patient": self.patient_key,
            "statement_date": self.statement_date.isoformat(),
            "amount_due": str(self.amount_due),
            "lines": [
                {
                    "claim_id": ln.claim_id,
                    "service_date": ln.service_date.isoformat() if ln.service_date else None,
                    "procedures": list(ln.procedures),
                    "charges": str(ln.charges),
                    "insurance_paid": str(ln.insurance_paid),
                    "adjustments": str(ln.adjustments),
                    "patient_paid": str(ln.patient_paid),
                    "insurance_pending": str(ln.insurance_pending),
                    "balance": str(ln.balance),
                }
                for ln in self.lines
            ],
        }


def statement_line(
    claim_id: str, service_date: date | None, procedures: tuple[str, ...], activity: Activity
) -> StatementLine:
    """Sum a claim's postings on receivable accounts into the statement's columns."""

    def on(kind: EntryKind, *accounts: AccountKind) -> Decimal:
        return sum((activity.get((kind, a), ZERO) for a in accounts), ZERO)

    insurance, patient = AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT
    charges = on(EntryKind.CHARGE, insurance, patient)
    insurance_paid = -(on(EntryKind.PAYMENT, insurance) + on(EntryKind.REFUND, insurance))
    adjustments = -(
        on(EntryKind.ADJUSTMENT, insurance, patient) + on(EntryKind.WRITE_OFF, insurance, patient)
    )
    patient_paid = -(on(EntryKind.PAYMENT, patient) + on(EntryKind.REFUND, patient))
    pending = sum((v for (_, a), v in activity.items() if a == insurance), ZERO)
    balance = sum((v for (_, a), v in activity.items() if a == patient), ZERO)
    return StatementLine(
        claim_id,
        service_date,
        procedures,
        money(charges),
        money(insurance_paid),
        money(adjustments),
        money(patient_paid),
        money(pending),
        money(balance),
    )
