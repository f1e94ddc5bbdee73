"""The practice the app serves: payers, providers, patients and their coverage, encounters with their
notes and codes, and the claims a biller works on before they reach the journal.

Addresses and other nested values are `Document` columns next to the key columns lists filter on.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Cents, Document, Id, UtcDateTime


class PayerRow(Base):
    __tablename__ = "payers"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    payer_code: Mapped[str] = mapped_column(
        String(80), unique=True, comment="id as the clearinghouse knows it"
    )
    name: Mapped[str] = mapped_column(String(200), index=True)
    type: Mapped[str] = mapped_column(String(20))
    address: Mapped[dict[str, Any] | None] = mapped_column(Document)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ProviderRow(Base):
    """A billing organisation or an individual (rendering, referring) provider."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(12), comment="organization | individual")
    name: Mapped[str] = mapped_column(String(200), index=True, comment="organisation name or last name")
    first_name: Mapped[str | None] = mapped_column(String(100))
    taxonomy: Mapped[str | None] = mapped_column(String(10))
    tax_id: Mapped[str | None] = mapped_column(String(11))
    address: Mapped[dict[str, Any] | None] = mapped_column(Document)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PatientRow(Base):
    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    mrn: Mapped[str] = mapped_column(String(40), unique=True, comment="medical record number")
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date]
    sex: Mapped[str] = mapped_column(String(1))
    address: Mapped[dict[str, Any] | None] = mapped_column(Document)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CoverageRow(Base):
    """A patient's insurance with one payer, in coordination-of-benefits order."""

    __tablename__ = "coverages"
    __table_args__ = (UniqueConstraint("patient_id", "responsibility"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    responsibility: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[str] = mapped_column(String(80))
    group_number: Mapped[str | None] = mapped_column(String(50))
    relationship: Mapped[str] = mapped_column(String(20), comment="patient's relationship to the subscriber")
    subscriber: Mapped[dict[str, Any] | None] = mapped_column(Document, comment="when not the patient")


class EncounterRow(Base):
    """A visit or stay: the note to code, who saw the patient, and where the work stands."""

    __tablename__ = "encounters"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    rendering_provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    billing_provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    service_date: Mapped[dt.date] = mapped_column(index=True)
    setting: Mapped[str] = mapped_column(String(12), comment="outpatient | inpatient")
    place_of_service: Mapped[str] = mapped_column(String(2))
    visit_type: Mapped[str] = mapped_column(String(12), comment="new | established (E/M)")
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)
    em: Mapped[dict[str, Any] | None] = mapped_column(Document, comment="E/M level and its reason")
    mentions: Mapped[list[Any] | None] = mapped_column(Document, comment="mentions found by the coder")
    coded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EncounterCodeRow(Base):
    """One code proposed for an encounter (by the engine or a coder) and the coder's decision on it."""

    __tablename__ = "encounter_codes"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10))
    system: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(300))
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), comment="mention status: present, negated, ...")
    evidence: Mapped[list[Any]] = mapped_column(Document)
    rationale: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(8), comment="engine | coder")
    decision: Mapped[str] = mapped_column(String(10), comment="pending | accepted | rejected | replaced")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("encounter_codes.id"))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ClaimWorkRow(Base):
    """A claim on the biller's worklist: the claim as it stands, its findings, price and batch."""

    __tablename__ = "claim_work"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(38), unique=True, comment="CLM01")
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_code: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    total_charge: Mapped[Decimal] = mapped_column(Cents)
    findings: Mapped[list[Any] | None] = mapped_column(Document)
    clean: Mapped[bool | None] = mapped_column(Boolean)
    checked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    price: Mapped[dict[str, Any] | None] = mapped_column(Document)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class BatchRow(Base):
    """An 837 interchange sent (or ready to send) and the acknowledgements that answered it."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    claim_count: Mapped[int] = mapped_column(Integer)
    total_charge: Mapped[Decimal] = mapped_column(Cents)
    interchange_control: Mapped[str] = mapped_column(String(9))
    x12: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class AcknowledgmentRow(Base):
    __tablename__ = "batch_acknowledgments"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(6), comment="999 | 277CA")
    accepted: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[dict[str, Any]] = mapped_column(Document)
    x12: Mapped[str] = mapped_column(Text)
    received_by: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EraFileRow(Base):
    """An uploaded 835 file and what posting it did."""

    __tablename__ = "era_files"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    results: Mapped[list[Any] | None] = mapped_column(Document)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
