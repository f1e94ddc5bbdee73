"""Payers, providers, patients and their coverage: the practice's master data."""

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from medbill.core.claim import Address, PayerType, Relationship, Responsibility, Sex
from medbill.practice.records import CoverageRecord, PatientRecord, PayerRecord, ProviderRecord
from medbill.storage.tables import CoverageRow, PatientRow, PayerRow, ProviderRow


def _address(data: dict[str, Any] | None) -> Address | None:
    return Address.model_validate(data) if data else None


def _dump(address: Address | None) -> dict[str, Any] | None:
    return address.model_dump(mode="json", exclude_none=True) if address else None


def _payer(row: PayerRow) -> PayerRecord:
    return PayerRecord(row.id, row.payer_code, row.name, PayerType(row.type), _address(row.address))


def _provider(row: ProviderRow) -> ProviderRecord:
    return ProviderRecord(
        row.id, row.npi, row.kind, row.name, row.first_name, row.taxonomy, row.tax_id, _address(row.address)
    )


def _like(text: str) -> str:
    return "%" + text.replace("\\", "").replace("%", "").replace("_", "").lower() + "%"


class PracticeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- payers ---------------------------------------------------------------------------------
    def add_payer(
        self, payer_code: str, name: str, type: PayerType, address: Address | None, *, at: dt.datetime
    ) -> PayerRecord:
        row = PayerRow(
            payer_code=payer_code, name=name, type=type.value, address=_dump(address), created_at=at
        )
        self._session.add(row)
        self._session.flush()
        return _payer(row)

    def payer(self, payer_id: int) -> PayerRecord | None:
        row = self._session.get(PayerRow, payer_id)
        return _payer(row) if row else None

    def payer_by_code(self, code: str) -> PayerRecord | None:
        row = self._session.scalar(select(PayerRow).where(PayerRow.payer_code == code))
        return _payer(row) if row else None

    def payers(self, *, q: str | None, offset: int, limit: int) -> tuple[list[PayerRecord], int]:
        query = select(PayerRow)
        if q:
            query = query.where(or_(func.lower(PayerRow.name).like(_like(q)), PayerRow.payer_code == q))
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self._session.scalars(query.order_by(PayerRow.name, PayerRow.id).offset(offset).limit(limit))
        return [_payer(r) for r in rows], total

    # -- providers ------------------------------------------------------------------------------
    def add_provider(self, record: ProviderRecord, *, at: dt.datetime) -> ProviderRecord:
        row = ProviderRow(
            npi=record.npi,
            kind=record.kind,
            name=record.name,
            first_name=record.first_name,
            taxonomy=record.taxonomy,
            tax_id=record.tax_id,
            address=_dump(record.address),
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return _provider(row)

    def provider(self, provider_id: int) -> ProviderRecord | None:
        row = self._session.get(ProviderRow, provider_id)
        return _provider(row) if row else None

    def provider_by_npi(self, npi: str) -> ProviderRecord | None:
        row = self._session.scalar(select(ProviderRow).where(ProviderRow.npi == npi))
        return _provider(row) if row else None

    def providers(
        self, *, q: str | None, kind: str | None, offset: int, limit: int
    ) -> tuple[list[ProviderRecord], int]:
        query = select(ProviderRow)
        if q:
            query = query.where(or_(func.lower(ProviderRow.name).like(_like(q)), ProviderRow.npi == q))
        if kind:
            query = query.where(ProviderRow.kind == kind)
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self._session.scalars(
            query.order_by(ProviderRow.name, ProviderRow.id).offset(offset).limit(limit)
        )
        return [_provider(r) for r in rows], total

    # -- patients -------------------------------------------------------------------------------
    def add_patient(self, record: PatientRecord, *, at: dt.datetime) -> int:
        row = PatientRow(
            mrn=record.mrn,
            last_name=record.last_name,
            first_name=record.first_name,
            middle_name=record.middle_name,
            birth_date=record.birth_date,
            sex=record.sex.value,
            address=_dump(record.address),
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def update_patient(self, patient_id: int, **values: Any) -> None:
        if "address" in values:
            values["address"] = _dump(values["address"])
        if "sex" in values:
            values["sex"] = Sex(values["sex"]).value
        self._session.execute(update(PatientRow).where(PatientRow.id == patient_id).values(**values))

    def set_coverage(
        self,
        patient_id: int,
        payer_id: int,
        responsibility: Responsibility,
        member_id: str,
        *,
        group_number: str | None = None,
        relationship: Relationship = Relationship.SELF,
        subscriber: dict[str, Any] | None = None,
    ) -> None:
        """Add or replace the patient's coverage at `responsibility` (primary, secondary, ...)."""
        row = self._session.scalar(
            select(CoverageRow).where(
                CoverageRow.patient_id == patient_id, CoverageRow.responsibility == responsibility.value
            )
        )
        if row is None:
            row = CoverageRow(patient_id=patient_id, responsibility=responsibility.value)
            self._session.add(row)
        row.payer_id = payer_id
        row.member_id = member_id
        row.group_number = group_number
        row.relationship = relationship.value
        row.subscriber = subscriber
        self._session.flush()

    def patient(self, patient_id: int) -> PatientRecord | None:
        row = self._session.get(PatientRow, patient_id)
        return self._patients([row])[0] if row else None

    def patient_by_mrn(self, mrn: str) -> PatientRecord | None:
        row = self._session.scalar(select(PatientRow).where(PatientRow.mrn == mrn))
        return self._patients([row])[0] if row else None

    def patients(self, *, q: str | None, offset: int, limit: int) -> tuple[list[PatientRecord], int]:
        query = select(PatientRow)
        if q:
            query = query.where(
                or_(
                    func.lower(PatientRow.last_name).like(_like(q)),
                    func.lower(PatientRow.first_name).like(_like(q)),
                    PatientRow.mrn == q,
                )
            )
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self._session.scalars(
            query.order_by(PatientRow.last_name, PatientRow.first_name, PatientRow.id)
            .offset(offset)
            .limit(limit)
        ).all()
        return self._patients(list(rows)), total

    def _patients(self, rows: list[PatientRow]) -> list[PatientRecord]:
        ids = [r.id for r in rows]
        coverages: dict[int, list[CoverageRecord]] = {i: [] for i in ids}
        if ids:
            found = self._session.execute(
                select(CoverageRow, PayerRow)
                .join(PayerRow, PayerRow.id == CoverageRow.payer_id)
                .where(CoverageRow.patient_id.in_(ids))
                .order_by(CoverageRow.id)
            )
            for cov, payer in found:
                coverages[cov.patient_id].append(
                    CoverageRecord(
                        cov.id,
                        cov.patient_id,
                        _payer(payer),
                        Responsibility(cov.responsibility),
                        cov.member_id,
                        cov.group_number,
                        Relationship(cov.relationship),
                        cov.subscriber,
                    )
                )
        order = list(Responsibility)
        return [
            PatientRecord(
                r.id,
                r.mrn,
                r.last_name,
                r.first_name,
                r.birth_date,
                Sex(r.sex),
                r.middle_name,
                _address(r.address),
                tuple(sorted(coverages[r.id], key=lambda c: order.index(c.responsibility))),
            )
            for r in rows
        ]
