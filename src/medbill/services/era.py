"""Post a remittance (X12 835) to the journal: `medbill ar post-era FILE`.

Each remittance (one 835 transaction set) is one business action: everything it carries is posted
in one transaction, or nothing is. Posting is idempotent: a remittance whose trace number (TRN02)
and payer are already posted is reported as a duplicate and changes nothing.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from medbill.ar.carc import CarcTable, carc_table
from medbill.ar.matching import remittance_payer_key
from medbill.ar.records import JournalClaim, RemittanceClaimRecord
from medbill.ar.remit import ClaimContext, RemitException, RemittancePlan, plan_remittance
from medbill.core.money import format_money
from medbill.core.remittance import Remittance
from medbill.services.remittance_files import read_remittances
from medbill.storage import Database, UnitOfWork
from medbill.storage.base import utcnow
from medbill.storage.repositories.queues import NewDenial, NewException
from medbill.storage.repositories.remittances import DuplicateRemittance


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    clp_claim_id: str
    claim_id: str | None
    status: str
    paid: Decimal
    outcome: str
    exception: str | None = None
    denials: int = 0


@dataclass(frozen=True, slots=True)
class PostResult:
    trace_number: str
    payer_key: str
    remittance_id: int
    duplicate: bool
    payment: Decimal
    entries: int = 0
    claims: tuple[ClaimOutcome, ...] = ()
    exceptions: tuple[RemitException, ...] = ()
    denials: int = 0

    @property
    def posted_claims(self) -> int:
        return sum(1 for c in self.claims if c.outcome == "posted")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form `medbill ar post-era --json` prints and the app keeps with an uploaded file."""
        return {
            "trace_number": self.trace_number,
            "payer": self.payer_key,
            "remittance_id": self.remittance_id,
            "duplicate": self.duplicate,
            "payment": format_money(self.payment),
            "entries": self.entries,
            "posted_claims": self.posted_claims,
            "denials": self.denials,
            "claims": [
                {
                    "clp_claim_id": c.clp_claim_id,
                    "claim_id": c.claim_id,
                    "status": c.status,
                    "paid": format_money(c.paid),
                    "outcome": c.outcome,
                    "exception": c.exception,
                    "denials": c.denials,
                }
                for c in self.claims
            ],
            "exceptions": [
                {"kind": e.kind.value, "message": e.message, "amount": format_money(e.amount)}
                for e in self.exceptions
            ],
        }


ProgressFn = Callable[[int, int, str], None]


def post_remittance_file(database: Database, path: Path, *, today: dt.date | None = None) -> list[PostResult]:
    """Post every remittance of an 835 (or JSON) file, each in its own transaction."""
    return post_remittance_data(database, path.read_bytes(), name=path.name, today=today)


def post_remittance_data(
    database: Database,
    data: bytes,
    *,
    name: str,
    today: dt.date | None = None,
    progress: ProgressFn | None = None,
    source_sha256: str | None = None,
) -> list[PostResult]:
    """Post every remittance of a file's content, each in its own transaction: the one path from an
    835 (or its JSON/YAML form) to the journal, for `medbill ar post-era` and the app's uploads alike.
    A file that cannot be read raises `InputError` before anything is posted. `source_sha256` is the
    digest of the file as received, when `data` is a stored copy of it."""
    remittances = read_remittances(data, name=name)
    digest = source_sha256 or hashlib.sha256(data).hexdigest()
    results = []
    for n, remittance in enumerate(remittances, start=1):
        results.append(
            post_remittance(database, remittance, source_name=name, source_sha256=digest, today=today)
        )
        if progress:
            progress(n, len(remittances), f"posted {n} of {len(remittances)} remittances")
    return results


def post_remittance(
    database: Database,
    remittance: Remittance,
    *,
    source_name: str = "",
    source_sha256: str = "",
    today: dt.date | None = None,
    carcs: CarcTable | None = None,
) -> PostResult:
    """Post one remittance in one transaction (or report it as already posted)."""
    payer_key = remittance_payer_key(remittance)
    trace = remittance.payment.trace_number
    try:
        with database.unit_of_work() as uow:
            existing = uow.remittances.find(trace, payer_key)
            if existing is not None:
                return PostResult(trace, payer_key, existing.id, True, existing.payment_amount)
            return _post(uow, remittance, payer_key, source_name, source_sha256, today, carcs)
    except DuplicateRemittance:  # posted by someone else between our check and our insert
        with database.reader() as uow:
            existing = uow.remittances.find(trace, payer_key)
        if existing is None:  # pragma: no cover - the constraint said it exists
            raise
        return PostResult(trace, payer_key, existing.id, True, existing.payment_amount)


def match_claims(uow: UnitOfWork, remittance: Remittance) -> list[JournalClaim | None]:
    """The claim each CLP is for: by patient control number (CLP01), then payer claim number (CLP07)."""
    by_id = uow.claims.find({c.claim_id for c in remittance.claims})
    missing = [c for c in remittance.claims if c.claim_id not in by_id]
    numbers = uow.claims.claim_ids_for_payer_claim_numbers(
        c.payer_claim_number for c in missing if c.payer_claim_number
    )
    by_number = uow.claims.find(set(numbers.values()))
    matched: list[JournalClaim | None] = []
    for clp in remittance.claims:
        found = by_id.get(clp.claim_id)
        if found is None and clp.payer_claim_number in numbers:
            found = by_number.get(numbers[clp.payer_claim_number])
        matched.append(found)
    return matched


def contexts_for(uow: UnitOfWork, claims: Sequence[JournalClaim | None]) -> list[ClaimContext | None]:
    balances = uow.journal.claim_balances({c.claim_id for c in claims if c})
    return [
        None
        if c is None
        else ClaimContext(c.claim_id, c.patient_key, c.payers, c.lines, balances.get(c.claim_id, {}))
        for c in claims
    ]


def _post(
    uow: UnitOfWork,
    remittance: Remittance,
    payer_key: str,
    source_name: str,
    source_sha256: str,
    today: dt.date | None,
    carcs: CarcTable | None,
) -> PostResult:
    at = utcnow()
    contexts = contexts_for(uow, match_claims(uow, remittance))
    plan = plan_remittance(remittance, contexts, on=today or dt.date.today(), carcs=carcs or carc_table())
    remittance_id = uow.remittances.add(
        remittance, payer_key=payer_key, source_name=source_name, source_sha256=source_sha256, at=at
    )
    record_ids = uow.remittances.add_claims(
        [
            RemittanceClaimRecord(
                remittance_id,
                c.position,
                c.claim_id,
                c.responsibility,
                "posted" if c.posted else "exception",
                c.clp,
            )
            for c in plan.claims
        ]
    )
    uow.journal.add_entries(plan.entries, at=at, remittance_id=remittance_id)
    store_queues(uow, plan, remittance_id, record_ids, payer_key)
    return PostResult(
        trace_number=remittance.payment.trace_number,
        payer_key=payer_key,
        remittance_id=remittance_id,
        duplicate=False,
        payment=remittance.payment.amount,
        entries=len(plan.entries),
        claims=tuple(
            ClaimOutcome(
                c.clp.claim_id,
                c.claim_id,
                c.clp.status,
                c.clp.paid,
                "posted" if c.posted else "exception",
                c.exception.message if c.exception else None,
                len(c.denials),
            )
            for c in plan.claims
        ),
        exceptions=plan.all_exceptions,
        denials=sum(len(c.denials) for c in plan.claims),
    )


def store_queues(
    uow: UnitOfWork,
    plan: RemittancePlan,
    remittance_id: int,
    record_ids: Sequence[int] | Mapping[int, int],
    payer_key: str,
) -> None:
    """Queue the plan's exceptions and denials."""
    at = utcnow()
    exceptions = [
        NewException(
            c.exception.kind.value,
            c.exception.message,
            c.exception.amount,
            c.claim_id,
            remittance_id,
            record_ids[c.position],
        )
        for c in plan.claims
        if c.exception
    ] + [NewException(e.kind.value, e.message, e.amount, None, remittance_id, None) for e in plan.exceptions]
    uow.queues.add_exceptions(exceptions, at=at)
    uow.queues.add_denials(
        [
            NewDenial(
                d.claim_id,
                remittance_id,
                record_ids[c.position],
                d.line,
                d.procedure,
                d.category,
                d.carc,
                d.amount,
                d.adjustments,
                d.remarks,
                payer_key,
                plan.on,
            )
            for c in plan.claims
            for d in c.denials
        ],
        at=at,
    )
