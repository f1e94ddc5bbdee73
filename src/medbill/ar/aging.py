"""A/R aging: what is outstanding, by how long ago the service was (or the claim was billed).

Buckets: 0–30, 31–60, 61–90, 91–120 and more than 120 days, counted from the claim's first date of
service (`basis="service"`, the default) or the date its charges were posted (`basis="billed"`) to
the as-of date. Balances are net: a credit balance (an overpayment) reduces its bucket.

>>> from medbill.ar.accounts import Account
>>> rows = [AgedBalance("C1", Account.insurance("P1"), money("100"), "PAT-A", date(2026, 1, 2), date(2026, 1, 5)),
...         AgedBalance("C2", Account.patient("PAT-A"), money("20"), "PAT-A", date(2025, 9, 1), date(2025, 9, 3))]
>>> report = age(rows, as_of=date(2026, 2, 1), by=None)
>>> str(report.total), {k: str(v) for k, v in report.buckets.items() if v}
('120.00', {'0-30': '100.00', '120+': '20.00'})
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.ar.accounts import Account, AccountKind
from medbill.core.money import ZERO, money

BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("120+", 121, None),
)


class AgingBy(StrEnum):
    PAYER = "payer"
    PATIENT = "patient"


class AgingBasis(StrEnum):
    SERVICE = "service"
    BILLED = "billed"


@dataclass(frozen=True, slots=True)
class AgedBalance:
    """An open balance of one receivable on one claim, with the dates it can be aged from."""

    claim_id: str
    account: Account
    amount: Decimal
    patient_key: str
    first_service_date: date | None
    billed_on: date


@dataclass(frozen=True, slots=True)
class AgingRow:
    key: str
    buckets: dict[str, Decimal]
    claims: int

    @property
    def total(self) -> Decimal:
        return money(sum(self.buckets.values(), ZERO))


@dataclass(frozen=True, slots=True)
class AgingReport:
    as_of: date
    by: AgingBy | None
    basis: AgingBasis
    rows: tuple[AgingRow, ...]

    @property
    def buckets(self) -> dict[str, Decimal]:
        return {label: money(sum((r.buckets[label] for r in self.rows), ZERO)) for label, _, _ in BUCKETS}

    @property
    def total(self) -> Decimal:
        return money(sum(self.buckets.values(), ZERO))

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "by": self.by.value if self.by else None,
            "basis": self.basis.value,
            "total": str(self.total),
            "buckets": {k: str(v) for k, v in self.buckets.items()},
            "rows": [
                {
                    "key": r.key,
                    "total": str(r.total),
                    "claims": r.claims,
                    "buckets": {k: str(v) for k, v in r.buckets.items()},
                }
                for r in self.rows
            ],
        }


def bucket_of(days: int) -> str:
    """The bucket label for an age in days (a future date of service counts as 0 days).

    >>> bucket_of(0), bucket_of(30), bucket_of(31), bucket_of(120), bucket_of(121)
    ('0-30', '0-30', '31-60', '91-120', '120+')
    """
    days = max(days, 0)
    for label, low, high in BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    raise AssertionError(days)  # pragma: no cover - the buckets cover every age


def group_key(balance: AgedBalance, by: AgingBy | None) -> str:
    if by is None:
        return "all"
    if by == AgingBy.PATIENT:
        return balance.patient_key
    return balance.account.party if balance.account.kind == AccountKind.AR_INSURANCE else "patient"


def age(
    balances: Iterable[AgedBalance],
    *,
    as_of: date,
    by: AgingBy | None,
    basis: AgingBasis = AgingBasis.SERVICE,
) -> AgingReport:
    """Put every open balance in its bucket and group the rows (`by` payer — patients' own balances
    in a row `patient` —, by patient, or one row `all`)."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: {label: ZERO for label, _, _ in BUCKETS})
    claims: dict[str, set[str]] = defaultdict(set)
    for balance in balances:
        start = (
            balance.billed_on
            if basis == AgingBasis.BILLED
            else (balance.first_service_date or balance.billed_on)
        )
        key = group_key(balance, by)
        sums[key][bucket_of((as_of - start).days)] += balance.amount
        claims[key].add(balance.claim_id)
    rows = tuple(
        AgingRow(key, {k: money(v) for k, v in sums[key].items()}, len(claims[key])) for key in sorted(sums)
    )
    return AgingReport(as_of, by, basis, rows)
