"""Billing pages: the biller's worklist, a claim (findings next to its lines, edit, re-check, send),
batches with their 837 and acknowledgements, remittances (upload an 835, what posted, exceptions),
and the denials queue by category."""

import json
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Depends, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse

from medbill.api.deps import RowId, database, state
from medbill.core.errors import DataError, InputError
from medbill.core.money import money
from medbill.practice.accounts import Permission
from medbill.services import batches, claim_work, encounters, jobs, ledger, practice, remits
from medbill.web.auth import PageAuth, Viewer
from medbill.web.render import back, render

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 100 * 1024 * 1024


def _message(exc: Exception) -> str:
    text = str(exc)
    return text.replace("\n  - ", "; ")[:300]


@router.get("/biller")
def biller_worklist(
    request: Request,
    status: str = "",
    offset: int = 0,
    viewer: Viewer = Depends(PageAuth(Permission.CLAIMS_READ)),
) -> HTMLResponse:
    db = database(request)
    page = claim_work.list_claims(db, viewer.actor, status=status or None, offset=max(0, offset), limit=50)
    reviewed = encounters.list_encounters(db, viewer.actor, status="reviewed", limit=50)
    names = practice.patient_names(
        db, {c.patient_id for c in page.items if c.patient_id} | {e.patient_id for e in reviewed.items}
    )
    return render(
        request,
        "biller.html",
        viewer,
        title="Biller worklist",
        page=page,
        reviewed=reviewed,
        names=names,
        status=status,
    )


@router.post("/claims/from-encounter")
def claim_from_encounter(
    request: Request,
    encounter_id: int = Form(...),
    viewer: Viewer = Depends(PageAuth(Permission.CLAIMS_WRITE)),
) -> Response:
    try:
        work = claim_work.claim_from_encounter(database(request), viewer.actor, encounter_id)
        work = claim_work.check_claim(database(request), viewer.actor, work.claim_id)
    except (InputError, DataError) as exc:
        return back("/biller", err=_message(exc))
    return back(f"/claims/{work.claim_id}", msg=f"claim built and checked: {work.status.value}")


@router.get("/claims/{claim_id}")
def claim_page(
    request: Request, claim_id: str, viewer: Viewer = Depends(PageAuth(Permission.CLAIMS_READ))
) -> HTMLResponse:
    work = claim_work.get_claim(database(request), viewer.actor, claim_id)
    by_line: dict[int, list[dict[str, Any]]] = defaultdict(list)
    whole = []
    for finding in work.findings:
        if finding.get("lines"):
            for line in finding["lines"]:
                by_line[int(line)].append(finding)
        else:
            whole.append(finding)
    return render(
        request,
        "claim.html",
        viewer,
        title=f"Claim {claim_id}",
        work=work,
        claim=work.document,
        by_line=by_line,
        whole=whole,
        document=json.dumps(work.document, indent=2),
    )


@router.post("/claims/{claim_id}/edit")
async def claim_edit(
    request: Request, claim_id: str, viewer: Viewer = Depends(PageAuth(Permission.CLAIMS_WRITE))
) -> Response:
    """Apply the line and diagnosis fields of the form (or the whole JSON), then check again."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    here = f"/claims/{claim_id}"

    def apply() -> Response:
        db = database(request)
        work = claim_work.get_claim(db, viewer.actor, claim_id)
        raw = str(form.get("document") or "").strip()
        data = json.loads(raw) if raw and form.get("mode") == "json" else dict(work.document)
        if form.get("mode") != "json":
            diagnoses = [
                d.strip() for d in str(form.get("diagnoses", "")).replace(",", " ").split() if d.strip()
            ]
            data["diagnoses"] = diagnoses
            lines = []
            for i, line in enumerate(data.get("lines", []), start=1):
                line = dict(line)
                line["procedure"] = str(form.get(f"line{i}_procedure", line["procedure"])).strip()
                line["modifiers"] = [
                    m for m in str(form.get(f"line{i}_modifiers", "")).replace(",", " ").split() if m
                ]
                line["units"] = str(form.get(f"line{i}_units", line.get("units", "1"))).strip()
                line["charge"] = str(money(str(form.get(f"line{i}_charge", line["charge"])).strip()))
                pointers = str(form.get(f"line{i}_pointers", "")).replace(",", " ").split()
                line["diagnosis_pointers"] = [int(p) for p in pointers]
                lines.append(line)
            data["lines"] = lines
        claim = claim_work.parse_claim(data)
        version = int(str(form.get("version") or work.version))
        claim_work.update_claim(db, viewer.actor, claim_id, claim, version=version)
        checked = claim_work.check_claim(db, viewer.actor, claim_id)
        return back(here, msg=f"saved and checked: {checked.status.value}")

    try:
        return await run_in_threadpool(apply)
    except (InputError, DataError, ValueError, json.JSONDecodeError) as exc:
        return back(here, err=_message(exc))


@router.post("/claims/{claim_id}/action")
def claim_action(
    request: Request,
    claim_id: str,
    action: str = Form(...),
    viewer: Viewer = Depends(PageAuth(Permission.CLAIMS_WRITE)),
) -> Response:
    db = database(request)
    here = f"/claims/{claim_id}"
    try:
        if action == "check":
            work = claim_work.check_claim(db, viewer.actor, claim_id)
            return back(here, msg=f"checked: {work.status.value}")
        if action == "price":
            claim_work.price_claim(db, viewer.actor, claim_id)
            return back(here, msg="priced")
        if action == "send":
            if not viewer.can(Permission.BATCHES.value):
                return back(here, err="your role may not send batches")
            batch = batches.create_batch(db, viewer.actor, [claim_id])
            return back(f"/batches/{batch.id}", msg=f"sent in batch {batch.id}")
    except (InputError, DataError) as exc:
        return back(here, err=_message(exc))
    return back(here, err="unknown action")


# -- batches ----------------------------------------------------------------------------------------
@router.get("/batches")
def batches_page(request: Request, viewer: Viewer = Depends(PageAuth(Permission.BATCHES))) -> HTMLResponse:
    db = database(request)
    page = batches.list_batches(db, status=None, offset=0, limit=100)
    ready = claim_work.list_claims(db, viewer.actor, status="ready", limit=500)
    return render(request, "batches.html", viewer, title="Batches", page=page, ready=ready)


@router.post("/batches")
def batches_create(
    request: Request,
    claim_ids: list[str] = Form(default_factory=list),
    viewer: Viewer = Depends(PageAuth(Permission.BATCHES)),
) -> Response:
    try:
        batch = batches.create_batch(database(request), viewer.actor, claim_ids)
    except (InputError, DataError) as exc:
        return back("/batches", err=_message(exc))
    return back(f"/batches/{batch.id}", msg=f"batch {batch.id}: {batch.claim_count} claims written as an 837")


@router.get("/batches/{batch_id}")
def batch_page(
    request: Request, batch_id: RowId, viewer: Viewer = Depends(PageAuth(Permission.BATCHES))
) -> HTMLResponse:
    db = database(request)
    batch = batches.get_batch(db, batch_id)
    text = batches.batch_x12(db, viewer.actor, batch_id)
    return render(request, "batch.html", viewer, title=f"Batch {batch_id}", batch=batch, x12=text)


@router.get("/batches/{batch_id}/837")
def batch_download(
    request: Request, batch_id: RowId, viewer: Viewer = Depends(PageAuth(Permission.BATCHES))
) -> PlainTextResponse:
    text = batches.batch_x12(database(request), viewer.actor, batch_id)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.837"'}
    )


@router.post("/batches/{batch_id}/sandbox-835")
def batch_sandbox(
    request: Request, batch_id: RowId, viewer: Viewer = Depends(PageAuth(Permission.BATCHES))
) -> Response:
    try:
        text = batches.sandbox_835(database(request), viewer.actor, batch_id)
    except (InputError, DataError) as exc:
        return back(f"/batches/{batch_id}", err=_message(exc))
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.835"'}
    )


@router.post("/batches/{batch_id}/acknowledgment")
async def batch_ack(
    request: Request,
    batch_id: RowId,
    file: UploadFile,
    viewer: Viewer = Depends(PageAuth(Permission.BATCHES)),
) -> Response:
    from starlette.concurrency import run_in_threadpool

    data = (await file.read(MAX_UPLOAD)).decode("utf-8", errors="replace")
    try:
        batch = await run_in_threadpool(
            batches.import_acknowledgment, database(request), viewer.actor, batch_id, data
        )
    except (InputError, DataError) as exc:
        return back(f"/batches/{batch_id}", err=_message(exc))
    return back(f"/batches/{batch_id}", msg=f"acknowledgement recorded: batch {batch.status}")


# -- remittances and denials ------------------------------------------------------------------------
@router.get("/remittances")
def remittances_page(
    request: Request, viewer: Viewer = Depends(PageAuth(Permission.REMITTANCES))
) -> HTMLResponse:
    db = database(request)
    page = remits.list_eras(db, offset=0, limit=50)
    return render(
        request,
        "remittances.html",
        viewer,
        title="Remittances",
        page=page,
        exceptions=remits.exceptions(db, status="open"),
    )


@router.post("/remittances")
async def remittances_upload(
    request: Request, file: UploadFile, viewer: Viewer = Depends(PageAuth(Permission.REMITTANCES))
) -> Response:
    from starlette.concurrency import run_in_threadpool

    data = await file.read(MAX_UPLOAD)
    app = state(request)
    try:
        era_id = await run_in_threadpool(
            remits.upload, app.database, viewer.actor, file.filename or "upload.835", data
        )
    except InputError as exc:
        return back("/remittances", err=_message(exc))
    job = await run_in_threadpool(
        jobs.submit, app.database, app.runner, viewer.actor, "post_era", {"era_id": era_id}, total=1
    )
    return back(f"/remittances/{era_id}?job={job.id}", msg="uploaded; posting in the background")


@router.get("/remittances/{era_id}")
def remittance_page(
    request: Request,
    era_id: RowId,
    job: int | None = None,
    viewer: Viewer = Depends(PageAuth(Permission.REMITTANCES)),
) -> HTMLResponse:
    db = database(request)
    # the job before the file: a job that ends between the two reads then shows as running (the
    # page polls and reloads) instead of as done beside a file still read as "uploaded"
    found_job = jobs.get_job(db, job) if job else None
    era = remits.get_era(db, viewer.actor, era_id)
    return render(
        request, "remittance.html", viewer, title=f"Remittance file {era_id}", era=era, job=found_job
    )


@router.get("/denials")
def denials_page(
    request: Request, category: str = "", viewer: Viewer = Depends(PageAuth(Permission.AR_READ))
) -> HTMLResponse:
    items = remits.denials(database(request), status="open")
    groups: dict[str, list[Any]] = defaultdict(list)
    for d in items:
        groups[str(d.category.value)].append(d)
    shown = {k: v for k, v in sorted(groups.items()) if not category or k == category}
    return render(
        request,
        "denials.html",
        viewer,
        title="Denials",
        groups=shown,
        categories=sorted(groups),
        category=category,
    )


@router.get("/ledger/{claim_id}")
def ledger_page(
    request: Request, claim_id: str, viewer: Viewer = Depends(PageAuth(Permission.AR_READ))
) -> HTMLResponse:
    try:
        data = ledger.claim_ledger(database(request), viewer.actor, claim_id)
    except InputError as exc:
        return render(
            request, "error.html", viewer, status_code=404, title="Not in the journal", detail=str(exc)
        )
    return render(request, "ledger.html", viewer, title=f"Journal of {claim_id}", data=data)
