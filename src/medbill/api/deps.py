"""Request dependencies: the database, who is asking (session cookie or bearer API token), whether
their role may do what the route does, and the CSRF check on cookie-authenticated changes.

Every route except the few public ones (`PUBLIC_PATHS`) takes `Authorize(permission)`; a test walks
the app's routes and fails on one without it.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from medbill.api.config import AppConfig
from medbill.api.problems import ApiProblem
from medbill.api.security import CookieSigner, RateLimiter
from medbill.practice.accounts import Actor, Permission, Role, SessionInfo, roles_with
from medbill.practice.secrets import same
from medbill.services import accounts
from medbill.services.jobs import Runner
from medbill.storage import Database

SESSION_COOKIE = "medbill_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="A record's number")]
"""A record number in a path: a positive 64-bit integer (what the database's keys can hold)."""
PUBLIC_PATHS = frozenset({"/api/health", "/api/auth/login", "/api/openapi.json", "/login", "/static"})


@dataclass
class AppState:
    database: Database
    config: AppConfig
    signer: CookieSigner
    limiter: RateLimiter
    runner: Runner


def state(request: Request) -> AppState:
    found: AppState = request.app.state.medbill
    return found


def database(request: Request) -> Database:
    return state(request).database


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def session_of(request: Request) -> SessionInfo | None:
    """The live session named by the request's cookie (cached on the request)."""
    if hasattr(request.state, "session"):
        cached: SessionInfo | None = request.state.session
        return cached
    found = None
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        app = state(request)
        token = app.signer.unsign(raw)
        if token:
            found = accounts.session_for(app.database, token)
    request.state.session = found
    return found


def actor_for(request: Request, info: Any) -> Actor:
    return Actor(
        info,
        client=client_of(request),
        user_agent=request.headers.get("user-agent", "")[:200],
        request=f"{request.method} {request.url.path}"[:300],
    )


class Authorize:
    """Dependency: the caller must be authenticated and hold `permission` (None: any signed-in user)."""

    def __init__(self, permission: Permission | None) -> None:
        self.permission = permission

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role) if self.permission is None else roles_with(self.permission)

    async def __call__(self, request: Request) -> Actor:
        app = state(request)
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            user = await run_in_threadpool(accounts.token_user, app.database, header[7:].strip())
            if user is None:
                raise ApiProblem(401, "the API token is not valid", kind="unauthenticated")
        else:
            info = await run_in_threadpool(session_of, request)
            if info is None:
                raise ApiProblem(
                    401, "sign in, or send an API token (Authorization: Bearer ...)", kind="unauthenticated"
                )
            user = info.user
            if request.method not in SAFE_METHODS:
                await check_csrf(request, info)
        if self.permission is not None and not user.can(self.permission):
            raise ApiProblem(
                403, f"the {user.role.value} role may not do this ({self.permission.value})", kind="forbidden"
            )
        return actor_for(request, user)


async def check_csrf(request: Request, info: SessionInfo) -> None:
    """A change made with a session cookie must carry the session's CSRF token (header or form field)."""
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not same(sent, info.csrf_token):
        raise ApiProblem(403, "missing or wrong CSRF token", kind="csrf")
