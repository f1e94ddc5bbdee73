"""The exception and denial queues: items are added by posting, resolved by a biller, never deleted."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from medbill.ar.carc import CarcCategory
from medbill.ar.entries import Carc
from medbill.ar.records import DenialItem, ExceptionItem, QueueStatus
from medbill.core.claim import AdjustmentGroup, CasAdjustment
from medbill.storage.repositories._common import ClaimKeys, insert_rows
from medbill.storage.tables import DenialRow, ExceptionRow


@dataclass(frozen=True, slots=True)
class NewException:
    kind: str
    message: str
    amount: Decimal
    claim_id: str | None
    remittance_id: int | None
    remittance_claim_id: int | None


@dataclass(frozen=True, slots=True)
class NewDenial:
    claim_id: str
    remittance_id: int
    remittance_claim_id: int
    line: int | None
    procedure: str | None
    category: CarcCategory
    carc: Carc
    amount: Decimal
    adjustments: tuple[CasAdjustment, ...]
    remarks: tuple[str, ...]
    payer_key: str
    denied_on: dt.date


class QueueRepository:
    def __init__(self, session: Session, keys: ClaimKeys) -> None:
        self._session = session
        self._keys = keys

    def add_exceptions(self, items: Sequence[NewException], *, at: dt.datetime) -> None:
        if not items:
            return
        pks = self._keys.pks(i.claim_id for i in items if i.claim_id)
        insert_rows(
            self._session,
            ExceptionRow,
            [
                {
                    "kind": i.kind,
                    "status": QueueStatus.OPEN.value,
                    "message": i.message[:500],
                    "amount": i.amount,
                    "remittance_id": i.remittance_id,
                    "remittance_claim_id": i.remittance_claim_id,
                    "claim_pk": pks.get(i.claim_id) if i.claim_id else None,
                    "recorded_at": at,
                }
                for i in items
            ],
        )

    def exceptions(self, *, status: QueueStatus | None = QueueStatus.OPEN) -> list[ExceptionItem]:
        query = select(ExceptionRow).order_by(ExceptionRow.id)
        if status is not None:
            query = query.where(ExceptionRow.status == status.value)
        rows = list(self._session.scalars(query))
        ids = self._keys.ids(r.claim_pk for r in rows)
        return [_exception(r, ids.get(r.claim_pk) if r.claim_pk else None) for r in rows]

    def exception(self, exception_id: int) -> ExceptionItem | None:
        row = self._session.get(ExceptionRow, exception_id)
        if row is None:
            return None
        claim_id = self._keys.ids([row.claim_pk]).get(row.claim_pk) if row.claim_pk else None
        return _exception(row, claim_id)

    def resolve_exception(
        self, exception_id: int, *, resolution: str, entry_id: int | None, at: dt.datetime
    ) -> None:
        row = self._session.get_one(ExceptionRow, exception_id)
        row.status = QueueStatus.RESOLVED.value
        row.resolution = resolution[:500]
        row.resolution_entry_id = entry_id
        row.resolved_at = at
        self._session.flush()

    def add_denials(self, items: Sequence[NewDenial], *, at: dt.datetime) -> None:
        if not items:
            return
        pks = self._keys.pks(i.claim_id for i in items)
        insert_rows(
            self._session,
            DenialRow,
            [
                {
                    "claim_pk": pks[i.claim_id],
                    "remittance_id": i.remittance_id,
                    "remittance_claim_id": i.remittance_claim_id,
                    "line": i.line,
                    "procedure": i.procedure[:10] if i.procedure else None,
                    "category": i.category.value,
                    "carc_group": i.carc.group.value,
                    "carc_reason": i.carc.reason,
                    "amount": i.amount,
                    "adjustments": [a.model_dump(mode="json") for a in i.adjustments],
                    "remarks": list(i.remarks),
                    "payer_key": i.payer_key,
                    "denied_on": i.denied_on,
                    "status": QueueStatus.OPEN.value,
                    "recorded_at": at,
                }
                for i in items
            ],
        )

    def denials(
        self, *, status: QueueStatus | None = QueueStatus.OPEN, claim_id: str | None = None
    ) -> list[DenialItem]:
        query = select(DenialRow).order_by(DenialRow.id)
        if status is not None:
            query = query.where(DenialRow.status == status.value)
        if claim_id is not None:
            query = query.where(DenialRow.claim_pk == self._keys.pk(claim_id))
        rows = list(self._session.scalars(query))
        ids = self._keys.ids(r.claim_pk for r in rows)
        return [_denial(r, ids[r.claim_pk]) for r in rows]

    def denial(self, denial_id: int) -> DenialItem | None:
        row = self._session.get(DenialRow, denial_id)
        return None if row is None else _denial(row, self._keys.ids([row.claim_pk])[row.claim_pk])

    def resolve_denial(
        self, denial_id: int, *, resolution: str, entry_id: int | None, at: dt.datetime
    ) -> None:
        row = self._session.get_one(DenialRow, denial_id)
        row.status = QueueStatus.RESOLVED.value
        row.resolution = resolution[:500]
        row.resolution_entry_id = entry_id
        row.resolved_at = at
        self._session.flush()


def _exception(row: ExceptionRow, claim_id: str | None) -> ExceptionItem:
    return ExceptionItem(
        id=row.id,
        kind=row.kind,
        status=QueueStatus(row.status),
        message=row.message,
        amount=row.amount,
        claim_id=claim_id,
        remittance_id=row.remittance_id,
        remittance_claim_id=row.remittance_claim_id,
        recorded_at=row.recorded_at,
        resolution=row.resolution,
        resolution_entry_id=row.resolution_entry_id,
    )


def _denial(row: DenialRow, claim_id: str) -> DenialItem:
    return DenialItem(
        id=row.id,
        claim_id=claim_id,
        line=row.line,
        procedure=row.procedure,
        category=CarcCategory(row.category),
        carc=Carc(AdjustmentGroup(row.carc_group), row.carc_reason),
        amount=row.amount,
        adjustments=tuple(CasAdjustment.model_validate(a) for a in row.adjustments),
        remarks=tuple(str(r) for r in row.remarks),
        payer_key=row.payer_key,
        denied_on=row.denied_on,
        status=QueueStatus(row.status),
        remittance_id=row.remittance_id,
        remittance_claim_id=row.remittance_claim_id,
        resolution=row.resolution,
        resolution_entry_id=row.resolution_entry_id,
    )
