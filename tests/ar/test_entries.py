"""Journal entries always balance; reversals undo; accounts and allocations behave as a biller expects."""

import doctest
import importlib
from datetime import date
from decimal import Decimal

import pytest

from medbill.ar.accounts import CASH, REVENUE, Account, AccountKind
from medbill.ar.allocation import allocate
from medbill.ar.balances import balance, journal_is_balanced
from medbill.ar.entries import (
    Carc,
    Entry,
    EntryKind,
    Posting,
    UnbalancedEntry,
    adjustment,
    charge,
    payment,
    reverse,
    transfer,
)
from medbill.core.claim import AdjustmentGroup
from medbill.core.errors import InputError

D = date(2026, 3, 2)
INS = Account.insurance("SBX01")
PAT = Account.patient("TESTER-ALEX-19500301")


@pytest.mark.parametrize(
    "module",
    [
        "medbill.ar.accounts",
        "medbill.ar.entries",
        "medbill.ar.balances",
        "medbill.ar.assertions",
        "medbill.ar.allocation",
        "medbill.ar.patients",
        "medbill.ar.carc",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
    assert result.attempted > 0


def test_an_entry_that_does_not_balance_is_refused() -> None:
    with pytest.raises(UnbalancedEntry, match="does not balance"):
        Entry(EntryKind.PAYMENT, D, (Posting(CASH, Decimal("10.00")), Posting(INS, Decimal("-9.99"))))
    with pytest.raises(UnbalancedEntry, match="whole number of cents"):
        Entry(EntryKind.PAYMENT, D, (Posting(CASH, Decimal("10.001")), Posting(INS, Decimal("-10.001"))))


def test_charge_payment_adjustment_transfer_leave_the_expected_balances() -> None:
    entries = [
        charge("C1", "SBX01", {1: Decimal("120.00"), 2: Decimal("80.00")}, on=D),
        payment("C1", INS, {1: Decimal("70.00"), 2: Decimal("40.00")}, on=D),
        adjustment("C1", INS, {1: Decimal("30.00")}, Carc(AdjustmentGroup.CONTRACTUAL, "45"), on=D),
        transfer("C1", INS, PAT, {1: Decimal("20.00"), 2: Decimal("10.00")}, on=D),
    ]
    assert balance(entries, account=INS, claim_id="C1") == Decimal("30.00")
    assert balance(entries, account=INS, claim_id="C1", line=2) == Decimal("30.00")
    assert balance(entries, account=PAT) == Decimal("30.00")
    assert balance(entries, account=CASH) == Decimal("110.00")
    assert balance(entries, account=REVENUE) == Decimal("-200.00")
    assert balance(entries, kind=AccountKind.CONTRACTUAL) == Decimal("30.00")
    assert journal_is_balanced(entries)


def test_a_reversal_undoes_its_entry_and_names_it() -> None:
    original = payment("C1", INS, {1: Decimal("70.00")}, on=D)
    stored = Entry(**{**{f: getattr(original, f) for f in original.__slots__}, "id": 7})
    undo = reverse(stored, on=date(2026, 4, 1))
    assert undo.kind == EntryKind.REVERSAL
    assert undo.reverses == 7
    assert balance([stored, undo], account=INS) == 0
    assert balance([stored, undo], account=CASH) == 0
    with pytest.raises(ValueError, match="stored entry"):
        reverse(original, on=D)


def test_a_transfer_moves_between_receivables_only() -> None:
    with pytest.raises(ValueError, match="between two receivables"):
        transfer("C1", INS, CASH, {1: Decimal("5.00")}, on=D)


def test_account_names_round_trip_and_bad_names_are_input_errors() -> None:
    for account in (INS, PAT, CASH, Account(AccountKind.UNAPPLIED, "1SBX01")):
        assert Account.parse(account.name) == account
    with pytest.raises(InputError, match="unknown account"):
        Account.parse("receivables:SBX01")
    with pytest.raises(InputError, match="needs a party"):
        Account.parse("ar_patient")


def test_allocation_fills_lines_in_order_and_keeps_the_excess_on_the_claim() -> None:
    assert allocate(Decimal("-15.00"), {1: Decimal("-10.00"), 2: Decimal("-10.00")}) == {
        1: Decimal("-10.00"),
        2: Decimal("-5.00"),
    }
    assert allocate(Decimal("5.00"), {}) == {None: Decimal("5.00")}
