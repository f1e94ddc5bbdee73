"""The app's users, their sessions and API tokens, the audit log, and background jobs.

Secrets are never stored: passwords as argon2 hashes, session ids and API tokens as SHA-256 digests.
The audit log is append-only: the repository only inserts, and a trigger on both backends refuses
UPDATE and DELETE of its rows (migration 0002).
"""

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from medbill.storage.base import Base, Document, Id, UtcDateTime


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SessionRow(Base):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    client: Mapped[str] = mapped_column(String(64), comment="IP address the session was opened from")


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """Who did what to which record, when and from where. No foreign keys: it outlives what it names."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(10), index=True, comment="read | create | update | ...")
    resource: Mapped[str] = mapped_column(String(30), index=True)
    resource_id: Mapped[str] = mapped_column(String(80))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    client: Mapped[str] = mapped_column(String(64), comment="IP address")
    user_agent: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(String(300), comment="method and path")
    detail: Mapped[dict[str, Any] | None] = mapped_column(Document)


class JobRow(Base):
    """A background job (batch coding, ERA import) and its progress, for the pages to poll."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), index=True, comment="queued | running | done | failed")
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict[str, Any]] = mapped_column(Document)
    result: Mapped[dict[str, Any] | None] = mapped_column(Document)
    backend: Mapped[str] = mapped_column(String(10), comment="rq | thread")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
