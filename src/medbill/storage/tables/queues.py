"""Work queues a biller works through: A/R exceptions and denials. Rows are resolved, never deleted."""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Cents, Document, Id, UtcDateTime


class ExceptionRow(Base):
    """Something a remittance carried that could not be posted as is (unmatched, reversal, unbalanced)."""

    __tablename__ = "ar_exceptions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    message: Mapped[str] = mapped_column(String(500))
    amount: Mapped[Decimal] = mapped_column(Cents)
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittances.id"), index=True)
    remittance_claim_id: Mapped[int | None] = mapped_column(ForeignKey("remittance_claims.id"))
    claim_pk: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(String(500))
    resolution_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))


class DenialRow(Base):
    """A denied service line (or claim) with its CARC category and remark codes."""

    __tablename__ = "denials"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_pk: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id"), index=True)
    remittance_claim_id: Mapped[int] = mapped_column(ForeignKey("remittance_claims.id"))
    line: Mapped[int | None] = mapped_column(Integer)
    procedure: Mapped[str | None] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(30), index=True)
    carc_group: Mapped[str] = mapped_column(String(2))
    carc_reason: Mapped[str] = mapped_column(String(5))
    amount: Mapped[Decimal] = mapped_column(Cents)
    adjustments: Mapped[list[Any]] = mapped_column(Document)
    remarks: Mapped[list[Any]] = mapped_column(Document)
    payer_key: Mapped[str] = mapped_column(String(80))
    denied_on: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(10), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(String(500))
    resolution_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
