"""Encounters with their codes, the claim worklist, batches and acknowledgements, uploaded ERA files."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from medbill.practice.records import (
    Acknowledgment,
    Batch,
    ClaimStatus,
    ClaimWork,
    Decision,
    Encounter,
    EncounterCode,
    EncounterStatus,
    EraFile,
    Evidence,
)
from medbill.storage.tables import (
    AcknowledgmentRow,
    BatchRow,
    ClaimWorkRow,
    EncounterCodeRow,
    EncounterRow,
    EraFileRow,
    PatientRow,
)


def _code(row: EncounterCodeRow) -> EncounterCode:
    return EncounterCode(
        row.id,
        row.position,
        row.code,
        row.system,
        row.description,
        row.score,
        row.status,
        tuple(Evidence(int(e["start"]), int(e["end"]), str(e["text"])) for e in row.evidence),
        row.rationale,
        row.origin,
        Decision(row.decision),
        row.replaced_by_id,
        row.decided_by,
        row.decided_at,
    )


def _encounter(row: EncounterRow, codes: Sequence[EncounterCode] = ()) -> Encounter:
    return Encounter(
        row.id,
        row.patient_id,
        row.rendering_provider_id,
        row.billing_provider_id,
        row.service_date,
        row.setting,
        row.place_of_service,
        row.visit_type,
        row.note,
        EncounterStatus(row.status),
        row.source,
        row.created_at,
        row.updated_at,
        row.em,
        tuple(row.mentions or ()),
        row.coded_at,
        tuple(codes),
    )


def _claim(row: ClaimWorkRow) -> ClaimWork:
    return ClaimWork(
        row.id,
        row.claim_id,
        row.encounter_id,
        row.patient_id,
        row.payer_code,
        ClaimStatus(row.status),
        row.document,
        row.total_charge,
        row.version,
        row.created_at,
        row.updated_at,
        tuple(row.findings or ()),
        row.clean,
        row.checked_at,
        row.price,
        row.batch_id,
    )


def _count(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


class EncounterRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> int:
        row = EncounterRow(status=EncounterStatus.NEW.value, **values)
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, encounter_id: int) -> Encounter | None:
        row = self._session.get(EncounterRow, encounter_id)
        if row is None:
            return None
        codes = self._session.scalars(
            select(EncounterCodeRow)
            .where(EncounterCodeRow.encounter_id == encounter_id)
            .order_by(EncounterCodeRow.position, EncounterCodeRow.id)
        )
        return _encounter(row, [_code(c) for c in codes])

    def list(
        self,
        *,
        status: str | None,
        patient_id: int | None,
        q: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[Encounter], int]:
        query = select(EncounterRow)
        if status:
            query = query.where(EncounterRow.status == status)
        if patient_id is not None:
            query = query.where(EncounterRow.patient_id == patient_id)
        if q:
            query = query.join(PatientRow, PatientRow.id == EncounterRow.patient_id).where(
                func.lower(PatientRow.last_name).like("%" + q.lower().replace("%", "") + "%")
            )
        total = _count(self._session, query)
        rows = self._session.scalars(
            query.order_by(EncounterRow.service_date.desc(), EncounterRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_encounter(r) for r in rows], total

    def update(self, encounter_id: int, **values: Any) -> None:
        if isinstance(values.get("status"), EncounterStatus):
            values["status"] = values["status"].value
        self._session.execute(update(EncounterRow).where(EncounterRow.id == encounter_id).values(**values))

    def replace_engine_codes(self, encounter_id: int, codes: Sequence[dict[str, Any]]) -> None:
        """Drop the engine's undecided proposals and store `codes` (dicts of `EncounterCodeRow` columns)."""
        old = self._session.scalars(
            select(EncounterCodeRow).where(
                EncounterCodeRow.encounter_id == encounter_id,
                EncounterCodeRow.origin == "engine",
                EncounterCodeRow.decision == Decision.PENDING.value,
            )
        ).all()
        for row in old:
            self._session.delete(row)
        self._session.flush()
        for values in codes:
            self._session.add(EncounterCodeRow(encounter_id=encounter_id, origin="engine", **values))
        self._session.flush()

    def add_code(self, encounter_id: int, **values: Any) -> int:
        row = EncounterCodeRow(encounter_id=encounter_id, **values)
        self._session.add(row)
        self._session.flush()
        return row.id

    def decide(
        self, code_id: int, decision: Decision, *, by: str, at: dt.datetime, replaced_by: int | None = None
    ) -> None:
        self._session.execute(
            update(EncounterCodeRow)
            .where(EncounterCodeRow.id == code_id)
            .values(decision=decision.value, decided_by=by, decided_at=at, replaced_by_id=replaced_by)
        )

    def next_position(self, encounter_id: int) -> int:
        found = self._session.scalar(
            select(func.max(EncounterCodeRow.position)).where(EncounterCodeRow.encounter_id == encounter_id)
        )
        return (found or 0) + 1


class ClaimWorkRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> int:
        values["status"] = ClaimStatus(values.get("status", ClaimStatus.DRAFT)).value
        row = ClaimWorkRow(version=1, **values)
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, claim_id: str) -> ClaimWork | None:
        row = self._session.scalar(select(ClaimWorkRow).where(ClaimWorkRow.claim_id == claim_id))
        return _claim(row) if row else None

    def of_encounter(self, encounter_id: int) -> list[ClaimWork]:
        rows = self._session.scalars(select(ClaimWorkRow).where(ClaimWorkRow.encounter_id == encounter_id))
        return [_claim(r) for r in rows]

    def list(
        self,
        *,
        status: str | None,
        patient_id: int | None,
        payer_code: str | None,
        batch_id: int | None,
        q: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[ClaimWork], int]:
        query = select(ClaimWorkRow)
        if status:
            query = query.where(ClaimWorkRow.status == status)
        if patient_id is not None:
            query = query.where(ClaimWorkRow.patient_id == patient_id)
        if payer_code:
            query = query.where(ClaimWorkRow.payer_code == payer_code)
        if batch_id is not None:
            query = query.where(ClaimWorkRow.batch_id == batch_id)
        if q:
            query = query.where(ClaimWorkRow.claim_id.like(q.replace("%", "") + "%"))
        total = _count(self._session, query)
        rows = self._session.scalars(query.order_by(ClaimWorkRow.id.desc()).offset(offset).limit(limit))
        return [_claim(r) for r in rows], total

    def update(self, claim_id: str, **values: Any) -> None:
        if isinstance(values.get("status"), ClaimStatus):
            values["status"] = values["status"].value
        self._session.execute(update(ClaimWorkRow).where(ClaimWorkRow.claim_id == claim_id).values(**values))

    def status_counts(self) -> dict[str, int]:
        rows = self._session.execute(select(ClaimWorkRow.status, func.count()).group_by(ClaimWorkRow.status))
        return {status: count for status, count in rows}

    def set_status_for(self, claim_ids: Sequence[str], status: ClaimStatus, *, at: dt.datetime) -> None:
        if claim_ids:
            self._session.execute(
                update(ClaimWorkRow)
                .where(ClaimWorkRow.claim_id.in_(list(claim_ids)))
                .values(status=status.value, updated_at=at)
            )


class BatchRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, *, claim_count: int, total_charge: Decimal, control: str, x12: str, by: str, at: dt.datetime
    ) -> int:
        row = BatchRow(
            status="created",
            claim_count=claim_count,
            total_charge=total_charge,
            interchange_control=control,
            x12=x12,
            created_by=by,
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def _batch(self, row: BatchRow, *, full: bool) -> Batch:
        claim_ids: tuple[str, ...] = ()
        acks: tuple[Acknowledgment, ...] = ()
        if full:
            claim_ids = tuple(
                self._session.scalars(
                    select(ClaimWorkRow.claim_id)
                    .where(ClaimWorkRow.batch_id == row.id)
                    .order_by(ClaimWorkRow.id)
                )
            )
            acks = tuple(
                Acknowledgment(a.id, a.batch_id, a.kind, a.accepted, a.summary, a.received_by, a.received_at)
                for a in self._session.scalars(
                    select(AcknowledgmentRow)
                    .where(AcknowledgmentRow.batch_id == row.id)
                    .order_by(AcknowledgmentRow.id)
                )
            )
        return Batch(
            row.id,
            row.status,
            row.claim_count,
            row.total_charge,
            row.interchange_control,
            row.created_by,
            row.created_at,
            claim_ids,
            acks,
        )

    def get(self, batch_id: int) -> Batch | None:
        row = self._session.get(BatchRow, batch_id)
        return self._batch(row, full=True) if row else None

    def x12(self, batch_id: int) -> str | None:
        return self._session.scalar(select(BatchRow.x12).where(BatchRow.id == batch_id))

    def by_control(self, control: str) -> int | None:
        return self._session.scalar(select(BatchRow.id).where(BatchRow.interchange_control == control))

    def list(self, *, status: str | None, offset: int, limit: int) -> tuple[list[Batch], int]:
        query = select(BatchRow)
        if status:
            query = query.where(BatchRow.status == status)
        total = _count(self._session, query)
        rows = self._session.scalars(query.order_by(BatchRow.id.desc()).offset(offset).limit(limit))
        return [self._batch(r, full=False) for r in rows], total

    def set_status(self, batch_id: int, status: str) -> None:
        self._session.execute(update(BatchRow).where(BatchRow.id == batch_id).values(status=status))

    def add_acknowledgment(
        self,
        batch_id: int | None,
        kind: str,
        accepted: bool,
        summary: dict[str, Any],
        x12: str,
        *,
        by: str,
        at: dt.datetime,
    ) -> int:
        row = AcknowledgmentRow(
            batch_id=batch_id,
            kind=kind,
            accepted=accepted,
            summary=summary,
            x12=x12,
            received_by=by,
            received_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id


class EraFileRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, name: str, sha256: str, content: str, *, by: str, at: dt.datetime) -> int:
        row = EraFileRow(
            name=name[:255], sha256=sha256, content=content, status="uploaded", uploaded_by=by, uploaded_at=at
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def content(self, era_id: int) -> tuple[str, str] | None:
        row = self._session.get(EraFileRow, era_id)
        return (row.name, row.content) if row else None

    def set_results(self, era_id: int, status: str, results: list[dict[str, Any]]) -> None:
        self._session.execute(
            update(EraFileRow).where(EraFileRow.id == era_id).values(status=status, results=results)
        )

    def _era(self, row: EraFileRow) -> EraFile:
        return EraFile(
            row.id,
            row.name,
            row.sha256,
            row.status,
            row.uploaded_by,
            row.uploaded_at,
            tuple(row.results or ()),
        )

    def get(self, era_id: int) -> EraFile | None:
        row = self._session.get(EraFileRow, era_id)
        return self._era(row) if row else None

    def list(self, *, offset: int, limit: int) -> tuple[list[EraFile], int]:
        query = select(EraFileRow)
        total = _count(self._session, query)
        rows = self._session.scalars(query.order_by(EraFileRow.id.desc()).offset(offset).limit(limit))
        return [self._era(r) for r in rows], total
