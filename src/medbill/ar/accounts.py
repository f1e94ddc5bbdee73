"""The accounts of the journal: what kind of money, and whose.

Amounts are signed, debit positive. Receivables (A/R insurance per payer, A/R patient per patient)
and cash carry debit (positive) balances; revenue carries a credit (negative) balance; contractual
adjustments, other adjustments, write-offs and provider-level adjustments are debits that reduce
revenue; unapplied cash is a credit held until it is applied to a claim or refunded.

>>> Account.parse("ar_insurance:00435")
Account(kind=<AccountKind.AR_INSURANCE: 'ar_insurance'>, party='00435')
>>> Account.insurance("00435").name, CASH.name
('ar_insurance:00435', 'cash')
"""

from dataclasses import dataclass
from enum import StrEnum

from medbill.core.claim import AdjustmentGroup
from medbill.core.errors import InputError


class AccountKind(StrEnum):
    AR_INSURANCE = "ar_insurance"
    """What a payer owes on claims billed to it (party: the payer id)."""
    AR_PATIENT = "ar_patient"
    """What a patient owes (party: the patient key)."""
    CASH = "cash"
    """Money received (ERA payments net of PLB, patient payments) less refunds paid."""
    UNAPPLIED = "unapplied"
    """Money received that is not yet applied to a claim (party: the payer id or patient key)."""
    REVENUE = "revenue"
    """Gross charges."""
    CONTRACTUAL = "contractual"
    """Contractual adjustments (CAS group CO): what the provider agreed not to collect."""
    ADJUSTMENT = "adjustment"
    """Other payer adjustments (CAS groups OA, PI, CR)."""
    WRITE_OFF = "write_off"
    """Balances the provider gives up on (denials not appealed, small balances, bad debt)."""
    PROVIDER_ADJUSTMENT = "provider_adjustment"
    """Provider-level adjustments of a remittance (PLB: recoupments, interest, ...; party: the payer)."""

    @property
    def receivable(self) -> bool:
        return self in (AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT)

    @property
    def needs_party(self) -> bool:
        return self in _PARTY_KINDS


_PARTY_KINDS = frozenset(
    {AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT, AccountKind.UNAPPLIED, AccountKind.PROVIDER_ADJUSTMENT}
)


@dataclass(frozen=True, slots=True, order=True)
class Account:
    """An account of the journal: a kind, and a party for the kinds that are per payer or patient."""

    kind: AccountKind
    party: str = ""

    def __post_init__(self) -> None:
        if self.kind.needs_party and not self.party:
            raise ValueError(f"account {self.kind.value} needs a party (payer id or patient key)")
        if not self.kind.needs_party and self.party:
            raise ValueError(f"account {self.kind.value} has no party (got {self.party!r})")

    @property
    def name(self) -> str:
        return f"{self.kind.value}:{self.party}" if self.party else self.kind.value

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, text: str) -> "Account":
        """Read `kind` or `kind:party` (as `name` writes it); `InputError` says what is wrong."""
        kind_text, _, party = text.strip().partition(":")
        try:
            kind = AccountKind(kind_text)
        except ValueError:
            known = ", ".join(k.value for k in AccountKind)
            raise InputError(f"unknown account {text!r}: the kinds are {known}") from None
        try:
            return cls(kind, party)
        except ValueError as exc:
            raise InputError(f"account {text!r}: {exc}") from None

    @classmethod
    def insurance(cls, payer_id: str) -> "Account":
        return cls(AccountKind.AR_INSURANCE, payer_id)

    @classmethod
    def patient(cls, patient_key: str) -> "Account":
        return cls(AccountKind.AR_PATIENT, patient_key)


CASH = Account(AccountKind.CASH)
REVENUE = Account(AccountKind.REVENUE)
CONTRACTUAL = Account(AccountKind.CONTRACTUAL)
ADJUSTMENT = Account(AccountKind.ADJUSTMENT)
WRITE_OFF = Account(AccountKind.WRITE_OFF)


def adjustment_account(group: AdjustmentGroup) -> Account:
    """Where a payer adjustment of CAS `group` is booked (PR is not an adjustment: it is a transfer
    to the patient).

    >>> adjustment_account(AdjustmentGroup.CONTRACTUAL).name, adjustment_account(AdjustmentGroup.OTHER).name
    ('contractual', 'adjustment')
    """
    if group == AdjustmentGroup.PATIENT_RESPONSIBILITY:
        raise ValueError("patient responsibility (PR) is a transfer to the patient, not an adjustment")
    return CONTRACTUAL if group == AdjustmentGroup.CONTRACTUAL else ADJUSTMENT
