"""Record claims in the journal and post their charges: `medbill ar charge CLAIM...`.

Recording the claims given together is one business action (all or nothing). A claim is known to
the journal by its `claim_id` (CLM01) from then on. Recording the same claim again is a no-op;
a replacement (frequency 7) reverses the charges billed to that payer and posts the new ones; a void
(frequency 8) reverses them; a claim billed to a secondary or tertiary payer moves the claim's
patient balance (what the earlier payer left to the patient) to that payer.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from medbill.ar.accounts import Account
from medbill.ar.entries import Entry, EntryKind, charge, reverse, transfer
from medbill.ar.patients import patient_key
from medbill.core.claim import Claim, Frequency, Responsibility
from medbill.core.errors import InputError
from medbill.core.findings import Finding, has_blocking, is_clean
from medbill.core.money import ZERO
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow

ClaimCheck = Callable[[Claim], Sequence[Finding]]
"""The claim edits (the scrubber): findings for a claim; none blocking means the claim is clean."""


@dataclass(frozen=True, slots=True)
class ChargeResult:
    claim_id: str
    action: str
    """charged | unchanged | replaced | voided | billed_to_next_payer"""
    payer_id: str
    responsibility: Responsibility
    amount: Decimal
    entry_ids: tuple[int, ...] = ()
    clean: bool | None = None
    findings: tuple[Finding, ...] = field(default=())


class ClaimsNotClean(InputError):
    """Some claims do not pass the claim edits (blocking findings); nothing was recorded."""

    def __init__(self, message: str, findings: dict[str, tuple[Finding, ...]]) -> None:
        super().__init__(message)
        self.findings = findings


ResultMaker = Callable[[str, Decimal, Sequence[int]], ChargeResult]


def record_claims(
    database: Database,
    claims: Sequence[Claim],
    *,
    on: dt.date,
    check: ClaimCheck | None = None,
    force: bool = False,
) -> list[ChargeResult]:
    """Record `claims` and post their charges dated `on`, in one transaction.

    With `check` (the claim edits), a claim with a blocking finding stops the whole action
    (`ClaimsNotClean`) unless `force`; every claim checked is recorded as clean or not
    (`medbill.core.findings.is_clean`), for the clean-claim rate."""
    ids = [c.claim_id for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InputError(f"the same claim_id is given more than once: {', '.join(repeated)}")
    checked = {c.claim_id: tuple(check(c)) if check else () for c in claims}
    blocked = {i: f for i, f in checked.items() if has_blocking(f)}
    if blocked and not force:
        raise ClaimsNotClean(
            f"{len(blocked)} claim(s) do not pass the claim edits; nothing was recorded", blocked
        )
    results = []
    with database.unit_of_work() as uow:
        for claim in claims:
            findings = checked[claim.claim_id]
            clean = is_clean(findings) if check else None
            results.append(record_claim(uow, claim, on=on, clean=clean, findings=findings))
    return results


def record_claim(
    uow: UnitOfWork,
    claim: Claim,
    *,
    on: dt.date,
    clean: bool | None = None,
    findings: tuple[Finding, ...] = (),
) -> ChargeResult:
    """Record one claim within the caller's unit of work (see the module docstring for what happens)."""
    at = utcnow()
    known = uow.claims.get(claim.claim_id)

    def result(action: str, amount: Decimal, entry_ids: Sequence[int] = ()) -> ChargeResult:
        return ChargeResult(
            claim.claim_id,
            action,
            claim.payer.id,
            claim.responsibility,
            amount,
            tuple(entry_ids),
            clean,
            findings,
        )

    if known is None:
        if claim.frequency == Frequency.VOID:
            raise InputError(
                f"claim {claim.claim_id}: a void (frequency 8) of a claim the journal does not know"
            )
        if not claim.lines:
            raise InputError(f"claim {claim.claim_id} has no service lines to charge")
        uow.claims.add(claim, patient_key=patient_key(claim), clean=clean, billed_on=on, at=at)
        entry = _charge_entry(claim, on)
        return result("charged", claim.total_charge, uow.journal.add_entries([entry], at=at))

    current = uow.claims.document(claim.claim_id, claim.responsibility)
    if current is not None and current == claim:
        return result("unchanged", ZERO, ())
    if current is None:
        if claim.responsibility == Responsibility.PRIMARY:
            raise InputError(f"claim {claim.claim_id} is recorded already with another payer as primary")
        uow.claims.add_document(claim, clean=clean, billed_on=on, at=at)
        return _bill_next_payer(uow, claim, known.patient_key, on, result)
    if claim.frequency not in (Frequency.REPLACEMENT, Frequency.VOID):
        raise InputError(
            f"claim {claim.claim_id} is recorded already with different content; "
            "send a replacement (frequency 7) or a void (frequency 8)"
        )
    uow.claims.add_document(claim, clean=clean, billed_on=on, at=at)
    entries = [
        reverse(e, on=on, narration=f"claim {claim.claim_id} frequency {claim.frequency.value}")
        for e in uow.journal.entries(claim_id=claim.claim_id)
        if e.kind == EntryKind.CHARGE
        and e.id is not None
        and uow.journal.reversal_of(e.id) is None
        and any(p.account == Account.insurance(current.payer.id) for p in e.postings)
    ]
    if claim.frequency == Frequency.REPLACEMENT:
        entries.append(_charge_entry(claim, on))
        ids = uow.journal.add_entries(entries, at=at)
        return result("replaced", claim.total_charge, ids)
    return result("voided", -current.total_charge, uow.journal.add_entries(entries, at=at))


def _charge_entry(claim: Claim, on: dt.date) -> Entry:
    amounts = {n: line.charge for n, line in enumerate(claim.lines, start=1)}
    return charge(claim.claim_id, claim.payer.id, amounts, on=on, narration=f"claim {claim.claim_id} billed")


def _bill_next_payer(
    uow: UnitOfWork, claim: Claim, patient: str, on: dt.date, result: ResultMaker
) -> ChargeResult:
    """Move what the claim's patient owes on it to the payer billed next."""
    source = Account.patient(patient)
    open_lines = {
        line: amount
        for (account, line), amount in uow.journal.line_balances(claim.claim_id).items()
        if account == source and amount > 0
    }
    if not open_lines:
        return result("billed_to_next_payer", ZERO, ())
    target = Account.insurance(claim.payer.id)
    narration = f"claim {claim.claim_id} billed to the {claim.responsibility.value} payer"
    entry = transfer(claim.claim_id, source, target, open_lines, on=on, narration=narration)
    ids = uow.journal.add_entries([entry], at=utcnow())
    return result("billed_to_next_payer", sum(open_lines.values(), ZERO), ids)
