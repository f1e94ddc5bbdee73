"""Coordination of benefits on the 837: loops 2320/2330A/2330B (claim level) and 2430 (line level).

For a secondary or tertiary claim, each payer that already adjudicated it gets a 2320 loop: SBR
(its responsibility sequence, the patient's relationship to its subscriber, group number, claim
filing indicator), claim-level CAS, AMT*D (what it paid), AMT*EAF (remaining patient liability:
its PR adjustments), OI; then its subscriber (2330A) and the payer itself (2330B, with DTP*573
when no line-level adjudication is sent, and its claim number in REF*F8). Line-level
adjudications go in 2430 under each service line: SVD (paid amount, procedure, units), CAS and
DTP*573.
"""

from medbill.core.claim import Claim, ClaimType, OtherPayer, ServiceLine
from medbill.core.money import x12_amount
from medbill.x12.cas import cas_elements
from medbill.x12.codes import RELATIONSHIP_CODE, RESPONSIBILITY_CODE, filing_indicator
from medbill.x12.values import d8, x12_number
from medbill.x12.writer import Body


def write_other_payers(body: Body, claim: Claim) -> None:
    """The 2320/2330A/2330B loops, one set per prior payer."""
    for other in claim.other_payers:
        _other_payer(body, claim, other)


def _other_payer(body: Body, claim: Claim, other: OtherPayer) -> None:
    subscriber = other.subscriber
    body.add(
        "SBR",
        RESPONSIBILITY_CODE[other.responsibility],
        RELATIONSHIP_CODE[other.relationship],
        subscriber.group_number,
        "",
        "",
        "",
        "",
        "",
        filing_indicator(other.payer.type, claim.type),
    )
    for elements in cas_elements(other.adjustments):
        body.add("CAS", *elements)
    adjudicated = other.adjudication_date is not None or other.lines or other.paid
    if adjudicated:
        body.add("AMT", "D", x12_amount(other.paid))
    liability = other.remaining_patient_liability
    if liability:
        body.add("AMT", "EAF", x12_amount(liability))
    body.add("OI", "", "", "Y", "", "", "Y")
    body.add(
        "NM1",
        "IL",
        "1",
        body.text(subscriber.last_name),
        body.text(subscriber.first_name),
        body.text(subscriber.middle_name),
        "",
        "",
        "MI",
        subscriber.member_id,
    )
    if subscriber.address is not None:
        body.address(subscriber.address)
    body.add("NM1", "PR", "2", body.text(other.payer.name), "", "", "", "", "PI", other.payer.id)
    if other.payer.address is not None:
        body.address(other.payer.address)
    if not other.lines and other.adjudication_date is not None:
        body.add("DTP", "573", "D8", d8(other.adjudication_date))
    if other.payer_claim_number:
        body.add("REF", "F8", other.payer_claim_number)


def write_line_adjudications(body: Body, claim: Claim, number: int, line: ServiceLine) -> None:
    """The 2430 loops of service line ``number`` (1-based)."""
    for other in claim.other_payers:
        for adjudication in other.lines:
            if adjudication.line != number:
                continue
            procedure = adjudication.procedure or line.procedure
            modifiers = adjudication.modifiers or line.modifiers
            composite = ["HC", procedure, *modifiers] if procedure else None
            units = x12_number(adjudication.units if adjudication.units is not None else line.units)
            if claim.type == ClaimType.INSTITUTIONAL:
                body.add(
                    "SVD", other.payer.id, x12_amount(adjudication.paid), composite, line.revenue_code, units
                )
            else:
                body.add("SVD", other.payer.id, x12_amount(adjudication.paid), composite, "", units)
            for elements in cas_elements(adjudication.adjustments):
                body.add("CAS", *elements)
            body.add("DTP", "573", "D8", d8(adjudication.adjudication_date))
