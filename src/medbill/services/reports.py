"""Reports from the journal: aging, KPIs, balances, patient statements (read-only units of work)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from medbill.ar.accounts import Account, AccountKind
from medbill.ar.aging import AgedBalance, AgingBasis, AgingBy, AgingReport, age
from medbill.ar.carc import CarcTable, carc_table
from medbill.ar.entries import EntryKind
from medbill.ar.kpis import Kpi, KpiInputs, compute_kpis
from medbill.ar.statement import Statement, statement_line
from medbill.ar.statement_pdf import render_statement
from medbill.core.claim import Address, Responsibility
from medbill.core.errors import InputError
from medbill.core.money import ZERO
from medbill.core.remittance import ClaimPayment, ClaimStatus
from medbill.storage import Database

ONE_DAY = dt.timedelta(days=1)


def aging(
    database: Database, *, as_of: dt.date, by: AgingBy | None = None, basis: AgingBasis = AgingBasis.SERVICE
) -> AgingReport:
    """Open receivables as of the end of `as_of`, in aging buckets."""
    with database.reader() as uow:
        open_balances = uow.journal.receivables(before=as_of + ONE_DAY)
    rows = [
        AgedBalance(r.claim_id, r.account, r.amount, r.patient_key, r.first_service_date, r.billed_on)
        for r in open_balances
    ]
    return age(rows, as_of=as_of, by=by, basis=basis)


def account_balances(database: Database, *, as_of: dt.date | None = None) -> dict[Account, Decimal]:
    with database.reader() as uow:
        found = uow.journal.account_balances(before=as_of + ONE_DAY if as_of else None)
    return {a: v for a, v in sorted(found.items()) if v != 0}


def denied(payment: ClaimPayment, carcs: CarcTable) -> bool:
    """Did this CLP deny the claim in full or in part (CLP02 = 4, or a CARC whose category is a denial)?"""
    if payment.status == ClaimStatus.DENIED:
        return True
    every = list(payment.adjustments) + [a for s in payment.lines for a in s.adjustments]
    return any(carcs.get(a.reason).category.denial for a in every)


def kpis(database: Database, *, as_of: dt.date, period_days: int = 90) -> list[Kpi]:
    """The KPIs for the `period_days` days ending on `as_of` (HFMA uses three months)."""
    if period_days < 1:
        raise InputError("the period must be at least one day")
    start = as_of - dt.timedelta(days=period_days - 1)
    table = carc_table()
    with database.reader() as uow:
        activity = uow.journal.activity(start, as_of)
        net_ar = sum((r.amount for r in uow.journal.receivables(before=as_of + ONE_DAY)), ZERO)
        clean, checked = uow.claims.edit_counts(start, as_of)
        firsts = uow.remittances.first_adjudications(start, as_of)

    def total(account: AccountKind) -> Decimal:
        return sum((v for (_, a), v in activity.items() if a == account), ZERO)

    first_denied = sum(1 for _, r in firsts if denied(r.payment, table))
    first_paid = sum(1 for _, r in firsts if r.payment.paid > 0 and not denied(r.payment, table))
    inputs = KpiInputs(
        start=start,
        end=as_of,
        net_ar=net_ar,
        gross_charges=-total(AccountKind.REVENUE),
        contractual=total(AccountKind.CONTRACTUAL),
        cash=total(AccountKind.CASH),
        claims_checked=checked,
        claims_clean=clean,
        claims_remitted=len(firsts),
        claims_paid_first_pass=first_paid,
        claims_denied_first_pass=first_denied,
    )
    return compute_kpis(inputs)


def find_patient(database: Database, text: str) -> str:
    """The patient key for a patient key or member id; `InputError` when none or several match."""
    with database.reader() as uow:
        keys = uow.claims.patient_keys(text)
    if not keys:
        raise InputError(
            f"no patient {text!r} in the journal (give the patient key, e.g. DOE-JANE-19800101, or a member id)"
        )
    if len(keys) > 1:
        raise InputError(
            f"member id {text!r} belongs to several patients: {', '.join(keys)}; give the patient key"
        )
    return keys[0]


def statement(database: Database, patient: str, *, on: dt.date, include_settled: bool = False) -> Statement:
    """The statement of a patient (key or member id): every claim with a balance (or all claims)."""
    key = find_patient(database, patient)
    with database.reader() as uow:
        claims = uow.claims.of_patient(key)
        activity = uow.journal.claim_activity(c.claim_id for c in claims)
        first = uow.claims.document(claims[0].claim_id, Responsibility.PRIMARY) if claims else None
        if first is None and claims:
            first = uow.claims.document(claims[0].claim_id, next(iter(claims[0].payers)))
    per_claim: dict[str, dict[tuple[EntryKind, AccountKind], Decimal]] = defaultdict(dict)
    for (claim_id, entry_kind, account_kind), amount in activity.items():
        if account_kind.receivable:
            per_claim[claim_id][(entry_kind, account_kind)] = amount
    lines = []
    for c in claims:
        line = statement_line(
            c.claim_id,
            c.first_service_date,
            tuple(b.procedure for b in c.lines),
            per_claim.get(c.claim_id, {}),
        )
        if include_settled or line.balance != 0 or line.insurance_pending != 0:
            lines.append(line)
    if first is None:  # pragma: no cover - a patient key comes from a recorded claim
        raise InputError(f"no claim of patient {key}")
    person = first.person
    name = " ".join(p for p in (person.first_name, person.middle_name, person.last_name) if p)
    return Statement(
        patient_key=key,
        patient_name=name,
        patient_address=_address(person.address or first.subscriber.address),
        provider_name=first.billing_provider.name,
        provider_address=_address(first.billing_provider.address),
        statement_date=on,
        lines=tuple(lines),
    )


def write_statement(database: Database, patient: str, target: Path, *, on: dt.date) -> Statement:
    found = statement(database, patient, on=on)
    render_statement(found, target)
    return found


def _address(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ()
    lines = [address.line1] + ([address.line2] if address.line2 else [])
    return (*lines, f"{address.city}, {address.state} {address.zip}")
