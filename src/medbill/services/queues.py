"""Working the exception and denial queues: `medbill ar exceptions resolve`, `ar denials resolve`.

Resolving an exception that held a claim payment applies that CLP to a claim now (the one it was
matched to, or one the biller names), taking the money out of unapplied cash: an unmatched claim,
a reversal, a payment that arrived before the claim was billed to that payer or that exceeded the
open balance then. If it still cannot post, the reason is given; a biller can instead close the
exception with a note (the money then stays in unapplied cash, e.g. to be refunded).
"""

import datetime as dt
from dataclasses import dataclass

from medbill.ar.accounts import Account
from medbill.ar.carc import carc_table
from medbill.ar.entries import write_off
from medbill.ar.records import QueueStatus
from medbill.ar.remit import ClaimContext, RemittancePlan, plan_claim, unapplied
from medbill.core.errors import InputError
from medbill.core.money import ZERO, format_money
from medbill.services.era import contexts_for, store_queues
from medbill.storage import Database
from medbill.storage.base import utcnow


@dataclass(frozen=True, slots=True)
class Resolution:
    item_id: int
    entry_ids: tuple[int, ...]
    message: str


def resolve_exception(
    database: Database, exception_id: int, *, claim_id: str | None = None, note: str = "", on: dt.date
) -> Resolution:
    """Apply the held claim payment (to `claim_id` when given), or with only a note, close it."""
    with database.unit_of_work() as uow:
        item = uow.queues.exception(exception_id)
        if item is None:
            raise InputError(f"there is no exception {exception_id}")
        if item.status != QueueStatus.OPEN:
            raise InputError(f"exception {exception_id} is resolved already ({item.resolution})")
        if note and claim_id is None:
            uow.queues.resolve_exception(
                exception_id, resolution=f"closed: {note}", entry_id=None, at=utcnow()
            )
            return Resolution(exception_id, (), f"exception {exception_id} closed; its money stays unapplied")
        if item.remittance_claim_id is None or item.remittance_id is None:
            raise InputError(
                f"exception {exception_id} ({item.kind}) holds no claim payment to apply; close it with --note"
            )
        record = uow.remittances.claim_payment(item.remittance_claim_id)
        header = uow.remittances.header(item.remittance_id)
        if record is None or header is None:  # pragma: no cover - foreign keys guarantee both
            raise InputError(f"exception {exception_id}: its remittance is missing")
        target = claim_id or item.claim_id
        if target is None:
            raise InputError(f"exception {exception_id}: name the claim to apply it to (--claim)")
        known = uow.claims.get(target)
        if known is None:
            raise InputError(f"claim {target!r} is not in the journal")
        [context] = contexts_for(uow, [known])
        assert isinstance(context, ClaimContext)
        posted = uow.remittances.get(item.remittance_id)
        assert posted is not None
        payer_key = posted.payer_key
        plan = plan_claim(
            record.position,
            record.payment,
            context,
            remittance=header,
            on=on,
            carcs=carc_table(),
            cash=unapplied(payer_key),
            resolving=True,
        )
        if plan.exception is not None:
            raise InputError(f"exception {exception_id} still cannot post: {plan.exception.message}")
        ids = uow.journal.add_entries(plan.entries, at=utcnow(), remittance_id=item.remittance_id)
        whole = RemittancePlan(payer_key, on, (plan,), (), ())
        store_queues(uow, whole, item.remittance_id, {record.position: item.remittance_claim_id}, payer_key)
        uow.remittances.set_outcome(
            item.remittance_claim_id, claim_id=target, responsibility=plan.responsibility, outcome="posted"
        )
        text = f"applied to claim {target}" + (f": {note}" if note else "")
        uow.queues.resolve_exception(
            exception_id, resolution=text, entry_id=ids[0] if ids else None, at=utcnow()
        )
        return Resolution(exception_id, tuple(ids), f"exception {exception_id} {text}")


def resolve_denial(
    database: Database, denial_id: int, *, write_off_balance: bool, note: str, on: dt.date
) -> Resolution:
    """Close a denial: write off what it left open on the payer (`write_off_balance`), or just note
    what was done (appealed, corrected and rebilled, ...)."""
    if not write_off_balance and not note:
        raise InputError("say what was done (--note) or write the denied balance off (--write-off)")
    with database.unit_of_work() as uow:
        denial = uow.queues.denial(denial_id)
        if denial is None:
            raise InputError(f"there is no denial {denial_id}")
        if denial.status != QueueStatus.OPEN:
            raise InputError(f"denial {denial_id} is resolved already ({denial.resolution})")
        ids: tuple[int, ...] = ()
        text = note or "written off"
        if write_off_balance:
            record = uow.remittances.claim_payment(denial.remittance_claim_id)
            claim = uow.claims.get(denial.claim_id)
            if record is None or claim is None or record.responsibility not in claim.payers:
                raise InputError(f"denial {denial_id}: cannot tell which payer's balance it left open")
            account = Account.insurance(claim.payers[record.responsibility])
            open_amount = uow.journal.line_balances(denial.claim_id).get((account, denial.line), ZERO)
            amount = min(open_amount, denial.amount)
            if amount <= 0:
                raise InputError(
                    f"denial {denial_id}: nothing is open on {account.name} for claim {denial.claim_id}"
                )
            entry = write_off(
                denial.claim_id,
                account,
                {denial.line: amount},
                on=on,
                narration=f"denial {denial_id} {denial.carc} written off" + (f": {note}" if note else ""),
                carc=denial.carc,
            )
            ids = tuple(uow.journal.add_entries([entry], at=utcnow()))
            text = f"wrote off {format_money(amount)}" + (f": {note}" if note else "")
        uow.queues.resolve_denial(denial_id, resolution=text, entry_id=ids[0] if ids else None, at=utcnow())
        return Resolution(denial_id, ids, f"denial {denial_id}: {text}")
