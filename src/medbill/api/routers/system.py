"""Health, code lookup and search, background jobs."""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from medbill.api.deps import Authorize, RowId, database
from medbill.api.problems import ApiProblem
from medbill.api.schemas import JobOut
from medbill.practice.accounts import Actor, Permission, Role
from medbill.services import engines, jobs

router = APIRouter()
SYSTEM = Query(None, pattern="^(icd10cm|icd10pcs|hcpcs)$")


@router.get("/health", tags=["system"], summary="Ready when the database answers")
async def health(request: Request) -> dict[str, Any]:
    db = database(request)
    status = await run_in_threadpool(db.status)
    return {
        "status": "ok" if status.up_to_date else "migrating",
        "database": db.backend,
        "schema": status.current,
    }


@router.get(
    "/codes/search",
    tags=["codes"],
    summary="Search codes by text (Index terms, descriptions, inclusion terms)",
)
def search_codes(
    q: str = Query(..., min_length=2, max_length=200),
    system: str | None = SYSTEM,
    limit: int = Query(10, ge=1, le=50),
    on: dt.date | None = None,
    actor: Actor = Depends(Authorize(Permission.CODES)),
) -> list[dict[str, Any]]:
    return engines.search_codes(q, system=system, limit=limit, on=on)


@router.get("/codes/{code}", tags=["codes"], summary="A code: description, billable, notes, valid range")
def lookup_code(
    code: str,
    system: str | None = SYSTEM,
    on: dt.date | None = None,
    actor: Actor = Depends(Authorize(Permission.CODES)),
) -> dict[str, Any]:
    if not 3 <= len(code) <= 10 or not code.replace(".", "").isalnum():
        raise ApiProblem(422, f"{code!r} is not a code", kind="invalid-input")
    return engines.lookup_code(code, system=system, on=on)


@router.get(
    "/jobs", response_model=list[JobOut], tags=["jobs"], summary="My recent background jobs (all, for admins)"
)
def list_jobs(request: Request, actor: Actor = Depends(Authorize(Permission.JOBS))) -> list[JobOut]:
    by = None if actor.user.role == Role.ADMIN else actor.username
    return [JobOut.of(j) for j in jobs.recent_jobs(database(request), by=by)]


@router.get("/jobs/{job_id}", response_model=JobOut, tags=["jobs"], summary="A job's progress")
def get_job(job_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.JOBS))) -> JobOut:
    job = jobs.get_job(database(request), job_id)
    if job is None or (actor.user.role != Role.ADMIN and job.created_by != actor.username):
        raise ApiProblem(404, f"there is no job {job_id} of yours", kind="not-found")
    return JobOut.of(job)
