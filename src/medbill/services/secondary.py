"""Bill the next payer after a remittance: `medbill ar secondary CLAIM --coverage FILE`.

One business action: build the claim for the next coverage from the claim as last billed and that
payer's posted remittance, record it, and move the claim's patient balance (what that payer left to
the patient) to the next payer's receivable. The claim is returned for the 837 writer.
"""

import datetime as dt
from dataclasses import dataclass

from medbill.ar.matching import billed_lines, match_service_lines
from medbill.ar.secondary import Coverage, build_next_claim
from medbill.core.claim import Claim, Responsibility
from medbill.core.errors import InputError
from medbill.core.findings import Finding
from medbill.core.remittance import ClaimStatus
from medbill.services.charges import ChargeResult, record_claim
from medbill.storage import Database

_ORDER = (Responsibility.PRIMARY, Responsibility.SECONDARY, Responsibility.TERTIARY)


@dataclass(frozen=True, slots=True)
class NextClaim:
    claim: Claim
    findings: tuple[Finding, ...]
    charge: ChargeResult


def bill_next_payer(database: Database, claim_id: str, coverage: Coverage, *, on: dt.date) -> NextClaim:
    """Build, record and transfer to the claim for `coverage` (see the module docstring)."""
    with database.unit_of_work() as uow:
        known = uow.claims.get(claim_id)
        if known is None:
            raise InputError(f"claim {claim_id!r} is not in the journal")
        before = _ORDER[_ORDER.index(coverage.responsibility) - 1]
        billed = uow.claims.document(claim_id, before)
        if billed is None:
            raise InputError(f"claim {claim_id} was never billed to a {before.value} payer")
        if uow.claims.document(claim_id, coverage.responsibility) is not None:
            raise InputError(f"claim {claim_id} is billed to a {coverage.responsibility.value} payer already")
        posted = [
            r
            for r in uow.remittances.claim_payments(claim_id)
            if r.responsibility == before
            and r.outcome == "posted"
            and r.payment.status != ClaimStatus.REVERSAL
        ]
        if not posted:
            raise InputError(
                f"claim {claim_id}: no remittance from the {before.value} payer is posted yet; "
                "post its 835 first"
            )
        last = posted[-1]
        numbers = match_service_lines(last.payment.lines, billed_lines(billed))
        claim, findings = build_next_claim(
            billed, last.payment, numbers, adjudicated_on=last.payment_date or on, coverage=coverage
        )
        charge = record_claim(uow, claim, on=on)
        return NextClaim(claim, tuple(findings), charge)
