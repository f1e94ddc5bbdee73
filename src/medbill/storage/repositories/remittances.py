"""Posted remittances and their claim payments; the (trace number, payer) key makes posting idempotent."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medbill.ar.records import PostedRemittance, RemittanceClaimRecord
from medbill.core.claim import Responsibility
from medbill.core.remittance import ClaimPayment, Remittance
from medbill.storage.repositories._common import ClaimKeys, insert_returning_ids
from medbill.storage.tables import RemittanceClaimRow, RemittanceRow


class DuplicateRemittance(Exception):
    """A remittance with this trace number and payer is already posted."""


class RemittanceRepository:
    def __init__(self, session: Session, keys: ClaimKeys) -> None:
        self._session = session
        self._keys = keys

    def find(self, trace_number: str, payer_key: str) -> PostedRemittance | None:
        row = self._session.scalar(
            select(RemittanceRow).where(
                RemittanceRow.trace_number == trace_number, RemittanceRow.payer_key == payer_key
            )
        )
        return None if row is None else _posted(row)

    def get(self, remittance_id: int) -> PostedRemittance | None:
        row = self._session.get(RemittanceRow, remittance_id)
        return None if row is None else _posted(row)

    def recent(self, *, limit: int = 100) -> list[PostedRemittance]:
        rows = self._session.scalars(select(RemittanceRow).order_by(RemittanceRow.id.desc()).limit(limit))
        return [_posted(r) for r in rows]

    def add(
        self,
        remittance: Remittance,
        *,
        payer_key: str,
        source_name: str,
        source_sha256: str,
        at: dt.datetime,
    ) -> int:
        """Record the remittance header; `DuplicateRemittance` when it is posted already."""
        header = remittance.model_dump(mode="json", exclude={"claims"})
        row = RemittanceRow(
            trace_number=remittance.payment.trace_number,
            payer_key=payer_key,
            payer_id=remittance.payer.id,
            payer_name=remittance.payer.name[:200],
            payment_amount=remittance.payment.amount,
            payment_method=remittance.payment.method[:3],
            payment_date=remittance.payment.date,
            production_date=remittance.production_date,
            source_name=source_name[:255],
            source_sha256=source_sha256,
            claims_count=len(remittance.claims),
            header=header,
            posted_at=at,
        )
        self._session.add(row)
        try:
            with self._session.begin_nested():
                self._session.flush()
        except IntegrityError as exc:
            raise DuplicateRemittance(f"{remittance.payment.trace_number} from {payer_key}") from exc
        return row.id

    def header(self, remittance_id: int) -> Remittance | None:
        """The remittance as posted, without its claims (payer, payee, payment, PLB)."""
        header = self._session.scalar(select(RemittanceRow.header).where(RemittanceRow.id == remittance_id))
        return None if header is None else Remittance.model_validate({**header, "claims": []})

    def set_outcome(
        self,
        remittance_claim_id: int,
        *,
        claim_id: str,
        responsibility: Responsibility | None,
        outcome: str,
    ) -> None:
        """Record that a held CLP was applied to a claim after all."""
        row = self._session.get_one(RemittanceClaimRow, remittance_claim_id)
        row.claim_pk = self._keys.pk(claim_id)
        row.responsibility = responsibility.value if responsibility else None
        row.outcome = outcome
        self._session.flush()

    def add_claims(self, records: Sequence[RemittanceClaimRecord]) -> list[int]:
        """Record the CLPs of a remittance (bulk); returns their ids in order."""
        if not records:
            return []
        pks = self._keys.pks(r.claim_id for r in records if r.claim_id)
        rows: list[dict[str, Any]] = [
            {
                "remittance_id": r.remittance_id,
                "position": r.position,
                "claim_pk": pks.get(r.claim_id) if r.claim_id else None,
                "clp_claim_id": r.payment.claim_id[:38],
                "payer_claim_number": (r.payment.payer_claim_number or None),
                "status": r.payment.status[:2],
                "responsibility": r.responsibility.value if r.responsibility else None,
                "charge": r.payment.charge,
                "paid": r.payment.paid,
                "patient_responsibility": r.payment.patient_responsibility,
                "outcome": r.outcome,
                "document": r.payment.model_dump(mode="json"),
            }
            for r in records
        ]
        return insert_returning_ids(self._session, RemittanceClaimRow, rows)

    def claim_payments(self, claim_id: str) -> list[RemittanceClaimRecord]:
        """Every CLP matched to the claim, oldest remittance first."""
        pk = self._keys.pk(claim_id)
        if pk is None:
            return []
        rows = self._session.execute(
            select(RemittanceClaimRow, RemittanceRow.payment_date, RemittanceRow.production_date)
            .join(RemittanceRow, RemittanceRow.id == RemittanceClaimRow.remittance_id)
            .where(RemittanceClaimRow.claim_pk == pk)
            .order_by(RemittanceClaimRow.remittance_id, RemittanceClaimRow.position)
        ).all()
        return [_record(row, claim_id, paid_on or produced_on) for row, paid_on, produced_on in rows]

    def claim_payment(self, remittance_claim_id: int) -> RemittanceClaimRecord | None:
        found = self._session.execute(
            select(RemittanceClaimRow, RemittanceRow.payment_date, RemittanceRow.production_date)
            .join(RemittanceRow, RemittanceRow.id == RemittanceClaimRow.remittance_id)
            .where(RemittanceClaimRow.id == remittance_claim_id)
        ).first()
        if found is None:
            return None
        row, paid_on, produced_on = found
        claim_id = self._keys.ids([row.claim_pk]).get(row.claim_pk) if row.claim_pk else None
        return _record(row, claim_id, paid_on or produced_on)

    def first_adjudications(self, start: dt.date, end: dt.date) -> list[tuple[str, RemittanceClaimRecord]]:
        """For each claim whose first posted CLP (from any payer, reversals aside) falls in [start, end]
        by payment date: that CLP."""
        rows = self._session.execute(
            select(RemittanceClaimRow, RemittanceRow.payment_date, RemittanceRow.production_date)
            .join(RemittanceRow, RemittanceRow.id == RemittanceClaimRow.remittance_id)
            .where(RemittanceClaimRow.claim_pk.is_not(None), RemittanceClaimRow.status != "22")
            .order_by(
                RemittanceClaimRow.claim_pk, RemittanceClaimRow.remittance_id, RemittanceClaimRow.position
            )
        ).all()
        ids = self._keys.ids(r[0].claim_pk for r in rows)
        first: dict[int, tuple[RemittanceClaimRow, dt.date | None]] = {}
        for row, paid_on, produced_on in rows:
            if row.claim_pk is not None:
                first.setdefault(row.claim_pk, (row, paid_on or produced_on))
        result = []
        for pk, (row, day) in first.items():
            if day is not None and start <= day <= end:
                result.append((ids[pk], _record(row, ids[pk], day)))
        return result


def _posted(row: RemittanceRow) -> PostedRemittance:
    return PostedRemittance(
        id=row.id,
        trace_number=row.trace_number,
        payer_key=row.payer_key,
        payer_name=row.payer_name,
        payment_amount=row.payment_amount,
        payment_date=row.payment_date,
        claims_count=row.claims_count,
        posted_at=row.posted_at,
        source_name=row.source_name,
    )


def _record(row: RemittanceClaimRow, claim_id: str | None, day: dt.date | None) -> RemittanceClaimRecord:
    return RemittanceClaimRecord(
        remittance_id=row.remittance_id,
        position=row.position,
        claim_id=claim_id,
        responsibility=Responsibility(row.responsibility) if row.responsibility else None,
        outcome=row.outcome,
        payment=ClaimPayment.model_validate(row.document),
        payment_date=day,
        id=row.id,
    )
