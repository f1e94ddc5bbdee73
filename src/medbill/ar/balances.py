"""Balances are derived from the entries, never stored: pure sums over postings.

The storage layer computes the same sums in SQL; these functions are the definition it is tested
against, and what in-memory callers (plans, tests) use.

>>> from medbill.ar.entries import charge, payment
>>> d = date(2026, 3, 2)
>>> entries = [charge("A", "P1", {1: money("80")}, on=d),
...            payment("A", Account.insurance("P1"), {1: money("60")}, on=d)]
>>> str(balance(entries, account=Account.insurance("P1"), claim_id="A"))
'20.00'
>>> journal_is_balanced(entries)
True
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from medbill.ar.accounts import Account, AccountKind
from medbill.ar.entries import Entry, Posting
from medbill.core.money import ZERO, money

K = TypeVar("K", bound=Hashable)

_ANY = object()


def postings(entries: Iterable[Entry], *, before: date | None = None) -> Iterable[Posting]:
    """Every posting of `entries` (those dated before `before`, when given)."""
    for entry in entries:
        if before is None or entry.date < before:
            yield from entry.postings


def balance(
    entries: Iterable[Entry],
    *,
    account: Account | None = None,
    kind: AccountKind | None = None,
    claim_id: str | None = None,
    line: object = _ANY,
    before: date | None = None,
) -> Decimal:
    """The sum of the postings that match every filter given (`line=None` means claim-level only)."""
    amount = ZERO
    for posting in postings(entries, before=before):
        if account is not None and posting.account != account:
            continue
        if kind is not None and posting.account.kind != kind:
            continue
        if claim_id is not None and posting.claim_id != claim_id:
            continue
        if line is not _ANY and posting.line != line:
            continue
        amount += posting.amount
    return money(amount)


def balances_by(
    entries: Iterable[Entry], key: Callable[[Posting], K | None], *, before: date | None = None
) -> dict[K, Decimal]:
    """Sums of postings grouped by `key(posting)` (postings whose key is None are left out)."""
    sums: dict[K, Decimal] = defaultdict(lambda: ZERO)
    for posting in postings(entries, before=before):
        group = key(posting)
        if group is not None:
            sums[group] += posting.amount
    return dict(sums)


def receivable_balances(entries: Iterable[Entry]) -> dict[tuple[str | None, Account], Decimal]:
    """What is owed, by (claim, receivable account), leaving out zero balances."""
    sums = balances_by(entries, lambda p: (p.claim_id, p.account) if p.account.kind.receivable else None)
    return {k: v for k, v in sums.items() if v != 0}


def journal_is_balanced(entries: Iterable[Entry]) -> bool:
    """True when every posting of the journal sums to zero (each entry balances on its own too)."""
    return sum((p.amount for p in postings(entries)), ZERO) == 0
