"""835 balancing, as the 005010X221A1 TR3 requires it (section 1.10.2.1), reported as findings.

- claim: CLP03 charge − every CAS amount (claim and service level) = CLP04 paid;
- each service line: SVC02 charge − its CAS amounts = SVC03 paid;
- lines against the claim: Σ SVC02 = CLP03, and Σ SVC03 − claim-level CAS = CLP04;
- transaction: BPR02 (negative when BPR03 is D, a debit) = Σ CLP04 − Σ PLB amounts.
"""

from decimal import Decimal

from medbill.core.findings import Severity, Source
from medbill.core.money import ZERO, format_money
from medbill.core.remittance import ClaimPayment, Remittance
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment

BALANCING = "ASC X12 005010X221A1 835 TR3, 1.10.2.1 Balancing"


def _sum(amounts: "list[Decimal]") -> Decimal:
    return sum(amounts, ZERO)


def check_claim(claim: ClaimPayment, clp: Segment | None, sink: FindingSink, source: Source) -> None:
    """Balancing findings for one CLP loop (``clp`` is its CLP segment, for the position)."""
    cite = Source(name=BALANCING, release=source.release)
    claim_cas = _sum([a.amount for a in claim.adjustments])
    line_cas = _sum([a.amount for line in claim.lines for a in line.adjustments])
    expected = claim.charge - claim_cas - line_cas
    if expected != claim.paid:
        sink.add(
            "x12.835.balance.claim",
            Severity.REJECT,
            f"claim {claim.claim_id}: charge {format_money(claim.charge)} − adjustments "
            f"{format_money(claim_cas + line_cas)} = {format_money(expected)}, but the payment is "
            f"{format_money(claim.paid)}",
            clp,
            source=cite,
        )
    if not claim.lines:
        return
    for number, line in enumerate(claim.lines, start=1):
        line_expected = line.charge - _sum([a.amount for a in line.adjustments])
        if line_expected != line.paid:
            sink.add(
                "x12.835.balance.line",
                Severity.REJECT,
                f"claim {claim.claim_id} line {number} ({line.procedure or line.revenue_code}): charge "
                f"{format_money(line.charge)} − adjustments {format_money(line.charge - line_expected)} = "
                f"{format_money(line_expected)}, but the line payment is {format_money(line.paid)}",
                clp,
                source=cite,
            )
    line_charges = _sum([line.charge for line in claim.lines])
    if line_charges != claim.charge:
        sink.add(
            "x12.835.balance.line_charges",
            Severity.REJECT,
            f"claim {claim.claim_id}: service line charges add up to {format_money(line_charges)}, "
            f"the claim charge is {format_money(claim.charge)}",
            clp,
            source=cite,
        )
    line_paid = _sum([line.paid for line in claim.lines])
    if line_paid - claim_cas != claim.paid:
        sink.add(
            "x12.835.balance.line_payments",
            Severity.REJECT,
            f"claim {claim.claim_id}: service line payments {format_money(line_paid)} − claim-level "
            f"adjustments {format_money(claim_cas)} = {format_money(line_paid - claim_cas)}, but the claim "
            f"payment is {format_money(claim.paid)}",
            clp,
            source=cite,
        )


def check_transaction(remittance: Remittance, bpr: Segment | None, sink: FindingSink, source: Source) -> None:
    """BPR02 against the claims and provider adjustments of one transaction set."""
    paid = _sum([c.paid for c in remittance.claims])
    plb = _sum([a.amount for a in remittance.provider_adjustments])
    expected = paid - plb
    actual = (
        -remittance.payment.amount if remittance.payment.credit_debit == "D" else remittance.payment.amount
    )
    if expected != actual:
        sink.add(
            "x12.835.balance.payment",
            Severity.REJECT,
            f"BPR02 payment {format_money(actual)} ≠ claim payments {format_money(paid)} − provider "
            f"adjustments {format_money(plb)} = {format_money(expected)}",
            bpr,
            source=Source(name=BALANCING, release=source.release),
        )
