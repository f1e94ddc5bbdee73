"""Remittances (835 upload and posting), the exception and denial queues, the journal, reports."""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request, UploadFile

from medbill.api.deps import Authorize, RowId, database, state
from medbill.api.problems import ApiProblem
from medbill.api.routers.common import Paging, page_of, paging
from medbill.api.schemas import EraOut, PageOut, Wire
from medbill.core.money import format_money
from medbill.practice.accounts import Actor, Permission
from medbill.services import jobs, ledger, queues, remits

router = APIRouter()
MAX_UPLOAD = 100 * 1024 * 1024


class ResolveExceptionIn(Wire):
    claim_id: str | None = None
    note: str = ""


class ResolveDenialIn(Wire):
    write_off: bool = False
    note: str = ""


@router.get(
    "/remittances", response_model=PageOut[EraOut], tags=["remittances"], summary="Uploaded 835 files"
)
def list_remittances(
    request: Request,
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.REMITTANCES)),
) -> dict[str, Any]:
    return page_of(remits.list_eras(database(request), offset=page.offset, limit=page.limit), EraOut.of)


@router.post(
    "/remittances",
    response_model=EraOut,
    status_code=202,
    tags=["remittances"],
    summary="Upload an 835 (multipart field `file`); it is posted in the background",
)
async def upload_remittance(
    request: Request, file: UploadFile, actor: Actor = Depends(Authorize(Permission.REMITTANCES))
) -> EraOut:
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ApiProblem(413, "the file is larger than 100 MB")
    return await _start_posting(request, actor, file.filename or "upload.835", data)


@router.post(
    "/remittances/x12",
    response_model=EraOut,
    status_code=202,
    tags=["remittances"],
    summary="Upload an 835 as the request body (text/plain)",
)
async def upload_remittance_text(
    request: Request,
    text: str = Body(..., media_type="text/plain", max_length=MAX_UPLOAD),
    name: str = Query("upload.835", max_length=200),
    actor: Actor = Depends(Authorize(Permission.REMITTANCES)),
) -> EraOut:
    return await _start_posting(request, actor, name, text.encode("utf-8"))


async def _start_posting(request: Request, actor: Actor, name: str, data: bytes) -> EraOut:
    from starlette.concurrency import run_in_threadpool

    app = state(request)
    era_id = await run_in_threadpool(remits.upload, app.database, actor, name, data)
    job = await run_in_threadpool(
        jobs.submit, app.database, app.runner, actor, "post_era", {"era_id": era_id}, total=1
    )
    era = await run_in_threadpool(remits.get_era, app.database, actor, era_id)
    return EraOut.of(era, job_id=job.id)


@router.get(
    "/remittances/{era_id}", response_model=EraOut, tags=["remittances"], summary="What posting an 835 did"
)
def get_remittance(
    era_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.REMITTANCES))
) -> EraOut:
    return EraOut.of(remits.get_era(database(request), actor, era_id))


@router.get("/exceptions", tags=["remittances"], summary="The exception queue (what could not post)")
def list_exceptions(
    request: Request,
    status: str | None = Query("open", pattern="^(open|resolved)$"),
    actor: Actor = Depends(Authorize(Permission.AR_READ)),
) -> list[dict[str, Any]]:
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "status": str(e.status.value),
            "message": e.message,
            "amount": format_money(e.amount),
            "claim_id": e.claim_id,
            "remittance_id": e.remittance_id,
            "recorded_at": e.recorded_at.isoformat(),
            "resolution": e.resolution,
        }
        for e in remits.exceptions(database(request), status=status)
    ]


@router.post(
    "/exceptions/{exception_id}/resolve", tags=["remittances"], summary="Apply or close an exception"
)
def resolve_exception(
    exception_id: RowId,
    body: ResolveExceptionIn,
    request: Request,
    actor: Actor = Depends(Authorize(Permission.AR_WRITE)),
) -> dict[str, Any]:
    done = queues.resolve_exception(
        database(request), exception_id, claim_id=body.claim_id, note=body.note, on=dt.date.today()
    )
    return {"id": done.item_id, "entries": list(done.entry_ids), "message": done.message}


@router.get("/denials", tags=["denials"], summary="The denials queue (filter by category)")
def list_denials(
    request: Request,
    status: str | None = Query("open", pattern="^(open|resolved)$"),
    category: str | None = Query(None, max_length=30),
    actor: Actor = Depends(Authorize(Permission.AR_READ)),
) -> list[dict[str, Any]]:
    return [
        {
            "id": d.id,
            "claim_id": d.claim_id,
            "line": d.line,
            "procedure": d.procedure,
            "category": str(d.category.value),
            "carc": str(d.carc),
            "amount": format_money(d.amount),
            "remarks": list(d.remarks),
            "payer": d.payer_key,
            "denied_on": d.denied_on.isoformat(),
            "status": str(d.status.value),
            "resolution": d.resolution,
        }
        for d in remits.denials(database(request), status=status, category=category)
    ]


@router.post(
    "/denials/{denial_id}/resolve", tags=["denials"], summary="Close a denial (note, or write it off)"
)
def resolve_denial(
    denial_id: RowId,
    body: ResolveDenialIn,
    request: Request,
    actor: Actor = Depends(Authorize(Permission.AR_WRITE)),
) -> dict[str, Any]:
    done = queues.resolve_denial(
        database(request), denial_id, write_off_balance=body.write_off, note=body.note, on=dt.date.today()
    )
    return {"id": done.item_id, "entries": list(done.entry_ids), "message": done.message}


@router.get("/journal/claims/{claim_id}", tags=["journal"], summary="A claim's journal entries and balances")
def claim_journal(
    claim_id: str, request: Request, actor: Actor = Depends(Authorize(Permission.AR_READ))
) -> dict[str, Any]:
    return ledger.claim_ledger(database(request), actor, claim_id)


@router.get("/journal/balances", tags=["journal"], summary="Account balances")
def balances(
    request: Request, as_of: dt.date | None = None, actor: Actor = Depends(Authorize(Permission.AR_READ))
) -> dict[str, str]:
    return ledger.balances(database(request), as_of=as_of)


@router.get("/reports/aging", tags=["reports"], summary="A/R aging (0-30 ... 120+ days)")
def aging(
    request: Request,
    as_of: dt.date | None = None,
    by: str | None = Query(None, pattern="^(payer|patient)$"),
    actor: Actor = Depends(Authorize(Permission.REPORTS)),
) -> dict[str, Any]:
    return ledger.aging(database(request), as_of=as_of or dt.date.today(), by=by)


@router.get("/reports/kpis", tags=["reports"], summary="KPIs as HFMA MAP Keys define them")
def kpis(
    request: Request,
    as_of: dt.date | None = None,
    period_days: int = Query(90, ge=1, le=3660),
    actor: Actor = Depends(Authorize(Permission.REPORTS)),
) -> list[dict[str, Any]]:
    return ledger.kpis(database(request), as_of=as_of or dt.date.today(), period_days=period_days)


@router.get(
    "/reports/dashboard", tags=["reports"], summary="Aging, denial reasons, clean-claim rate, claim states"
)
def dashboard(
    request: Request, as_of: dt.date | None = None, actor: Actor = Depends(Authorize(Permission.REPORTS))
) -> dict[str, Any]:
    return ledger.dashboard(database(request), as_of=as_of or dt.date.today())
