"""A biller's own work on the journal: patient payments, write-offs, refunds, transfers, reversals,
balance assertions, and the journal check. Each function is one business action."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from medbill.ar.accounts import Account, AccountKind
from medbill.ar.allocation import allocate
from medbill.ar.assertions import AssertionResult, BalanceAssertion, check
from medbill.ar.entries import Entry, payment, refund, reverse, transfer, write_off
from medbill.ar.records import JournalClaim
from medbill.core.claim import Responsibility
from medbill.core.errors import InputError
from medbill.core.money import format_money, money
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow
from medbill.storage.repositories.journal import AlreadyReversed


class Payer(StrEnum):
    """Whose receivable an action is about."""

    INSURANCE = "insurance"
    PATIENT = "patient"


def _claim(uow: UnitOfWork, claim_id: str) -> JournalClaim:
    found = uow.claims.get(claim_id)
    if found is None:
        raise InputError(f"claim {claim_id!r} is not in the journal (record it with `medbill ar charge`)")
    return found


def _receivable(uow: UnitOfWork, claim: JournalClaim, whose: Payer) -> Account:
    """The patient's account, or the one payer account with a balance on the claim (the primary
    payer's when none has)."""
    if whose == Payer.PATIENT:
        return Account.patient(claim.patient_key)
    balances = uow.journal.claim_balances([claim.claim_id])[claim.claim_id]
    open_accounts = sorted(a for a, v in balances.items() if a.kind == AccountKind.AR_INSURANCE and v != 0)
    if len(open_accounts) > 1:
        names = ", ".join(a.name for a in open_accounts)
        raise InputError(
            f"claim {claim.claim_id} has balances with several payers ({names}); use a transfer first"
        )
    if open_accounts:
        return open_accounts[0]
    payer = claim.payers.get(Responsibility.PRIMARY) or next(iter(claim.payers.values()))
    return Account.insurance(payer)


def _open_lines(uow: UnitOfWork, claim_id: str, account: Account) -> dict[int | None, Decimal]:
    return {line: v for (a, line), v in uow.journal.line_balances(claim_id).items() if a == account}


def _store(uow: UnitOfWork, entry: Entry) -> int:
    [entry_id] = uow.journal.add_entries([entry], at=utcnow())
    return entry_id


def _positive(amount: Decimal, what: str) -> Decimal:
    value = money(amount)
    if value <= 0:
        raise InputError(f"{what} must be a positive amount (got {format_money(value)})")
    return value


def record_patient_payment(
    database: Database, claim_id: str, amount: Decimal, *, on: dt.date, note: str = ""
) -> int:
    """Money from the patient for a claim (applied to its lines in order; any excess stays on the
    claim as a credit)."""
    value = _positive(amount, "a payment")
    with database.unit_of_work() as uow:
        claim = _claim(uow, claim_id)
        account = Account.patient(claim.patient_key)
        amounts = allocate(value, _open_lines(uow, claim_id, account))
        narration = note or "patient payment"
        return _store(uow, payment(claim_id, account, amounts, on=on, narration=narration))


def record_write_off(
    database: Database,
    claim_id: str,
    *,
    whose: Payer,
    amount: Decimal | None,
    on: dt.date,
    reason: str,
) -> int:
    """Give up on (part of) what the payer or the patient owes on a claim (default: all of it)."""
    with database.unit_of_work() as uow:
        claim = _claim(uow, claim_id)
        account = _receivable(uow, claim, whose)
        open_lines = _open_lines(uow, claim_id, account)
        outstanding = sum(open_lines.values(), Decimal("0.00"))
        value = outstanding if amount is None else _positive(amount, "a write-off")
        if value <= 0 or value > outstanding:
            raise InputError(
                f"claim {claim_id}: {account.name} has {format_money(outstanding)} open; "
                f"cannot write off {format_money(value)}"
            )
        entry = write_off(
            claim_id, account, allocate(value, open_lines), on=on, narration=reason or "write-off"
        )
        return _store(uow, entry)


def record_refund(
    database: Database, claim_id: str, *, whose: Payer, amount: Decimal, on: dt.date, note: str = ""
) -> int:
    """Pay back an overpayment: the account must hold a credit (negative) balance of at least `amount`."""
    value = _positive(amount, "a refund")
    with database.unit_of_work() as uow:
        claim = _claim(uow, claim_id)
        account = _receivable(uow, claim, whose)
        open_lines = _open_lines(uow, claim_id, account)
        credit = -sum(open_lines.values(), Decimal("0.00"))
        if value > credit:
            raise InputError(
                f"claim {claim_id}: {account.name} holds a credit of {format_money(max(credit, Decimal(0)))}; "
                f"cannot refund {format_money(value)}"
            )
        credits = {line: -v for line, v in open_lines.items()}
        amounts = allocate(value, credits)
        return _store(uow, refund(claim_id, account, amounts, on=on, narration=note or "refund"))


def record_transfer(
    database: Database,
    claim_id: str,
    *,
    source: Account,
    target: Account,
    amount: Decimal | None,
    on: dt.date,
    note: str = "",
) -> int:
    """Move (part of) a claim's balance from one receivable to another."""
    with database.unit_of_work() as uow:
        _claim(uow, claim_id)
        open_lines = _open_lines(uow, claim_id, source)
        outstanding = sum(open_lines.values(), Decimal("0.00"))
        value = outstanding if amount is None else _positive(amount, "a transfer")
        if value <= 0 or value > outstanding:
            raise InputError(
                f"claim {claim_id}: {source.name} has {format_money(outstanding)} open; "
                f"cannot transfer {format_money(value)}"
            )
        try:
            entry = transfer(
                claim_id, source, target, allocate(value, open_lines), on=on, narration=note or "transfer"
            )
        except ValueError as exc:
            raise InputError(str(exc)) from None
        return _store(uow, entry)


def reverse_entry(database: Database, entry_id: int, *, on: dt.date, note: str = "") -> int:
    """Undo an entry with a reversal entry (the journal is never edited)."""
    with database.unit_of_work() as uow:
        entry = uow.journal.entry(entry_id)
        if entry is None:
            raise InputError(f"there is no journal entry {entry_id}")
        done = uow.journal.reversal_of(entry_id)
        if done is not None:
            raise InputError(f"entry {entry_id} was reversed already (by entry {done})")
        try:
            undo = reverse(entry, on=on, narration=note)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        try:
            return _store(uow, undo)
        except AlreadyReversed:
            raise InputError(f"entry {entry_id} was reversed already") from None


def add_assertion(database: Database, assertion: BalanceAssertion) -> AssertionResult:
    """Record a balance assertion and check it at once."""
    with database.unit_of_work() as uow:
        if assertion.claim_id and uow.claims.get(assertion.claim_id) is None:
            raise InputError(f"claim {assertion.claim_id!r} is not in the journal")
        assertion_id = uow.journal.add_assertion(assertion, at=utcnow())
        stored = BalanceAssertion(
            assertion.date,
            assertion.account,
            assertion.amount,
            assertion.claim_id,
            assertion.narration,
            assertion_id,
        )
        return check(stored, _asserted_balance(uow, stored))


def _asserted_balance(uow: UnitOfWork, assertion: BalanceAssertion) -> Decimal:
    return uow.journal.balance(account=assertion.account, claim_id=assertion.claim_id, before=assertion.date)


@dataclass(frozen=True, slots=True)
class JournalCheck:
    total: Decimal
    unbalanced_entries: tuple[int, ...]
    assertions: tuple[AssertionResult, ...]
    entries: int

    @property
    def ok(self) -> bool:
        return self.total == 0 and not self.unbalanced_entries and all(a.ok for a in self.assertions)


def check_journal(database: Database) -> JournalCheck:
    """Is the journal balanced, and does every balance assertion hold?"""
    with database.reader() as uow:
        results = tuple(check(a, _asserted_balance(uow, a)) for a in uow.journal.assertions())
        return JournalCheck(
            uow.journal.total(), tuple(uow.journal.unbalanced_entries()), results, uow.journal.entry_count()
        )
