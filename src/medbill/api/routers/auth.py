"""Sign in and out, who am I, API tokens; users (admin) and the audit log (auditor)."""

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from medbill.api.deps import SESSION_COOKIE, Authorize, RowId, client_of, session_of, state
from medbill.api.problems import ApiProblem
from medbill.api.routers.common import Paging, paging
from medbill.api.schemas import (
    AuditOut,
    LoginIn,
    PageOut,
    SessionOut,
    TokenIn,
    TokenOut,
    UserChange,
    UserIn,
    UserOut,
)
from medbill.practice.accounts import Actor, AuditAction, Permission
from medbill.services import accounts, audit

router = APIRouter(tags=["accounts"])


def cookie_secure(request: Request, setting: str) -> bool:
    if setting in ("1", "true", "yes"):
        return True
    if setting in ("0", "false", "no"):
        return False
    loopback = (request.url.hostname or "") in ("127.0.0.1", "localhost", "::1", "testserver")
    return request.url.scheme == "https" or not loopback


def log_in(request: Request, response: Response, username: str, password: str) -> SessionOut:
    """Shared by the API and the login page: rate limit, check the password, open a session."""
    app = state(request)
    key = f"{username.strip().lower()}|{client_of(request)}"
    if app.limiter.blocked(key):
        raise ApiProblem(429, "too many failed sign-ins; wait a few minutes", kind="rate-limited")
    user = accounts.authenticate(app.database, username, password)
    if user is None:
        app.limiter.failure(key)
        raise ApiProblem(401, "wrong username or password", kind="unauthenticated")
    app.limiter.reset(key)
    new = accounts.open_session(app.database, user, hours=app.config.session_hours, client=client_of(request))
    response.set_cookie(
        SESSION_COOKIE,
        app.signer.sign(new.token),
        max_age=app.config.session_hours * 3600,
        httponly=True,
        secure=cookie_secure(request, app.config.cookie_secure),
        samesite="lax",
        path="/",
    )
    actor = Actor(user, client_of(request), request.headers.get("user-agent", "")[:200], "POST login")
    audit.record_read(app.database, actor, "session", new.info.id, action=AuditAction.LOGIN)
    return SessionOut(user=UserOut.of(user), csrf_token=new.info.csrf_token, expires_at=new.info.expires_at)


@router.post("/auth/login", response_model=SessionOut, summary="Sign in (sets the session cookie)")
def login(body: LoginIn, request: Request, response: Response) -> SessionOut:
    return log_in(request, response, body.username, body.password)


@router.post("/auth/logout", status_code=204, summary="Sign out (ends the session)")
def logout(request: Request, response: Response, actor: Actor = Depends(Authorize(None))) -> Response:
    info = session_of(request)
    if info is not None:
        accounts.close_session(state(request).database, info.id)
        audit.record_read(state(request).database, actor, "session", info.id, action=AuditAction.LOGOUT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/auth/me", response_model=SessionOut, summary="Who am I (and the CSRF token of my session)")
async def me(request: Request, actor: Actor = Depends(Authorize(None))) -> SessionOut:
    info = await run_in_threadpool(session_of, request)
    return SessionOut(
        user=UserOut.of(actor.user),
        csrf_token=info.csrf_token if info else "",
        expires_at=info.expires_at if info else actor.user.created_at,
    )


@router.get("/auth/tokens", response_model=list[TokenOut], summary="My API tokens")
def tokens(request: Request, actor: Actor = Depends(Authorize(None))) -> list[TokenOut]:
    return [
        TokenOut(id=t.id, name=t.name, created_at=t.created_at, revoked_at=t.revoked_at)
        for t in accounts.list_tokens(state(request).database, actor.user)
    ]


@router.post(
    "/auth/tokens", response_model=TokenOut, status_code=201, summary="Create an API token (shown once)"
)
def create_token(body: TokenIn, request: Request, actor: Actor = Depends(Authorize(None))) -> TokenOut:
    secret, token = accounts.create_token(state(request).database, actor.user, body.name)
    return TokenOut(id=token.id, name=token.name, created_at=token.created_at, token=secret)


@router.delete("/auth/tokens/{token_id}", status_code=204, summary="Revoke one of my API tokens")
def revoke_token(token_id: RowId, request: Request, actor: Actor = Depends(Authorize(None))) -> Response:
    accounts.revoke_token(state(request).database, actor.user, token_id)
    return Response(status_code=204)


@router.get("/users", response_model=list[UserOut], summary="Users (admin)")
def users(request: Request, actor: Actor = Depends(Authorize(Permission.USERS))) -> list[UserOut]:
    return [UserOut.of(u) for u in accounts.list_users(state(request).database)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create a user (admin)")
def create_user(
    body: UserIn, request: Request, actor: Actor = Depends(Authorize(Permission.USERS))
) -> UserOut:
    user = accounts.create_user(
        state(request).database, body.username, body.full_name, body.role, body.password
    )
    audit.record_read(state(request).database, actor, "user", user.id, action=AuditAction.CREATE)
    return UserOut.of(user)


@router.patch("/users/{user_id}", response_model=UserOut, summary="Activate or deactivate a user (admin)")
def change_user(
    user_id: RowId, body: UserChange, request: Request, actor: Actor = Depends(Authorize(Permission.USERS))
) -> UserOut:
    if user_id == actor.user.id and not body.active:
        raise ApiProblem(409, "you cannot deactivate yourself", kind="conflict")
    user = accounts.set_active(state(request).database, user_id, body.active)
    audit.record_read(
        state(request).database,
        actor,
        "user",
        user_id,
        action=AuditAction.UPDATE,
        detail={"active": body.active},
    )
    return UserOut.of(user)


@router.get("/audit", response_model=PageOut[AuditOut], summary="The audit log (auditors, admins)")
def audit_log(
    request: Request,
    username: str | None = None,
    patient_id: int | None = None,
    action: str | None = None,
    resource: str | None = None,
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.AUDIT)),
) -> PageOut[AuditOut]:
    offset, limit = page.offset, page.limit
    items, total = audit.search(
        state(request).database,
        username=username,
        patient_id=patient_id,
        action=action,
        resource=resource,
        offset=offset,
        limit=limit,
    )
    return PageOut[AuditOut](items=[AuditOut.of(e) for e in items], total=total, offset=offset, limit=limit)
