"""The journal: accounts, entries (append-only), their postings, and balance assertions.

An entry's postings sum to zero (amounts are signed, debit positive); no row is ever updated or
deleted, a reversal is a new entry pointing at the one it reverses (`reverses_id`, unique, so an
entry is reversed at most once). Balances are sums over `journal_postings`, never stored.
"""

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Cents, Id, UtcDateTime


class AccountRow(Base):
    """An account: a kind (A/R insurance, A/R patient, cash, revenue, ...) and a party (payer, patient)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("kind", "party"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    party: Mapped[str] = mapped_column(
        String(160), default="", comment="payer id or patient key; '' for none"
    )


class EntryRow(Base):
    """One journal entry (a Charge, Payment, Adjustment, Transfer, WriteOff, Refund or Reversal)."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    claim_pk: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    narration: Mapped[str] = mapped_column(String(500), default="")
    carc_group: Mapped[str | None] = mapped_column(String(2))
    carc_reason: Mapped[str | None] = mapped_column(String(5))
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittances.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PostingRow(Base):
    """One leg of an entry: an amount (debit positive) on an account, for a claim and line when known."""

    __tablename__ = "journal_postings"
    __table_args__ = (Index(None, "claim_pk", "account_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    claim_pk: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    line: Mapped[int | None] = mapped_column(Integer, comment="1-based service line of the claim")
    amount: Mapped[Decimal] = mapped_column(Cents)


class BalanceAssertionRow(Base):
    """A Beancount-style `balance` directive: at the start of `date` the account (for a claim) holds `amount`."""

    __tablename__ = "balance_assertions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    date: Mapped[dt.date]
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    claim_pk: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    amount: Mapped[Decimal] = mapped_column(Cents)
    narration: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
