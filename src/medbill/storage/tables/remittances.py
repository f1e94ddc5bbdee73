"""Posted remittances (X12 835 transaction sets) and the claim payments (CLP) they carried.

A remittance is posted once: `(trace_number, payer_key)` is unique (TRN02 and the payer's TRN03
identifier, or its N1*PR id or name when TRN03 is absent).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Cents, Document, Id, UtcDateTime


class RemittanceRow(Base):
    """One posted 835 transaction set (header, payment, PLB provider adjustments in `header`)."""

    __tablename__ = "remittances"
    __table_args__ = (UniqueConstraint("trace_number", "payer_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    trace_number: Mapped[str] = mapped_column(String(50), comment="TRN02")
    payer_key: Mapped[str] = mapped_column(String(80), comment="TRN03, else N1*PR id, else payer name")
    payer_id: Mapped[str | None] = mapped_column(String(80))
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    payment_amount: Mapped[Decimal] = mapped_column(Cents, comment="BPR02")
    payment_method: Mapped[str] = mapped_column(String(3), comment="BPR04")
    payment_date: Mapped[dt.date | None] = mapped_column(comment="BPR16")
    production_date: Mapped[dt.date | None] = mapped_column(comment="DTM*405")
    source_name: Mapped[str] = mapped_column(String(255), default="")
    source_sha256: Mapped[str] = mapped_column(String(64), default="")
    claims_count: Mapped[int] = mapped_column(Integer)
    header: Mapped[dict[str, Any]] = mapped_column(Document)
    posted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RemittanceClaimRow(Base):
    """One CLP of a remittance, with what became of it (`posted` or `exception`)."""

    __tablename__ = "remittance_claims"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, comment="0-based order of the CLP in the remittance")
    claim_pk: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    clp_claim_id: Mapped[str] = mapped_column(String(38), comment="CLP01 as the payer sent it")
    payer_claim_number: Mapped[str | None] = mapped_column(String(50), index=True, comment="CLP07")
    status: Mapped[str] = mapped_column(String(2), comment="CLP02")
    responsibility: Mapped[str | None] = mapped_column(String(10))
    charge: Mapped[Decimal] = mapped_column(Cents)
    paid: Mapped[Decimal] = mapped_column(Cents)
    patient_responsibility: Mapped[Decimal] = mapped_column(Cents)
    outcome: Mapped[str] = mapped_column(String(12))
    document: Mapped[dict[str, Any]] = mapped_column(Document)
