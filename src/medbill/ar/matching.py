"""Matching what a remittance says to what the journal knows: which payer a CLP is from, and which
billed service line each SVC pays.

Service lines are matched in this order, each SVC taking the first line not yet taken:
the line item control number (REF*6R) when it is the line number (`2`) or ends with it (`PCN1-2`);
then procedure + modifiers + date of service + charge; then procedure + date of service; then
procedure alone; then position, when the remittance reports as many lines as were billed.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from medbill.core.claim import Claim, Responsibility
from medbill.core.remittance import ClaimPayment, ClaimStatus, Remittance, ServicePayment


@dataclass(frozen=True, slots=True)
class BilledLine:
    """A service line as billed (1-based `line`)."""

    line: int
    procedure: str
    modifiers: tuple[str, ...]
    service_date: date
    charge: Decimal
    revenue_code: str | None = None

    def same_service(self, svc: ServicePayment) -> bool:
        """The SVC names this line's service: its procedure, or (institutional lines without one)
        its revenue code."""
        if self.procedure and svc.procedure:
            return svc.procedure.upper() == self.procedure
        return bool(self.revenue_code) and (svc.revenue_code or svc.procedure) == self.revenue_code


def billed_lines(claim: Claim) -> tuple[BilledLine, ...]:
    return tuple(
        BilledLine(n, ln.procedure, ln.modifiers, ln.service_date, ln.charge, ln.revenue_code)
        for n, ln in enumerate(claim.lines, start=1)
    )


_STATUS_RESPONSIBILITY: dict[str, Responsibility] = {
    ClaimStatus.PRIMARY: Responsibility.PRIMARY,
    ClaimStatus.PRIMARY_FORWARDED: Responsibility.PRIMARY,
    ClaimStatus.SECONDARY: Responsibility.SECONDARY,
    ClaimStatus.SECONDARY_FORWARDED: Responsibility.SECONDARY,
    ClaimStatus.TERTIARY: Responsibility.TERTIARY,
    ClaimStatus.TERTIARY_FORWARDED: Responsibility.TERTIARY,
}


def responsibility_of(
    clp: ClaimPayment, payers: Mapping[Responsibility, str], remittance: Remittance
) -> Responsibility | None:
    """Which of the claim's payers this CLP is from: CLP02 when it says (processed as primary,
    secondary, tertiary), else the remittance payer's id when it is one of the claim's payers, else
    the primary. None when that payer was never billed for the claim."""
    by_status = _STATUS_RESPONSIBILITY.get(clp.status)
    if by_status is not None:
        return by_status if by_status in payers else None
    ids = {remittance.payer.id, remittance.payment.originator_id} - {None, ""}
    for responsibility, payer_id in payers.items():
        if payer_id in ids:
            return responsibility
    if Responsibility.PRIMARY in payers:
        return Responsibility.PRIMARY
    return next(iter(payers), None)


def remittance_payer_key(remittance: Remittance) -> str:
    """Who paid, for idempotency and unapplied cash: TRN03, else the N1*PR id, else the payer name."""
    return (
        remittance.payment.originator_id or remittance.payer.id or remittance.payer.name or "UNKNOWN"
    ).strip()


_LCN_TAIL = re.compile(r"(?:^|[^0-9])(\d{1,3})$")


def _line_from_control_number(control: str | None, count: int) -> int | None:
    if not control:
        return None
    found = _LCN_TAIL.search(control.strip())
    if found is None:
        return None
    number = int(found.group(1))
    return number if 1 <= number <= count else None


def match_service_lines(services: Sequence[ServicePayment], lines: Sequence[BilledLine]) -> list[int | None]:
    """The billed line number each SVC pays (None where no line fits)."""
    taken: set[int] = set()
    result: list[int | None] = [None] * len(services)

    def take(index: int, line: int | None) -> None:
        if line is not None and line not in taken:
            taken.add(line)
            result[index] = line

    for i, svc in enumerate(services):
        take(i, _line_from_control_number(svc.line_control_number, len(lines)))

    keys: list[Callable[[ServicePayment, BilledLine], bool]] = [
        lambda s, b: (
            b.same_service(s)
            and tuple(s.modifiers) == b.modifiers
            and (s.service_date or b.service_date) == b.service_date
            and s.charge == b.charge
        ),
        lambda s, b: b.same_service(s) and (s.service_date or b.service_date) == b.service_date,
        lambda s, b: b.same_service(s),
    ]
    for fits in keys:
        for i, svc in enumerate(services):
            if result[i] is None:
                take(i, next((b.line for b in lines if b.line not in taken and fits(svc, b)), None))
    if len(services) == len(lines):
        for i in range(len(services)):
            if result[i] is None:
                take(i, lines[i].line)
    return result
