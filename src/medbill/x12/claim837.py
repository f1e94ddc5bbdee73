"""Loop 2300 (claim), 2310x (claim providers) and 2400 (service lines) of the 837P and 837I.

Called by `medbill.x12.write837` once per claim, after the hierarchy (2000A/B/C) has been written.
Professional claims get CLM with the place of service, HI ABK/ABF diagnoses, SV1 lines with
diagnosis pointers; institutional claims get CLM with the type of bill, the statement period,
admission, CL1, HI ABK/ABJ/ABF diagnoses and BBR/BBQ ICD-10-PCS procedures, SV2 lines with revenue
codes. Both get prior authorization, the payer claim number of replacements/voids, NDC (2410) and
the coordination-of-benefits loops (2320/2330, 2430).
"""

import datetime as dt

from medbill.core.claim import Claim, ClaimType, Frequency, Provider, ServiceLine
from medbill.core.money import x12_amount
from medbill.x12.cob837 import write_line_adjudications, write_other_payers
from medbill.x12.codes import ACCIDENT_CODE
from medbill.x12.values import d8, x12_number, x12_time
from medbill.x12.writer import Body

HI_PER_SEGMENT = 12


def dx(code: str) -> str:
    """ICD-10 code without its dot, as the HI segment carries it."""
    return code.replace(".", "")


def write_claim(body: Body, claim: Claim) -> None:
    """Write loops 2300, 2310x, 2320/2330 and 2400 for ``claim``."""
    if claim.type == ClaimType.INSTITUTIONAL:
        _clm_institutional(body, claim)
    else:
        _clm_professional(body, claim)
    if claim.prior_authorization:
        body.add("REF", "G1", claim.prior_authorization)
    if claim.frequency in (Frequency.REPLACEMENT, Frequency.VOID) and claim.payer_claim_number:
        body.add("REF", "F8", claim.payer_claim_number)
    if claim.type == ClaimType.INSTITUTIONAL:
        _hi_institutional(body, claim)
        _providers_institutional(body, claim)
    else:
        _hi_professional(body, claim)
        _providers_professional(body, claim)
    write_other_payers(body, claim)
    for number, line in enumerate(claim.lines, start=1):
        _line(body, claim, number, line)


def _clm_professional(body: Body, claim: Claim) -> None:
    place = claim.place_of_service or claim.lines[0].place_of_service or ""
    related = None
    if claim.accident is not None:
        code = ACCIDENT_CODE[claim.accident.type]
        related = [code, "", "", claim.accident.state or ""] if code == "AA" else [code]
    body.add(
        "CLM",
        claim.claim_id,
        x12_amount(claim.total_charge),
        "",
        "",
        [place, "B", claim.frequency.value],
        "Y",
        "A",
        "Y",
        "Y",
        "",
        related,
    )
    if claim.onset_date:
        body.add("DTP", "431", "D8", d8(claim.onset_date))
    if claim.accident is not None and claim.accident.date:
        body.add("DTP", "439", "D8", d8(claim.accident.date))
    if claim.admission is not None:
        body.add("DTP", "435", "D8", d8(claim.admission.date))
    if claim.discharge is not None:
        body.add("DTP", "096", "D8", d8(claim.discharge.date))


def facility_code(type_of_bill: str) -> str:
    """The facility type code (CLM05-1): the type of bill without its leading 0 and frequency digit.

    >>> facility_code("0111"), facility_code("131")
    ('11', '13')
    """
    digits = type_of_bill.strip()
    return digits[-3:-1]


def claim_frequency(claim: Claim) -> str:
    """CLM05-3: a replacement or void as the claim says; otherwise the type of bill's last digit
    (institutional claims also have interim-bill frequencies 2-5 that the claim model keeps there)."""
    tob = (claim.type_of_bill or "").strip()
    if claim.frequency != Frequency.ORIGINAL or not tob:
        return claim.frequency.value
    return tob[-1]


def _clm_institutional(body: Body, claim: Claim) -> None:
    body.add(
        "CLM",
        claim.claim_id,
        x12_amount(claim.total_charge),
        "",
        "",
        [facility_code(claim.type_of_bill or ""), "A", claim_frequency(claim)],
        "",
        "A",
        "Y",
        "Y",
    )
    if claim.discharge is not None and claim.discharge.hour is not None:
        body.add("DTP", "096", "TM", x12_time(claim.discharge.hour))
    start, end = statement_period(claim)
    body.add("DTP", "434", "RD8", f"{d8(start)}-{d8(end)}")
    if claim.admission is not None:
        if claim.admission.hour is not None:
            body.add("DTP", "435", "DT", d8(claim.admission.date) + x12_time(claim.admission.hour))
        else:
            body.add("DTP", "435", "D8", d8(claim.admission.date))
    admission = claim.admission
    body.add(
        "CL1",
        admission.type if admission and admission.type else "",
        admission.source if admission and admission.source else "",
        claim.patient_status or "",
    )


def statement_period(claim: Claim) -> tuple[dt.date, dt.date]:
    """The statement covers period (DTP*434): admission..discharge when known, else the service dates."""
    first = claim.first_service_date
    last = claim.last_service_date
    start = claim.admission.date if claim.admission else first
    end = claim.discharge.date if claim.discharge else last
    assert start is not None
    assert end is not None
    return min(start, first or start), max(end, last or end)


def _hi_chunks(qualifier: str, codes: list[str]) -> list[list[list[str]]]:
    return [
        [[qualifier, dx(code)] for code in codes[i : i + HI_PER_SEGMENT]]
        for i in range(0, len(codes), HI_PER_SEGMENT)
    ]


def _hi_professional(body: Body, claim: Claim) -> None:
    codes = [["ABK" if i == 0 else "ABF", dx(code)] for i, code in enumerate(claim.diagnoses)]
    body.add("HI", *codes)


def _hi_institutional(body: Body, claim: Claim) -> None:
    body.add("HI", ["ABK", dx(claim.diagnoses[0])])
    if claim.admitting_diagnosis:
        body.add("HI", ["ABJ", dx(claim.admitting_diagnosis)])
    for chunk in _hi_chunks("ABF", list(claim.diagnoses[1:])):
        body.add("HI", *chunk)
    if claim.procedures:
        principal, *others = claim.procedures
        body.add("HI", ["BBR", principal.code, "D8", d8(principal.date)])
        for i in range(0, len(others), HI_PER_SEGMENT):
            body.add("HI", *[["BBQ", p.code, "D8", d8(p.date)] for p in others[i : i + HI_PER_SEGMENT]])


def provider_name(body: Body, entity: str, provider: Provider, *, person_only: bool = False) -> None:
    kind = "1" if provider.first_name or person_only else "2"
    body.add(
        "NM1",
        entity,
        kind,
        body.text(provider.last_name),
        body.text(provider.first_name) if kind == "1" else "",
        "",
        "",
        "",
        "XX" if provider.npi else "",
        provider.npi,
    )


def _facility(body: Body, claim: Claim) -> None:
    facility = claim.service_facility
    if facility is None:
        return
    body.add(
        "NM1", "77", "2", body.text(facility.name), "", "", "", "", "XX" if facility.npi else "", facility.npi
    )
    body.address(facility.address)


def _providers_professional(body: Body, claim: Claim) -> None:
    if claim.referring_provider is not None:
        provider_name(body, "DN", claim.referring_provider, person_only=True)
    if claim.rendering_provider is not None:
        provider_name(body, "82", claim.rendering_provider)
        if claim.rendering_provider.taxonomy:
            body.add("PRV", "PE", "PXC", claim.rendering_provider.taxonomy)
    _facility(body, claim)


def _providers_institutional(body: Body, claim: Claim) -> None:
    if claim.attending_provider is not None:
        provider_name(body, "71", claim.attending_provider, person_only=True)
        if claim.attending_provider.taxonomy:
            body.add("PRV", "AT", "PXC", claim.attending_provider.taxonomy)
    if claim.rendering_provider is not None:
        provider_name(body, "82", claim.rendering_provider, person_only=True)
    _facility(body, claim)
    if claim.referring_provider is not None:
        provider_name(body, "DN", claim.referring_provider, person_only=True)


def procedure_composite(line: ServiceLine) -> list[str]:
    return ["HC", line.procedure, *line.modifiers]


def _line(body: Body, claim: Claim, number: int, line: ServiceLine) -> None:
    body.add("LX", str(number))
    if claim.type == ClaimType.INSTITUTIONAL:
        body.add(
            "SV2",
            line.revenue_code or "",
            procedure_composite(line) if line.procedure else None,
            x12_amount(line.charge),
            "UN",
            x12_number(line.units),
        )
    else:
        place = (
            line.place_of_service
            if line.place_of_service and line.place_of_service != claim.place_of_service
            else ""
        )
        body.add(
            "SV1",
            procedure_composite(line),
            x12_amount(line.charge),
            "UN",
            x12_number(line.units),
            place,
            "",
            [str(p) for p in line.diagnosis_pointers],
        )
    end = line.service_date_end
    if end is not None and end != line.service_date:
        body.add("DTP", "472", "RD8", f"{d8(line.service_date)}-{d8(end)}")
    else:
        body.add("DTP", "472", "D8", d8(line.service_date))
    if line.ndc:
        body.add("LIN", "", "N4", line.ndc.replace("-", ""))
        body.add("CTP", "", "", "", x12_number(line.ndc_quantity or line.units), [line.ndc_unit or "UN"])
    rendering = line.rendering_provider
    if rendering is not None and rendering != claim.rendering_provider:
        if claim.type == ClaimType.INSTITUTIONAL:
            provider_name(body, "82", rendering, person_only=True)
        else:
            provider_name(body, "82", rendering)
            if rendering.taxonomy:
                body.add("PRV", "PE", "PXC", rendering.taxonomy)
    write_line_adjudications(body, claim, number, line)
