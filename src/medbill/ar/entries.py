"""Journal entries: Charge, Payment, Adjustment, Transfer, WriteOff, Refund, and Reversal.

An entry is a set of postings that sum to zero (double entry; amounts in cents, debit positive).
The journal is append-only: a mistake is undone by a reversal entry (the same postings negated,
pointing at the entry it reverses), never by an edit. Postings name the claim (its CLM01 patient
control number) and, when the money belongs to one service line, the 1-based line number.

>>> e = charge("PCN1", "00435", {1: money("100"), 2: money("50")}, on=date(2026, 3, 2))
>>> [(p.account.name, str(p.amount), p.line) for p in e.postings]
[('ar_insurance:00435', '100.00', 1), ('revenue', '-100.00', 1), ('ar_insurance:00435', '50.00', 2), ('revenue', '-50.00', 2)]
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.ar.accounts import CASH, REVENUE, WRITE_OFF, Account, adjustment_account
from medbill.core.claim import AdjustmentGroup
from medbill.core.money import ZERO, money

LineAmounts = Mapping[int | None, Decimal]
"""Amounts by service line (None: the claim as a whole)."""


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"
    WRITE_OFF = "write_off"
    REFUND = "refund"
    REVERSAL = "reversal"


class UnbalancedEntry(ValueError):
    """An entry whose postings do not sum to zero (a bug in whatever built it)."""


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of an entry."""

    account: Account
    amount: Decimal
    claim_id: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Carc:
    """The reason for an adjustment: CAS group and Claim Adjustment Reason Code."""

    group: AdjustmentGroup
    reason: str

    def __str__(self) -> str:
        return f"{self.group.value}-{self.reason}"


@dataclass(frozen=True, slots=True)
class Entry:
    """A balanced journal entry. `id` and `remittance_id` are set once the entry is stored."""

    kind: EntryKind
    date: date
    postings: tuple[Posting, ...]
    claim_id: str | None = None
    narration: str = ""
    carc: Carc | None = None
    reverses: int | None = None
    id: int | None = None
    remittance_id: int | None = None

    def __post_init__(self) -> None:
        if not self.postings:
            raise UnbalancedEntry(f"{self.kind.value} entry has no postings")
        for posting in self.postings:
            if posting.amount != money(posting.amount):
                raise UnbalancedEntry(f"posting amount {posting.amount} is not a whole number of cents")
        total = sum((p.amount for p in self.postings), ZERO)
        if total != 0:
            raise UnbalancedEntry(f"{self.kind.value} entry does not balance: postings sum to {total}")
        if (self.kind == EntryKind.REVERSAL) != (self.reverses is not None):
            raise UnbalancedEntry("a reversal names the entry it reverses, and only a reversal does")

    @property
    def amount(self) -> Decimal:
        """The size of the entry: the sum of its debits."""
        return sum((p.amount for p in self.postings if p.amount > 0), ZERO)


def _legs(debit: Account, credit: Account, amounts: LineAmounts, claim_id: str | None) -> tuple[Posting, ...]:
    postings: list[Posting] = []
    for line, amount in amounts.items():
        if amount == 0:
            continue
        postings.append(Posting(debit, money(amount), claim_id, line))
        postings.append(Posting(credit, -money(amount), claim_id, line))
    return tuple(postings)


def _require(postings: tuple[Posting, ...], what: str) -> tuple[Posting, ...]:
    if not postings:
        raise ValueError(f"{what}: every amount is zero")
    return postings


def charge(
    claim_id: str, payer_id: str, line_charges: Mapping[int, Decimal], *, on: date, narration: str = ""
) -> Entry:
    """Charges billed to a payer: debit A/R insurance, credit revenue, per service line."""
    amounts: dict[int | None, Decimal] = dict(line_charges.items())
    postings = _legs(Account.insurance(payer_id), REVENUE, amounts, claim_id)
    return Entry(EntryKind.CHARGE, on, _require(postings, "charge"), claim_id, narration)


def payment(
    claim_id: str | None,
    receivable: Account,
    amounts: LineAmounts,
    *,
    on: date,
    narration: str = "",
    cash: Account = CASH,
) -> Entry:
    """Money received for a claim: debit cash (once, for the claim), credit the receivable per line."""
    credits = tuple(Posting(receivable, -money(a), claim_id, line) for line, a in amounts.items() if a != 0)
    _require(credits, "payment")
    received = -sum((p.amount for p in credits), ZERO)
    postings = (Posting(cash, received, claim_id, None), *credits)
    return Entry(EntryKind.PAYMENT, on, postings, claim_id, narration)


def adjustment(
    claim_id: str, receivable: Account, amounts: LineAmounts, carc: Carc, *, on: date, narration: str = ""
) -> Entry:
    """A payer adjustment (CO → contractual, OA/PI/CR → adjustment): debit it, credit the receivable."""
    postings = _legs(adjustment_account(carc.group), receivable, amounts, claim_id)
    return Entry(EntryKind.ADJUSTMENT, on, _require(postings, "adjustment"), claim_id, narration, carc)


def transfer(
    claim_id: str,
    source: Account,
    target: Account,
    amounts: LineAmounts,
    *,
    on: date,
    narration: str = "",
    carc: Carc | None = None,
) -> Entry:
    """Move a balance between receivables (insurance → patient, primary → secondary payer, ...)."""
    if not (source.kind.receivable and target.kind.receivable) or source == target:
        raise ValueError(f"a transfer moves a balance between two receivables, not {source} → {target}")
    postings = _legs(target, source, amounts, claim_id)
    return Entry(EntryKind.TRANSFER, on, _require(postings, "transfer"), claim_id, narration, carc)


def write_off(
    claim_id: str,
    receivable: Account,
    amounts: LineAmounts,
    *,
    on: date,
    narration: str = "",
    carc: Carc | None = None,
) -> Entry:
    """Give up on a balance: debit write-off, credit the receivable."""
    postings = _legs(WRITE_OFF, receivable, amounts, claim_id)
    return Entry(EntryKind.WRITE_OFF, on, _require(postings, "write-off"), claim_id, narration, carc)


def refund(
    claim_id: str | None, receivable: Account, amounts: LineAmounts, *, on: date, narration: str = ""
) -> Entry:
    """Pay back a credit balance (an overpayment): debit the receivable (or unapplied), credit cash."""
    postings = _legs(receivable, CASH, amounts, claim_id)
    return Entry(EntryKind.REFUND, on, _require(postings, "refund"), claim_id, narration)


def reverse(entry: Entry, *, on: date, narration: str = "") -> Entry:
    """The entry that undoes `entry` (which must be stored: the reversal points at its id)."""
    if entry.id is None:
        raise ValueError("only a stored entry (with an id) can be reversed")
    if entry.kind == EntryKind.REVERSAL:
        raise ValueError(f"entry {entry.id} is itself a reversal; post the original again instead")
    postings = tuple(replace(p, amount=-p.amount) for p in entry.postings)
    text = narration or f"reversal of entry {entry.id}"
    return Entry(EntryKind.REVERSAL, on, postings, entry.claim_id, text, entry.carc, reverses=entry.id)


def total(postings: Iterable[Posting]) -> Decimal:
    """The sum of some postings' amounts."""
    return sum((p.amount for p in postings), ZERO)
