"""Pages: sign-in, home, coder worklist and encounter, dashboard, audit log, users, jobs.

Billing pages are in `medbill.web.billing`. Handlers parse the form, call a service, render or
redirect; errors a user can fix come back as a message on the page.
"""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from medbill.api.deps import SESSION_COOKIE, RowId, database, session_of, state
from medbill.api.problems import ApiProblem
from medbill.api.routers.auth import log_in
from medbill.core.errors import DataError, InputError
from medbill.practice.accounts import AuditAction, Permission, Role
from medbill.practice.records import Decision
from medbill.services import accounts, audit, encounters, jobs, ledger, practice
from medbill.web.auth import LoginRequired, PageAuth, PageForbidden, Viewer
from medbill.web.render import back, bars, highlight, render

router = APIRouter(include_in_schema=False)
HOME = {Role.CODER: "/coder", Role.BILLER: "/biller", Role.AUDITOR: "/audit", Role.ADMIN: "/dashboard"}


def install(app: FastAPI) -> None:
    from medbill.web import billing

    router.include_router(billing.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse("/login?next=" + exc.next_path, status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> HTMLResponse:
        return render(request, "error.html", None, status_code=403, title="Not allowed", detail=exc.detail)


def safe_next(path: str | None) -> str:
    return path if path and path.startswith("/") and not path.startswith("//") else "/"


# -- sign in / out ----------------------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", None, next=safe_next(next), title="Sign in")


@router.post("/login")
def login_submit(
    request: Request,
    username: str = Form(..., max_length=80),
    password: str = Form(..., max_length=200),
    next: str = Form("/"),
) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    try:
        log_in(request, response, username, password)
    except ApiProblem as exc:
        return render(
            request,
            "login.html",
            None,
            status_code=exc.status,
            next=safe_next(next),
            title="Sign in",
            error=exc.detail,
            username=username,
        )
    return response


@router.post("/logout")
def logout(request: Request, viewer: Viewer = Depends(PageAuth(None))) -> Response:
    info = session_of(request)
    if info is not None:
        accounts.close_session(database(request), info.id)
        audit.record_read(database(request), viewer.actor, "session", info.id, action=AuditAction.LOGOUT)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(viewer: Viewer = Depends(PageAuth(None))) -> RedirectResponse:
    return RedirectResponse(HOME[viewer.user.role], status_code=303)


# -- coder ------------------------------------------------------------------------------------------
@router.get("/coder")
def coder_worklist(
    request: Request,
    status: str = "coded",
    offset: int = 0,
    viewer: Viewer = Depends(PageAuth(Permission.CODING)),
) -> HTMLResponse:
    db = database(request)
    wanted = None if status == "all" else status
    page = encounters.list_encounters(db, viewer.actor, status=wanted, offset=max(0, offset), limit=50)
    names = practice.patient_names(db, {e.patient_id for e in page.items})
    recent = jobs.recent_jobs(db, by=viewer.user.username, limit=5)
    return render(
        request,
        "coder.html",
        viewer,
        title="Coder worklist",
        page=page,
        names=names,
        status=status,
        jobs=recent,
    )


@router.post("/coder/code")
def coder_code_many(
    request: Request,
    encounter_ids: list[int] = Form(default_factory=list),
    viewer: Viewer = Depends(PageAuth(Permission.CODING)),
) -> Response:
    if not encounter_ids:
        return back("/coder", err="choose the encounters to code")
    app = state(request)
    job = jobs.submit(
        app.database,
        app.runner,
        viewer.actor,
        "code_encounters",
        {"encounter_ids": encounter_ids},
        total=len(encounter_ids),
    )
    return back(f"/jobs/{job.id}", msg=f"coding {len(encounter_ids)} encounters in the background")


def _encounter_context(request: Request, viewer: Viewer, encounter_id: RowId) -> dict[str, Any]:
    db = database(request)
    found = encounters.get_encounter(db, viewer.actor, encounter_id)
    patient = practice.get_patient(db, viewer.actor, found.patient_id)
    spans = [
        (e.start, e.end, c.code, c.status)
        for c in found.codes
        if c.decision != Decision.REPLACED
        for e in c.evidence
    ]
    for m in found.mentions:
        if isinstance(m, dict) and "start" in m and "end" in m:
            spans.append((int(m["start"]), int(m["end"]), "", str(m.get("status", ""))))
    return {"encounter": found, "patient": patient, "segments": highlight(found.note, spans)}


@router.get("/encounters/{encounter_id}")
def encounter_page(
    request: Request, encounter_id: RowId, viewer: Viewer = Depends(PageAuth(Permission.ENCOUNTERS_READ))
) -> HTMLResponse:
    context = _encounter_context(request, viewer, encounter_id)
    return render(request, "encounter.html", viewer, title=f"Encounter {encounter_id}", **context)


@router.post("/encounters/{encounter_id}/action")
def encounter_action(
    request: Request,
    encounter_id: RowId,
    action: str = Form(...),
    code_id: int | None = Form(None),
    replacement: str = Form("", max_length=10),
    system: str = Form("icd10cm"),
    em_code: str = Form(""),
    em_reason: str = Form("", max_length=300),
    viewer: Viewer = Depends(PageAuth(Permission.CODING)),
) -> Response:
    db = database(request)
    here = f"/encounters/{encounter_id}"
    try:
        if action in ("accept", "reject") and code_id is not None:
            decision = Decision.ACCEPTED if action == "accept" else Decision.REJECTED
            encounters.decide(db, viewer.actor, encounter_id, code_id, decision)
            return back(here, msg=f"code {action}ed")
        if action == "replace" and code_id is not None:
            encounters.decide(
                db,
                viewer.actor,
                encounter_id,
                code_id,
                Decision.REPLACED,
                replacement=replacement,
                system=system,
            )
            return back(here, msg=f"replaced with {replacement.upper()}")
        if action == "add":
            encounters.add_code(db, viewer.actor, encounter_id, replacement, system)
            return back(here, msg=f"added {replacement.upper()}")
        if action == "accept_all":
            encounters.accept_all(db, viewer.actor, encounter_id)
            return back(here, msg="accepted the proposed codes")
        if action == "code":
            encounters.code_encounter(db, viewer.actor, encounter_id)
            return back(here, msg="coded the note")
        if action == "em":
            encounters.set_em(db, viewer.actor, encounter_id, em_code.strip(), em_reason)
            return back(here, msg=f"E/M level set to {em_code}")
    except (InputError, DataError) as exc:
        return back(here, err=str(exc).split("\n")[0])
    return back(here, err="unknown action")


# -- dashboard, audit, users, jobs ------------------------------------------------------------------
@router.get("/dashboard")
def dashboard(request: Request, viewer: Viewer = Depends(PageAuth(Permission.REPORTS))) -> HTMLResponse:
    data = ledger.dashboard(database(request), as_of=dt.date.today())
    from decimal import Decimal

    aging_chart = bars([(k, Decimal(v)) for k, v in data["aging"]["buckets"].items()])
    denial_chart = bars([(d["category"], Decimal(d["amount"])) for d in data["denials"]["by_category"]])
    status_chart = bars(list(data["claims_by_status"].items()), money=False)
    return render(
        request,
        "dashboard.html",
        viewer,
        title="Dashboard",
        data=data,
        aging_chart=aging_chart,
        denial_chart=denial_chart,
        status_chart=status_chart,
    )


@router.get("/audit")
def audit_page(
    request: Request,
    username: str = "",
    patient_id: str = "",
    action: str = "",
    offset: int = 0,
    viewer: Viewer = Depends(PageAuth(Permission.AUDIT)),
) -> HTMLResponse:
    pid = int(patient_id) if patient_id.isdigit() else None
    items, total = audit.search(
        database(request),
        username=username or None,
        patient_id=pid,
        action=action or None,
        offset=max(0, offset),
        limit=100,
    )
    return render(
        request,
        "audit.html",
        viewer,
        title="Audit log",
        items=items,
        total=total,
        offset=max(0, offset),
        filters={"username": username, "patient_id": patient_id, "action": action},
    )


@router.get("/admin/users")
def users_page(request: Request, viewer: Viewer = Depends(PageAuth(Permission.USERS))) -> HTMLResponse:
    return render(
        request,
        "users.html",
        viewer,
        title="Users",
        users=accounts.list_users(database(request)),
        roles=[r.value for r in Role],
    )


@router.post("/admin/users")
def users_create(
    request: Request,
    username: str = Form(...),
    full_name: str = Form(""),
    role: str = Form(...),
    password: str = Form(...),
    viewer: Viewer = Depends(PageAuth(Permission.USERS)),
) -> Response:
    try:
        user = accounts.create_user(database(request), username, full_name, Role(role), password)
    except (InputError, ValueError) as exc:
        return back("/admin/users", err=str(exc).split("\n")[0])
    audit.record_read(database(request), viewer.actor, "user", user.id, action=AuditAction.CREATE)
    return back("/admin/users", msg=f"created {user.username}")


@router.get("/jobs/{job_id}")
def job_page(
    request: Request, job_id: RowId, viewer: Viewer = Depends(PageAuth(Permission.JOBS))
) -> HTMLResponse:
    job = jobs.get_job(database(request), job_id)
    if job is None or (viewer.user.role != Role.ADMIN and job.created_by != viewer.user.username):
        return render(
            request, "error.html", viewer, status_code=404, title="Not found", detail=f"no job {job_id}"
        )
    return render(request, "job.html", viewer, title=f"Job {job_id}", job=job)
