"""Claims → one 837 interchange: 837P (005010X222A1) and 837I (005010X223A2).

Claims are grouped the way payers and clearinghouses expect: one functional group per claim type
(its GS08 names the guide), one transaction set per payer (at most ``max_claims_per_transaction``
claims each), and inside it one billing provider level (2000A) per billing provider, one subscriber
level (2000B) per subscriber and payer sequence, and one patient level (2000C) per dependent patient.
Control numbers come from `ControlNumberStore`, so they are never reused.

A claim that cannot make a valid 837 (no diagnosis, a replacement without the payer's claim
number, more lines than the guide allows, ...) stops the write with an `InputError` listing every
problem; nothing is written.

>>> # write_837(claims, {"sender_id": "CLINIC", "receiver_id": "CLEARINGHOUSE"}) -> "ISA*00*..."
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from medbill.core.claim import Claim, ClaimType, Frequency, Relationship
from medbill.core.errors import InputError
from medbill.core.findings import Finding, Severity, Source
from medbill.x12.claim837 import write_claim
from medbill.x12.codes import RELATIONSHIP_CODE, RESPONSIBILITY_CODE, filing_indicator
from medbill.x12.config import X12Config, load_config
from medbill.x12.control import ControlNumberStore
from medbill.x12.writer import Body, GroupOut, TransactionBody, render_interchange

VERSIONS = {ClaimType.PROFESSIONAL: "005010X222A1", ClaimType.INSTITUTIONAL: "005010X223A2"}
MAX_LINES = {ClaimType.PROFESSIONAL: 50, ClaimType.INSTITUTIONAL: 999}
MAX_CLAIMS_PER_LEVEL = 100  # loop 2300 repeats at most 100 times under one 2000B or 2000C
MAX_DIAGNOSES = {ClaimType.PROFESSIONAL: 12, ClaimType.INSTITUTIONAL: 25}
SOURCE = {t: Source(name=f"ASC X12 {v} TR3", release=v) for t, v in VERSIONS.items()}


def write_837(
    claims: Iterable[Claim],
    config: "X12Config | dict[str, Any] | str",
    *,
    store: ControlNumberStore | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The 837 interchange for ``claims``; raises `InputError` when a claim cannot be written."""
    text, _findings = prepare_837(claims, config, store=store, now=now)
    return text


def prepare_837(
    claims: Iterable[Claim],
    config: "X12Config | dict[str, Any] | str",
    *,
    store: ControlNumberStore | None = None,
    now: dt.datetime | None = None,
    strict: bool = True,
) -> tuple[str, list[Finding]]:
    """Like `write_837`, also returning the non-blocking findings (warnings) about the claims."""
    settings = load_config(config)
    items = list(claims)
    if not items:
        raise InputError("no claims to write")
    problems: list[str] = []
    findings: list[Finding] = []
    for claim in items:
        claim_problems, claim_findings = check_claim(claim, strict=strict)
        problems += [f"claim {claim.claim_id}: {p}" for p in claim_problems]
        findings += claim_findings
    contact = settings.submitter_entity.contact
    if contact is None or not (contact.phone or contact.email):
        problems.append("config: submitter.contact needs a name and a phone or email (1000A PER is required)")
    if problems:
        raise InputError("cannot write the 837", tuple(problems))
    plan = _plan(items, settings.max_claims_per_transaction)
    store = store or ControlNumberStore()
    sender = f"{settings.sender_qualifier}:{settings.sender_id}"
    allocation = store.allocate(
        sender, interchanges=1, groups=len(plan), transactions=sum(len(sets) for _, sets in plan)
    )
    stamp = now or dt.datetime.now()
    numbers = iter(allocation.transactions)
    groups = []
    for (claim_type, sets), group_number in zip(plan, allocation.groups, strict=True):
        transactions = []
        for batch in sets:
            control = f"{next(numbers):04d}"
            body = _transaction(settings, claim_type, batch, control, stamp)
            transactions.append(TransactionBody("837", control, VERSIONS[claim_type], body))
        groups.append(GroupOut("HC", VERSIONS[claim_type], group_number, transactions))
    return render_interchange(settings, allocation.interchanges[0], groups, stamp), findings


def check_claim(claim: Claim, *, strict: bool = True) -> tuple[list[str], list[Finding]]:
    """Problems that make ``claim`` unwritable as an 837, and warnings.

    ``strict=False`` lets a 5-digit billing provider ZIP through with a warning (the TR3 asks for
    ZIP+4; old files and some test data have 5 digits).
    """
    problems: list[str] = []
    warnings: list[Finding] = []
    kind = claim.type
    if not claim.lines:
        problems.append("no service lines")
    if len(claim.lines) > MAX_LINES[kind]:
        problems.append(
            f"{len(claim.lines)} service lines; the {VERSIONS[kind]} guide allows {MAX_LINES[kind]}"
        )
    if not claim.diagnoses:
        problems.append("no diagnosis (HI is required)")
    if len(claim.diagnoses) > MAX_DIAGNOSES[kind]:
        problems.append(f"{len(claim.diagnoses)} diagnoses; the 837 carries at most {MAX_DIAGNOSES[kind]}")
    if claim.frequency in (Frequency.REPLACEMENT, Frequency.VOID) and not claim.payer_claim_number:
        problems.append(f"frequency {claim.frequency.value} needs payer_claim_number (REF*F8)")
    if claim.patient is None and claim.subscriber.birth_date is None:
        problems.append("subscriber.birth_date is required when the subscriber is the patient (2010BA DMG)")
    if claim.patient is not None and claim.patient.address is None and claim.subscriber.address is None:
        problems.append("patient.address is required (2010CA N3/N4)")
    for npi, what in _npis(claim):
        if npi and not (len(npi) == 10 and npi.isdigit()):
            problems.append(f"{what} NPI {npi!r} is not 10 digits")
    if kind == ClaimType.PROFESSIONAL:
        problems += _check_professional(claim)
    else:
        problems += _check_institutional(claim)
    for other in claim.other_payers:
        for adjudication in other.lines:
            if adjudication.line > len(claim.lines):
                problems.append(
                    f"other payer {other.payer.id}: line adjudication for line {adjudication.line}, which does not exist"
                )
    zip_code = claim.billing_provider.address.zip.replace("-", "")
    if len(zip_code) != 9:
        message = (
            f"billing provider ZIP {claim.billing_provider.address.zip} has 5 digits; 2010AA N403 needs the "
            "full 9-digit ZIP+4"
        )
        if strict:
            problems.append(message)
        else:
            warnings.append(
                Finding(
                    rule="x12.837.zip9", severity=Severity.WARN, message=f"claim {claim.claim_id}: {message}"
                )
            )
    if claim.patient is not None and claim.patient.relationship == Relationship.SELF:
        problems.append("patient.relationship is self: leave patient out when the patient is the subscriber")
    if claim.patient is None and claim.subscriber.address is None:
        warnings.append(
            Finding(
                rule="x12.837.subscriber_address",
                severity=Severity.WARN,
                message=f"claim {claim.claim_id}: the subscriber is the patient but has no address; the TR3 "
                "requires 2010BA N3/N4 then and many payers reject the claim without it",
                source=SOURCE[kind],
            )
        )
    if claim.patient is not None and claim.patient.address is None and claim.subscriber.address is not None:
        warnings.append(
            Finding(
                rule="x12.837.patient_address",
                severity=Severity.WARN,
                message=f"claim {claim.claim_id}: the patient has no address; the subscriber's address is sent "
                "in 2010CA",
                source=SOURCE[kind],
            )
        )
    return problems, warnings


def _npis(claim: Claim) -> list[tuple[str, str]]:
    out = [(claim.billing_provider.npi, "billing provider")]
    for what in ("rendering_provider", "referring_provider", "attending_provider"):
        provider = getattr(claim, what)
        if provider is not None:
            out.append((provider.npi, what.replace("_", " ")))
    if claim.service_facility is not None and claim.service_facility.npi:
        out.append((claim.service_facility.npi, "service facility"))
    return out


def _check_professional(claim: Claim) -> list[str]:
    problems = []
    if not (claim.place_of_service or (claim.lines and claim.lines[0].place_of_service)):
        problems.append("place_of_service is required (CLM05-1)")
    for number, line in enumerate(claim.lines, start=1):
        if not line.procedure:
            problems.append(f"line {number}: procedure is required on a professional claim")
        if not line.diagnosis_pointers or len(line.diagnosis_pointers) > 4:
            problems.append(f"line {number}: 1 to 4 diagnosis pointers are required (SV107)")
        for pointer in line.diagnosis_pointers:
            if not 1 <= pointer <= len(claim.diagnoses):
                problems.append(f"line {number}: diagnosis pointer {pointer} points at no diagnosis")
        if len(line.modifiers) > 4:
            problems.append(f"line {number}: at most 4 modifiers")
    return problems


def _check_institutional(claim: Claim) -> list[str]:
    problems = []
    tob = (claim.type_of_bill or "").strip()
    if not (tob.isdigit() and len(tob) in (3, 4)):
        problems.append("type_of_bill (3 or 4 digits) is required on an institutional claim")
    if not claim.patient_status:
        problems.append("patient_status is required on an institutional claim (CL103)")
    if len(claim.procedures) > 25:
        problems.append(f"{len(claim.procedures)} ICD-10-PCS procedures; the 837I carries at most 25")
    for number, line in enumerate(claim.lines, start=1):
        if not line.revenue_code:
            problems.append(f"line {number}: revenue_code is required on an institutional claim (SV201)")
        if len(line.modifiers) > 4:
            problems.append(f"line {number}: at most 4 modifiers")
    return problems


def _key(*parts: Any) -> str:
    return "|".join(p.model_dump_json() if hasattr(p, "model_dump_json") else str(p) for p in parts)


def _grouped(items: Sequence[Claim], key: Any) -> list[list[Claim]]:
    groups: dict[str, list[Claim]] = {}
    for claim in items:
        groups.setdefault(key(claim), []).append(claim)
    return list(groups.values())


def _plan(claims: Sequence[Claim], per_set: int) -> list[tuple[ClaimType, list[list[Claim]]]]:
    """Functional groups (one per claim type) of transaction sets (one or more per payer)."""
    plan = []
    for same_type in _grouped(claims, lambda c: c.type.value):
        sets: list[list[Claim]] = []
        for same_payer in _grouped(same_type, lambda c: c.payer.id):
            ordered = [
                c for provider in _grouped(same_payer, lambda c: _key(c.billing_provider)) for c in provider
            ]
            sets += [ordered[i : i + per_set] for i in range(0, len(ordered), per_set)]
        plan.append((same_type[0].type, sets))
    return plan


def _transaction(
    config: X12Config, claim_type: ClaimType, claims: list[Claim], control: str, now: dt.datetime
) -> Body:
    body = Body(config.delimiters, uppercase=config.uppercase)
    body.add("BHT", "0019", "00", control, now.strftime("%Y%m%d"), now.strftime("%H%M"), "CH")
    submitter = config.submitter_entity
    body.add("NM1", "41", "2", body.text(submitter.name), "", "", "", "", "46", submitter.id)
    contact = submitter.contact
    assert contact is not None
    channels: list[str] = []
    if contact.phone:
        channels += ["TE", contact.phone]
    if contact.email:
        channels += ["EM", contact.email]
    body.add("PER", "IC", body.text(contact.name), *channels)
    receiver = config.receiver_entity
    body.add("NM1", "40", "2", body.text(receiver.name), "", "", "", "", "46", receiver.id)
    hl = 0
    for provider_claims in _grouped(claims, lambda c: _key(c.billing_provider)):
        hl += 1
        provider_hl = hl
        body.add("HL", str(provider_hl), "", "20", "1")
        _billing_provider(body, provider_claims[0])
        subscriber_groups = _grouped(
            provider_claims, lambda c: _key(c.subscriber, c.payer, c.responsibility.value, c.patient is None)
        )
        for subscriber_claims in [chunk for group in subscriber_groups for chunk in _hierarchy_chunks(group)]:
            hl += 1
            subscriber_hl = hl
            first = subscriber_claims[0]
            body.add("HL", str(subscriber_hl), str(provider_hl), "22", "0" if first.patient is None else "1")
            _subscriber(body, first, claim_type)
            if first.patient is None:
                for claim in subscriber_claims:
                    write_claim(body, claim)
                continue
            for patient_group in _grouped(subscriber_claims, lambda c: _key(c.patient)):
                for patient_claims in _chunks(patient_group, MAX_CLAIMS_PER_LEVEL):
                    hl += 1
                    body.add("HL", str(hl), str(subscriber_hl), "23", "0")
                    _patient(body, patient_claims[0])
                    for claim in patient_claims:
                        write_claim(body, claim)
    return body


def _chunks(items: list[Claim], size: int) -> list[list[Claim]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _hierarchy_chunks(claims: list[Claim]) -> list[list[Claim]]:
    """A subscriber's claims split so that no level holds more than 100 claims (2300 repeats at most 100)."""
    if claims[0].patient is not None:
        return [claims]
    return _chunks(claims, MAX_CLAIMS_PER_LEVEL)


def _billing_provider(body: Body, claim: Claim) -> None:
    provider = claim.billing_provider
    if provider.taxonomy:
        body.add("PRV", "BI", "PXC", provider.taxonomy)
    body.add("NM1", "85", "2", body.text(provider.name), "", "", "", "", "XX", provider.npi)
    body.address(provider.address)
    tax_id = provider.tax_id.strip()
    is_ssn = len(tax_id) == 11 and tax_id[3] == "-" and tax_id[6] == "-"
    qualifier = "SY" if is_ssn and claim.type == ClaimType.PROFESSIONAL else "EI"
    body.add("REF", qualifier, tax_id.replace("-", ""))


def _subscriber(body: Body, claim: Claim, claim_type: ClaimType) -> None:
    subscriber = claim.subscriber
    is_patient = claim.patient is None
    body.add(
        "SBR",
        RESPONSIBILITY_CODE[claim.responsibility],
        "18" if is_patient else "",
        subscriber.group_number,
        "",
        "",
        "",
        "",
        "",
        filing_indicator(claim.payer.type, claim_type),
    )
    body.add(
        "NM1",
        "IL",
        "1",
        body.text(subscriber.last_name),
        body.text(subscriber.first_name),
        body.text(subscriber.middle_name),
        "",
        "",
        "MI",
        subscriber.member_id,
    )
    if is_patient:
        if subscriber.address is not None:
            body.address(subscriber.address)
        assert subscriber.birth_date is not None
        body.add("DMG", "D8", subscriber.birth_date.strftime("%Y%m%d"), subscriber.sex.value)
    payer = claim.payer
    body.add("NM1", "PR", "2", body.text(payer.name), "", "", "", "", "PI", payer.id)
    if payer.address is not None:
        body.address(payer.address)


def _patient(body: Body, claim: Claim) -> None:
    patient = claim.patient
    assert patient is not None
    body.add("PAT", RELATIONSHIP_CODE[patient.relationship])
    body.add(
        "NM1",
        "QC",
        "1",
        body.text(patient.last_name),
        body.text(patient.first_name),
        body.text(patient.middle_name),
    )
    address = patient.address or claim.subscriber.address
    assert address is not None
    body.address(address)
    body.add("DMG", "D8", patient.birth_date.strftime("%Y%m%d"), patient.sex.value)
