"""The claim for the next payer (secondary, tertiary) after a payer's remittance: the same services,
billed to the next coverage, with the earlier payer's adjudication as COB data (837 loops 2320/2330
and 2430): what it paid, when, its claim- and service-line adjustments (CAS).

Returns `(claim, findings)`; findings tell a biller what the next payer may object to.
"""

from collections.abc import Sequence
from datetime import date

from medbill.core.claim import (
    Claim,
    Frequency,
    LineAdjudication,
    OtherPayer,
    Patient,
    Payer,
    Relationship,
    Responsibility,
    Subscriber,
)
from medbill.core.findings import Finding, Severity, Source
from medbill.core.model import Frozen
from medbill.core.money import ZERO, format_money
from medbill.core.remittance import ClaimPayment

SOURCE = Source(name="X12 837 COB balancing (loops 2320/2430)")


class Coverage(Frozen):
    """The coverage to bill next: its payer, its subscriber, and the patient's relationship to them."""

    payer: Payer
    subscriber: Subscriber
    relationship: Relationship = Relationship.SELF
    responsibility: Responsibility = Responsibility.SECONDARY


def build_next_claim(
    billed: Claim,
    adjudication: ClaimPayment,
    line_numbers: Sequence[int | None],
    *,
    adjudicated_on: date,
    coverage: Coverage,
) -> tuple[Claim, list[Finding]]:
    """The claim for `coverage`, built from `billed` (the claim as the earlier payer got it) and that
    payer's CLP (`line_numbers[i]`: the billed line the i-th SVC paid)."""
    findings: list[Finding] = []
    if coverage.responsibility == Responsibility.PRIMARY:
        raise ValueError("the next payer's responsibility is secondary or tertiary")
    lines = tuple(
        LineAdjudication(
            line=number,
            paid=svc.paid,
            adjudication_date=adjudicated_on,
            procedure=svc.procedure,
            modifiers=svc.modifiers,
            units=svc.units,
            adjustments=svc.adjustments,
        )
        for svc, number in zip(adjudication.lines, line_numbers, strict=True)
        if number is not None
    )
    earlier = OtherPayer(
        payer=billed.payer,
        responsibility=billed.responsibility,
        subscriber=billed.subscriber,
        relationship=billed.patient.relationship if billed.patient else Relationship.SELF,
        paid=adjudication.paid,
        adjudication_date=adjudicated_on,
        payer_claim_number=adjudication.payer_claim_number,
        adjustments=adjudication.adjustments,
        lines=lines,
    )
    person = billed.person
    patient = None
    if coverage.relationship != Relationship.SELF:
        patient = Patient(
            first_name=person.first_name,
            last_name=person.last_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            sex=person.sex,
            address=person.address,
            relationship=coverage.relationship,
        )
    claim = billed.replace(
        payer=coverage.payer.model_dump(),
        responsibility=coverage.responsibility,
        subscriber=coverage.subscriber.model_dump(),
        patient=patient.model_dump() if patient else None,
        frequency=Frequency.ORIGINAL,
        payer_claim_number=None,
        other_payers=[p.model_dump() for p in (*billed.other_payers, earlier)],
    )
    adjudicated = {ln.line for ln in lines}
    for number, line in enumerate(billed.lines, start=1):
        if number not in adjudicated:
            findings.append(
                Finding(
                    "ar.cob-line-not-adjudicated",
                    Severity.WARN,
                    f"line {number} ({line.procedure}) has no adjudication from {billed.payer.name}; "
                    "the next payer may reject it",
                    lines=(number,),
                    source=SOURCE,
                )
            )
    for ln in lines:
        billed_charge = billed.lines[ln.line - 1].charge
        adjusted = sum((a.amount for a in ln.adjustments), ZERO)
        if billed_charge - ln.paid != adjusted:
            findings.append(
                Finding(
                    "ar.cob-line-unbalanced",
                    Severity.WARN,
                    f"line {ln.line}: charge {format_money(billed_charge)} − paid {format_money(ln.paid)} ≠ "
                    f"adjustments {format_money(adjusted)}; the 837 COB balancing rule will fail",
                    lines=(ln.line,),
                    source=SOURCE,
                )
            )
    if earlier.remaining_patient_liability == 0:
        findings.append(
            Finding(
                "ar.cob-nothing-left",
                Severity.INFO,
                f"{billed.payer.name} left nothing to the patient; the next payer has nothing to pay",
                source=SOURCE,
            )
        )
    return claim, findings
