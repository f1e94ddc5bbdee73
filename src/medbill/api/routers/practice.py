"""Patients (with coverage), payers and providers."""

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from medbill.api.deps import Authorize, RowId, database
from medbill.api.routers.common import Paging, page_of, paging
from medbill.api.schemas import (
    PageOut,
    PatientChange,
    PatientIn,
    PatientOut,
    PayerIn,
    PayerOut,
    ProviderIn,
    ProviderOut,
)
from medbill.practice.accounts import Actor, Permission
from medbill.practice.records import PatientRecord, ProviderRecord
from medbill.services import practice

router = APIRouter(tags=["practice"])
Q = Query(None, max_length=100, description="search text (name, id)")


@router.get("/patients", response_model=PageOut[PatientOut], summary="Patients (search by name or MRN)")
def list_patients(
    request: Request,
    q: str | None = Q,
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.PATIENTS_READ)),
) -> dict[str, Any]:
    found = practice.list_patients(database(request), actor, q=q, offset=page.offset, limit=page.limit)
    return page_of(found, PatientOut.of)


@router.post("/patients", response_model=PatientOut, status_code=201, summary="Register a patient")
def create_patient(
    body: PatientIn, request: Request, actor: Actor = Depends(Authorize(Permission.PATIENTS_WRITE))
) -> PatientOut:
    record = PatientRecord(
        0,
        body.mrn,
        body.last_name,
        body.first_name,
        body.birth_date,
        body.sex,
        body.middle_name,
        body.address,
    )
    coverages = [c.model_dump(mode="json") for c in body.coverages]
    return PatientOut.of(practice.create_patient(database(request), actor, record, coverages))


@router.get("/patients/{patient_id}", response_model=PatientOut, summary="One patient")
def get_patient(
    patient_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.PATIENTS_READ))
) -> PatientOut:
    return PatientOut.of(practice.get_patient(database(request), actor, patient_id))


@router.patch(
    "/patients/{patient_id}", response_model=PatientOut, summary="Change a patient's details or coverage"
)
def update_patient(
    patient_id: RowId,
    body: PatientChange,
    request: Request,
    actor: Actor = Depends(Authorize(Permission.PATIENTS_WRITE)),
) -> PatientOut:
    changes = body.model_dump(exclude_unset=True, exclude={"coverages"})
    if body.address is not None:
        changes["address"] = body.address
    coverages = [c.model_dump(mode="json") for c in body.coverages] if body.coverages else None
    return PatientOut.of(practice.update_patient(database(request), actor, patient_id, changes, coverages))


@router.get("/payers", response_model=PageOut[PayerOut], summary="Payers")
def list_payers(
    request: Request,
    q: str | None = Q,
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.PRACTICE_READ)),
) -> dict[str, Any]:
    return page_of(
        practice.list_payers(database(request), q=q, offset=page.offset, limit=page.limit), PayerOut.of
    )


@router.post("/payers", response_model=PayerOut, status_code=201, summary="Add a payer")
def create_payer(
    body: PayerIn, request: Request, actor: Actor = Depends(Authorize(Permission.PRACTICE_WRITE))
) -> PayerOut:
    return PayerOut.of(
        practice.create_payer(database(request), actor, body.payer_code, body.name, body.type, body.address)
    )


@router.get("/payers/{payer_id}", response_model=PayerOut, summary="One payer")
def get_payer(
    payer_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.PRACTICE_READ))
) -> PayerOut:
    return PayerOut.of(practice.get_payer(database(request), payer_id))


@router.get("/providers", response_model=PageOut[ProviderOut], summary="Providers")
def list_providers(
    request: Request,
    q: str | None = Q,
    kind: str | None = Query(None, pattern="^(organization|individual)$"),
    page: Paging = Depends(paging),
    actor: Actor = Depends(Authorize(Permission.PRACTICE_READ)),
) -> dict[str, Any]:
    found = practice.list_providers(database(request), q=q, kind=kind, offset=page.offset, limit=page.limit)
    return page_of(found, ProviderOut.of)


@router.post("/providers", response_model=ProviderOut, status_code=201, summary="Add a provider")
def create_provider(
    body: ProviderIn, request: Request, actor: Actor = Depends(Authorize(Permission.PRACTICE_WRITE))
) -> ProviderOut:
    record = ProviderRecord(
        0, body.npi, body.kind, body.name, body.first_name, body.taxonomy, body.tax_id, body.address
    )
    return ProviderOut.of(practice.create_provider(database(request), actor, record))


@router.get("/providers/{provider_id}", response_model=ProviderOut, summary="One provider")
def get_provider(
    provider_id: RowId, request: Request, actor: Actor = Depends(Authorize(Permission.PRACTICE_READ))
) -> ProviderOut:
    return ProviderOut.of(practice.get_provider(database(request), provider_id))
