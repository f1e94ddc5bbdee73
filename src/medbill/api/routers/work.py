"""Encounters and their coding, claims on the worklist, batches and acknowledgements."""

from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import PlainTextResponse

from medbill.api.deps import Authorize, RowId, database, state
from medbill.api.routers.common import Paging, page_of, paging
from medbill.api.schemas import (
    BatchIn,
    BatchOut,
    ClaimCreateIn,
    ClaimFromEncounterIn,
    ClaimOut,
    ClaimSummary,
    ClaimUpdateIn,
    CodeIn,
    CodingJobIn,
    DecisionIn,
    EmIn,
    EncounterIn,
    EncounterOut,
    EncounterSummary,
    JobOut,
    PageOut,
)
from medbill.practice.accounts import Actor, Permission
from medbill.practice.records import Decision
from medbill.services import batches, claim_work, encounters, jobs
from medbill.services.encounters import NewEncounter

router = APIRouter()
STATUS = Query(None, max_length=20, pattern="^[a-z]+$")


# -- encounters -----------------------------------------------------------------------------------
@router.get(
    "/encounters", response_model=PageOut[EncounterSummary], tags=["encounters"], summary="Encounters"
)
def list_encounters(
    request: Request,
    status: str | None = STATUS,
    patient_id: int | None = None,
    q: str | None = Query(None, max_length=100, description="patient last name"),
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.ENCOUNTERS_READ)),
) -> dict[str, Any]:
    found = encounters.list_encounters(
        database(request),
        actor,
        status=status,
        patient_id=patient_id,
        q=q,
        offset=page.offset,
        limit=page.limit,
    )
    return page_of(found, EncounterSummary.of)


@router.post(
    "/encounters",
    response_model=EncounterOut,
    status_code=201,
    tags=["encounters"],
    summary="Record an encounter and its note",
)
def create_encounter(
    body: EncounterIn, request: Request, actor: Actor = Depends(Authorize(Permission.ENCOUNTERS_WRITE))
) -> EncounterOut:
    return EncounterOut.of(
        encounters.create_encounter(database(request), actor, NewEncounter(**body.model_dump()))
    )


@router.get(
    "/encounters/{encounter_id}",
    response_model=EncounterOut,
    tags=["encounters"],
    summary="An encounter with its note, codes (and their evidence) and E/M level",
)
def get_encounter(
    encounter_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.ENCOUNTERS_READ))
) -> EncounterOut:
    return EncounterOut.of(encounters.get_encounter(database(request), actor, encounter_id))


@router.post(
    "/encounters/{encounter_id}/code",
    response_model=EncounterOut,
    tags=["coding"],
    summary="Run the coder on the note (codes wait for a coder's decision)",
)
def code_encounter(
    encounter_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.CODING))
) -> EncounterOut:
    return EncounterOut.of(encounters.code_encounter(database(request), actor, encounter_id))


@router.post(
    "/encounters/{encounter_id}/codes/{code_id}/decision",
    response_model=EncounterOut,
    tags=["coding"],
    summary="Accept, reject or replace a proposed code",
)
def decide(
    encounter_id: RowId,
    code_id: RowId,
    body: DecisionIn,
    request: Request,
    actor: Actor = Depends(Authorize(Permission.CODING)),
) -> EncounterOut:
    found = encounters.decide(
        database(request),
        actor,
        encounter_id,
        code_id,
        Decision(body.decision),
        replacement=body.replacement,
        system=body.system,
    )
    return EncounterOut.of(found)


@router.post(
    "/encounters/{encounter_id}/codes",
    response_model=EncounterOut,
    tags=["coding"],
    summary="Add a code the coder chose",
)
def add_code(
    encounter_id: RowId, body: CodeIn, request: Request, actor: Actor = Depends(Authorize(Permission.CODING))
) -> EncounterOut:
    return EncounterOut.of(
        encounters.add_code(database(request), actor, encounter_id, body.code, body.system)
    )


@router.post(
    "/encounters/{encounter_id}/accept-all",
    response_model=EncounterOut,
    tags=["coding"],
    summary="Accept every pending code of a present condition",
)
def accept_all(
    encounter_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.CODING))
) -> EncounterOut:
    return EncounterOut.of(encounters.accept_all(database(request), actor, encounter_id))


@router.put(
    "/encounters/{encounter_id}/em", response_model=EncounterOut, tags=["coding"], summary="Set the E/M level"
)
def set_em(
    encounter_id: RowId, body: EmIn, request: Request, actor: Actor = Depends(Authorize(Permission.CODING))
) -> EncounterOut:
    return EncounterOut.of(encounters.set_em(database(request), actor, encounter_id, body.code, body.reason))


@router.post(
    "/coding/jobs",
    response_model=JobOut,
    status_code=202,
    tags=["coding"],
    summary="Code many encounters in the background",
)
def coding_job(
    body: CodingJobIn, request: Request, actor: Actor = Depends(Authorize(Permission.CODING))
) -> JobOut:
    app = state(request)
    job = jobs.submit(
        app.database,
        app.runner,
        actor,
        "code_encounters",
        {"encounter_ids": body.encounter_ids},
        total=len(body.encounter_ids),
    )
    return JobOut.of(job)


# -- claims ---------------------------------------------------------------------------------------
@router.get("/claims", response_model=PageOut[ClaimSummary], tags=["claims"], summary="The claim worklist")
def list_claims(
    request: Request,
    status: str | None = STATUS,
    patient_id: int | None = None,
    payer: str | None = Query(None, max_length=80),
    batch_id: int | None = None,
    q: str | None = Query(None, max_length=38, description="claim id prefix"),
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.CLAIMS_READ)),
) -> dict[str, Any]:
    found = claim_work.list_claims(
        database(request),
        actor,
        status=status,
        patient_id=patient_id,
        payer_code=payer,
        batch_id=batch_id,
        q=q,
        offset=page.offset,
        limit=page.limit,
    )
    return page_of(found, ClaimSummary.of)


@router.post(
    "/claims",
    response_model=ClaimOut,
    status_code=201,
    tags=["claims"],
    summary="Put a claim on the worklist (given as JSON)",
)
def create_claim(
    body: ClaimCreateIn, request: Request, actor: Actor = Depends(Authorize(Permission.CLAIMS_WRITE))
) -> ClaimOut:
    claim = claim_work.parse_claim(body.claim)
    return ClaimOut.of(claim_work.create_claim(database(request), actor, claim, patient_id=body.patient_id))


@router.post(
    "/claims/from-encounter",
    response_model=ClaimOut,
    status_code=201,
    tags=["claims"],
    summary="Build the claim of a coded encounter",
)
def claim_from_encounter(
    body: ClaimFromEncounterIn, request: Request, actor: Actor = Depends(Authorize(Permission.CLAIMS_WRITE))
) -> ClaimOut:
    return ClaimOut.of(claim_work.claim_from_encounter(database(request), actor, body.encounter_id))


@router.post("/claims/check", tags=["claims"], summary="Check a claim that is not stored (findings only)")
def check_any_claim(
    claim: dict[str, Any] = Body(..., description="a claim in medbill's JSON form"),
    actor: Actor = Depends(Authorize(Permission.CLAIMS_READ)),
) -> dict[str, Any]:
    findings = claim_work.check_stateless(claim_work.parse_claim(claim))
    blocking = any(f["severity"] in ("reject", "deny") for f in findings)
    return {"findings": findings, "blocking": blocking}


@router.get(
    "/claims/{claim_id}", response_model=ClaimOut, tags=["claims"], summary="A claim with its findings"
)
def get_claim(
    claim_id: str, request: Request, actor: Actor = Depends(Authorize(Permission.CLAIMS_READ))
) -> ClaimOut:
    return ClaimOut.of(claim_work.get_claim(database(request), actor, claim_id))


@router.put(
    "/claims/{claim_id}",
    response_model=ClaimOut,
    tags=["claims"],
    summary="Edit a claim (check it again after)",
)
def update_claim(
    claim_id: str,
    body: ClaimUpdateIn,
    request: Request,
    actor: Actor = Depends(Authorize(Permission.CLAIMS_WRITE)),
) -> ClaimOut:
    claim = claim_work.parse_claim(body.claim)
    return ClaimOut.of(
        claim_work.update_claim(database(request), actor, claim_id, claim, version=body.version)
    )


@router.post(
    "/claims/{claim_id}/check", response_model=ClaimOut, tags=["claims"], summary="Run the claim scrubber"
)
def check_claim(
    claim_id: str, request: Request, actor: Actor = Depends(Authorize(Permission.CLAIMS_WRITE))
) -> ClaimOut:
    return ClaimOut.of(claim_work.check_claim(database(request), actor, claim_id))


@router.post("/claims/{claim_id}/price", response_model=ClaimOut, tags=["claims"], summary="Price the claim")
def price_claim(
    claim_id: str, request: Request, actor: Actor = Depends(Authorize(Permission.CLAIMS_WRITE))
) -> ClaimOut:
    return ClaimOut.of(claim_work.price_claim(database(request), actor, claim_id))


# -- batches --------------------------------------------------------------------------------------
@router.get("/batches", response_model=PageOut[BatchOut], tags=["batches"], summary="837 batches")
def list_batches(
    request: Request,
    status: str | None = STATUS,
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.BATCHES)),
) -> dict[str, Any]:
    return page_of(
        batches.list_batches(database(request), status=status, offset=page.offset, limit=page.limit),
        BatchOut.of,
    )


@router.post(
    "/batches",
    response_model=BatchOut,
    status_code=201,
    tags=["batches"],
    summary="Send ready claims as an 837 batch (posts their charges)",
)
def create_batch(
    body: BatchIn, request: Request, actor: Actor = Depends(Authorize(Permission.BATCHES))
) -> BatchOut:
    return BatchOut.of(batches.create_batch(database(request), actor, body.claim_ids))


@router.get(
    "/batches/{batch_id}",
    response_model=BatchOut,
    tags=["batches"],
    summary="A batch and its acknowledgements",
)
def get_batch(
    batch_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.BATCHES))
) -> BatchOut:
    return BatchOut.of(batches.get_batch(database(request), batch_id))


@router.get(
    "/batches/{batch_id}/837",
    response_class=PlainTextResponse,
    tags=["batches"],
    summary="The batch's 837 file",
)
def batch_837(
    batch_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.BATCHES))
) -> PlainTextResponse:
    text = batches.batch_x12(database(request), actor, batch_id)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.837"'}
    )


@router.post(
    "/batches/{batch_id}/acknowledgments",
    response_model=BatchOut,
    tags=["batches"],
    summary="Import a 999 or 277CA for the batch (X12 text as the body)",
)
def import_ack(
    batch_id: RowId,
    request: Request,
    text: str = Body(..., media_type="text/plain", max_length=50_000_000),
    actor: Actor = Depends(Authorize(Permission.BATCHES)),
) -> BatchOut:
    return BatchOut.of(batches.import_acknowledgment(database(request), actor, batch_id, text))


@router.post(
    "/batches/{batch_id}/sandbox-835",
    response_class=PlainTextResponse,
    tags=["batches"],
    summary="Have the sandbox payer adjudicate the batch; answers its 835",
)
def sandbox(
    batch_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.BATCHES))
) -> PlainTextResponse:
    text = batches.sandbox_835(database(request), actor, batch_id)
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.835"'}
    )
