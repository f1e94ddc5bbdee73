"""Users, roles and permissions, sessions, API tokens, audit events and jobs (values).

Roles and what each may do are data (`ROLE_PERMISSIONS`); every route names the permission it needs.
Admins manage users and may do everything else; auditors read the audit log and the reports only.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    CODER = "coder"
    BILLER = "biller"
    AUDITOR = "auditor"


class Permission(StrEnum):
    PATIENTS_READ = "patients:read"
    PATIENTS_WRITE = "patients:write"
    PRACTICE_READ = "practice:read"  # payers, providers
    PRACTICE_WRITE = "practice:write"
    ENCOUNTERS_READ = "encounters:read"
    ENCOUNTERS_WRITE = "encounters:write"
    CODING = "coding"  # run the coder, accept / reject / replace codes
    CLAIMS_READ = "claims:read"
    CLAIMS_WRITE = "claims:write"
    BATCHES = "batches"
    REMITTANCES = "remittances"
    AR_READ = "ar:read"
    AR_WRITE = "ar:write"
    REPORTS = "reports"
    CODES = "codes"  # code lookup and search (no patient data)
    AUDIT = "audit"
    USERS = "users"
    JOBS = "jobs"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.CODER: frozenset(
        {
            Permission.PATIENTS_READ,
            Permission.PRACTICE_READ,
            Permission.ENCOUNTERS_READ,
            Permission.ENCOUNTERS_WRITE,
            Permission.CODING,
            Permission.CODES,
            Permission.JOBS,
        }
    ),
    Role.BILLER: frozenset(
        {
            Permission.PATIENTS_READ,
            Permission.PATIENTS_WRITE,
            Permission.PRACTICE_READ,
            Permission.PRACTICE_WRITE,
            Permission.ENCOUNTERS_READ,
            Permission.ENCOUNTERS_WRITE,
            Permission.CLAIMS_READ,
            Permission.CLAIMS_WRITE,
            Permission.BATCHES,
            Permission.REMITTANCES,
            Permission.AR_READ,
            Permission.AR_WRITE,
            Permission.REPORTS,
            Permission.CODES,
            Permission.JOBS,
        }
    ),
    Role.AUDITOR: frozenset({Permission.AUDIT, Permission.REPORTS}),
}


def roles_with(permission: Permission) -> frozenset[Role]:
    """The roles that hold `permission`."""
    return frozenset(r for r, perms in ROLE_PERMISSIONS.items() if permission in perms)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    created_at: dt.datetime

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking, and from where: what the audit log records with every access."""

    user: User
    client: str = ""
    user_agent: str = ""
    request: str = ""

    @property
    def username(self) -> str:
        return self.user.username


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: int
    user: User
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class AuditAction(StrEnum):
    READ = "read"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    EXPORT = "export"
    IMPORT = "import"
    LOGIN = "login"
    LOGIN_FAILED = "login-fail"
    LOGOUT = "logout"


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: dt.datetime
    username: str
    role: str
    action: str
    resource: str
    resource_id: str
    patient_id: int | None
    client: str
    user_agent: str
    request: str
    detail: dict[str, Any] | None = None


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    kind: str
    status: JobStatus
    done: int
    total: int
    message: str
    params: dict[str, Any]
    backend: str
    created_by: str
    created_at: dt.datetime
    result: dict[str, Any] | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
