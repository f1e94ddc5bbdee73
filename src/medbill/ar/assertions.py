"""Balance assertions, as Beancount's `balance` directive: "at the start of DATE, ACCOUNT (for CLAIM)
holds AMOUNT". They are written by a biller (or a reconciliation) and checked against the journal;
a failed assertion is a finding, never a silent correction.

>>> a = BalanceAssertion(date(2026, 4, 1), Account.parse("cash"), Decimal("60.00"))
>>> check(a, Decimal("60.00")).ok, check(a, Decimal("59.99")).finding().message
(True, 'balance assertion failed: cash on 2026-04-01 is 59.99, asserted 60.00 (difference -0.01)')
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from medbill.ar.accounts import Account
from medbill.core.findings import Finding, Severity, Source
from medbill.core.money import format_money

RULE = "ar.balance-assertion"
SOURCE = Source(name="medbill journal balance assertion")


@dataclass(frozen=True, slots=True)
class BalanceAssertion:
    date: date
    account: Account
    amount: Decimal
    claim_id: str | None = None
    narration: str = ""
    id: int | None = None

    @property
    def subject(self) -> str:
        where = f" for claim {self.claim_id}" if self.claim_id else ""
        return f"{self.account.name}{where}"


@dataclass(frozen=True, slots=True)
class AssertionResult:
    assertion: BalanceAssertion
    actual: Decimal

    @property
    def ok(self) -> bool:
        return self.actual == self.assertion.amount

    @property
    def difference(self) -> Decimal:
        return self.actual - self.assertion.amount

    def finding(self) -> Finding:
        a = self.assertion
        message = (
            f"balance assertion failed: {a.subject} on {a.date.isoformat()} is {format_money(self.actual)}, "
            f"asserted {format_money(a.amount)} (difference {format_money(self.difference)})"
        )
        return Finding(
            rule=RULE,
            severity=Severity.DENY,
            message=message,
            source=SOURCE,
            fix="find the entry that is missing or wrong and post a correcting entry (or reverse it)",
            extra=(("assertion_id", a.id), ("actual", format_money(self.actual))),
        )


def check(assertion: BalanceAssertion, actual: Decimal) -> AssertionResult:
    """Compare an assertion with the balance the journal gives (at the start of its date)."""
    return AssertionResult(assertion, actual)
