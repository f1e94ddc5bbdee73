"""What the app shows of the journal: a claim's entries and balances, account balances, the
dashboard (aging, denial reasons, clean-claim rate, claims by status), through the A/R engine's
reports."""

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from medbill.ar.aging import AgingBy
from medbill.core.money import ZERO, format_money
from medbill.practice.accounts import Actor
from medbill.services import audit, reports
from medbill.services.practice import NotFound
from medbill.storage import Database


def claim_ledger(database: Database, actor: Actor, claim_id: str) -> dict[str, Any]:
    """The journal entries and balances of one claim."""
    with database.reader() as uow:
        if uow.claims.get(claim_id) is None:
            raise NotFound(
                f"claim {claim_id!r} is not in the journal (it is charged when it is sent in a batch)"
            )
        entries = uow.journal.entries(claim_id=claim_id)
        balances = uow.journal.claim_balances([claim_id]).get(claim_id, {})
        work = uow.claim_work.get(claim_id)
    audit.record_read(database, actor, "ledger", claim_id, patient_id=work.patient_id if work else None)
    return {
        "claim_id": claim_id,
        "balances": {a.name: format_money(v) for a, v in balances.items()},
        "total_open": format_money(sum(balances.values(), ZERO)),
        "entries": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "date": e.date.isoformat(),
                "narration": e.narration,
                "carc": str(e.carc) if e.carc else None,
                "reverses": e.reverses,
                "postings": [
                    {"account": p.account.name, "amount": format_money(p.amount), "line": p.line}
                    for p in e.postings
                ],
            }
            for e in entries
        ],
    }


def balances(database: Database, *, as_of: dt.date | None) -> dict[str, str]:
    found = reports.account_balances(database, as_of=as_of)
    return {a.name: format_money(v) for a, v in found.items()}


def aging(database: Database, *, as_of: dt.date, by: str | None) -> dict[str, Any]:
    return dict(reports.aging(database, as_of=as_of, by=AgingBy(by) if by else None).to_dict())


def kpis(database: Database, *, as_of: dt.date, period_days: int) -> list[dict[str, Any]]:
    return [k.to_dict() for k in reports.kpis(database, as_of=as_of, period_days=period_days)]


def dashboard(database: Database, *, as_of: dt.date) -> dict[str, Any]:
    """Everything the dashboard draws: aging buckets, denial reasons, claim states, KPIs."""
    aged = aging(database, as_of=as_of, by="payer")
    with database.reader() as uow:
        denials = uow.queues.denials(status=None)
        statuses = uow.claim_work.status_counts()
    by_category: Counter[str] = Counter()
    amount_by_category: dict[str, Decimal] = {}
    by_reason: Counter[str] = Counter()
    for d in denials:
        category = str(d.category.value if hasattr(d.category, "value") else d.category)
        by_category[category] += 1
        amount_by_category[category] = amount_by_category.get(category, ZERO) + d.amount
        by_reason[str(d.carc)] += 1
    indicators = kpis(database, as_of=as_of, period_days=90)
    clean = next((k for k in indicators if k["key"] == "clean_claim_rate"), None)
    return {
        "as_of": as_of.isoformat(),
        "aging": aged,
        "denials": {
            "by_category": [
                {"category": c, "count": n, "amount": format_money(amount_by_category[c])}
                for c, n in by_category.most_common()
            ],
            "by_reason": [{"carc": r, "count": n} for r, n in by_reason.most_common(10)],
        },
        "claims_by_status": dict(sorted(statuses.items())),
        "clean_claim_rate": clean,
        "kpis": indicators,
    }
