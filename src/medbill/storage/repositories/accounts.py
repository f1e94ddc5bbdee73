"""Users, sessions, API tokens, the append-only audit log and background jobs."""

import datetime as dt
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from medbill.practice.accounts import (
    ApiToken,
    AuditEvent,
    Job,
    JobStatus,
    Role,
    SessionInfo,
    User,
)
from medbill.storage.tables import ApiTokenRow, AuditRow, JobRow, SessionRow, UserRow


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.full_name, Role(row.role), row.active, row.created_at)


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, username: str, full_name: str, role: Role, password_hash: str, *, at: dt.datetime) -> User:
        row = UserRow(
            username=username,
            full_name=full_name,
            role=role.value,
            password_hash=password_hash,
            active=True,
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def get(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return _user(row) if row else None

    def by_username(self, username: str) -> tuple[User, str] | None:
        """The user and its password hash."""
        row = self._session.scalar(select(UserRow).where(UserRow.username == username))
        return (_user(row), row.password_hash) if row else None

    def all(self) -> list[User]:
        return [_user(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.username))]

    def set_password(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def set_role(self, user_id: int, role: Role) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(role=role.value))

    # -- sessions -------------------------------------------------------------------------------
    def add_session(
        self,
        user_id: int,
        token_hash: str,
        csrf_token: str,
        *,
        at: dt.datetime,
        expires: dt.datetime,
        client: str,
    ) -> int:
        row = SessionRow(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=at,
            expires_at=expires,
            client=client[:64],
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def session(self, token_hash: str, *, now: dt.datetime) -> SessionInfo | None:
        """The live session with this token digest (not revoked, not expired, its user active)."""
        found = self._session.execute(
            select(SessionRow, UserRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(SessionRow.token_hash == token_hash)
        ).first()
        if found is None:
            return None
        row, user = found
        if row.revoked_at is not None or row.expires_at <= now or not user.active:
            return None
        return SessionInfo(row.id, _user(user), row.csrf_token, row.expires_at)

    def revoke_session(self, session_id: int, *, at: dt.datetime) -> None:
        self._session.execute(update(SessionRow).where(SessionRow.id == session_id).values(revoked_at=at))

    # -- API tokens ----------------------------------------------------------------------------
    def add_token(self, user_id: int, name: str, token_hash: str, *, at: dt.datetime) -> ApiToken:
        row = ApiTokenRow(token_hash=token_hash, user_id=user_id, name=name, created_at=at)
        self._session.add(row)
        self._session.flush()
        return ApiToken(row.id, user_id, name, at)

    def token_user(self, token_hash: str) -> User | None:
        found = self._session.execute(
            select(UserRow)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None))
        ).scalar_one_or_none()
        return _user(found) if found and found.active else None

    def tokens(self, user_id: int) -> list[ApiToken]:
        rows = self._session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user_id))
        return [ApiToken(r.id, r.user_id, r.name, r.created_at, r.revoked_at) for r in rows]

    def revoke_token(self, user_id: int, token_id: int, *, at: dt.datetime) -> bool:
        result = self._session.execute(
            update(ApiTokenRow)
            .where(
                ApiTokenRow.id == token_id, ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None)
            )
            .values(revoked_at=at)
        )
        return bool(getattr(result, "rowcount", 0))


class AuditRepository:
    """Insert and read only: there is no update or delete here, and the database refuses them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: Any) -> None:
        self._session.add(AuditRow(**values))
        self._session.flush()

    def search(
        self,
        *,
        username: str | None = None,
        patient_id: int | None = None,
        action: str | None = None,
        resource: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[AuditEvent], int]:
        query = select(AuditRow)
        if username:
            query = query.where(AuditRow.username == username)
        if patient_id is not None:
            query = query.where(AuditRow.patient_id == patient_id)
        if action:
            query = query.where(AuditRow.action == action)
        if resource:
            query = query.where(AuditRow.resource == resource)
        total = self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self._session.scalars(query.order_by(AuditRow.id.desc()).offset(offset).limit(limit))
        return [
            AuditEvent(
                r.id,
                r.at,
                r.username,
                r.role,
                r.action,
                r.resource,
                r.resource_id,
                r.patient_id,
                r.client,
                r.user_agent,
                r.request,
                r.detail,
            )
            for r in rows
        ], total


def _job(row: JobRow) -> Job:
    return Job(
        row.id,
        row.kind,
        JobStatus(row.status),
        row.done,
        row.total,
        row.message,
        row.params,
        row.backend,
        row.created_by,
        row.created_at,
        row.result,
        row.started_at,
        row.finished_at,
    )


class JobRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, kind: str, params: dict[str, Any], *, total: int, backend: str, by: str, at: dt.datetime
    ) -> Job:
        row = JobRow(
            kind=kind,
            status=JobStatus.QUEUED.value,
            done=0,
            total=total,
            message="queued",
            params=params,
            backend=backend,
            created_by=by,
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return _job(row)

    def get(self, job_id: int) -> Job | None:
        row = self._session.get(JobRow, job_id)
        return _job(row) if row else None

    def recent(self, *, limit: int = 20, by: str | None = None) -> list[Job]:
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        if by:
            query = query.where(JobRow.created_by == by)
        return [_job(r) for r in self._session.scalars(query)]

    def update(self, job_id: int, **values: Any) -> None:
        if "status" in values and isinstance(values["status"], JobStatus):
            values["status"] = values["status"].value
        self._session.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
