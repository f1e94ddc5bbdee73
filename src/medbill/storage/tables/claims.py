"""Claims as the journal knows them: one `claims` row per patient control number (CLM01), and one
`claim_documents` row per payer it was billed to (primary, secondary, ...) holding the whole claim.

FK columns that point at `claims.id` are named `claim_pk`, because `claim_id` is the public name of
CLM01 everywhere else in medbill.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Cents, Document, Id, UtcDateTime


class ClaimRow(Base):
    """A claim (encounter bill) known to the journal, keyed by its patient control number."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_id: Mapped[str] = mapped_column(String(38), unique=True, comment="CLM01 patient control number")
    patient_key: Mapped[str] = mapped_column(String(160), index=True)
    first_service_date: Mapped[dt.date | None]
    last_service_date: Mapped[dt.date | None]
    total_charge: Mapped[Decimal] = mapped_column(Cents)
    billed_on: Mapped[dt.date] = mapped_column(index=True, comment="date its charges were posted")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ClaimDocumentRow(Base):
    """The claim as billed to one payer (a `medbill.core.claim.Claim` as JSON), with its key columns."""

    __tablename__ = "claim_documents"
    __table_args__ = (UniqueConstraint("claim_pk", "responsibility", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    claim_pk: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    responsibility: Mapped[str] = mapped_column(String(10), comment="SBR01: primary, secondary, tertiary")
    version: Mapped[int] = mapped_column(Integer, default=1)
    payer_id: Mapped[str] = mapped_column(String(80), index=True)
    payer_name: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[str] = mapped_column(String(80), index=True)
    frequency: Mapped[str] = mapped_column(String(1))
    payer_claim_number: Mapped[str | None] = mapped_column(String(50), index=True)
    clean: Mapped[bool | None] = mapped_column(
        Boolean, comment="passed the claim edits with no finding (None: not checked)"
    )
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    billed_on: Mapped[dt.date] = mapped_column(comment="date it was billed to this payer")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
