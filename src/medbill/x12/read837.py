"""837P / 837I → `Claim`: each 2300 loop becomes one claim, mapped as soon as the loop closes.

The billing provider (2000A), subscriber and payer (2000B), patient (2000C) and the claim's own
loops (2300, 2310x, 2320/2330, 2400, 2410, 2420, 2430) are read into the claim model; a claim that
does not satisfy the model (say, a missing billing provider address) becomes a finding listing
every problem and is skipped. What the model does not carry (pay-to address, occurrence and value
codes, notes, ...) is not read.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from medbill.core.claim import Claim, ClaimType, Frequency, normalise_icd10cm
from medbill.core.findings import Finding, Severity
from medbill.x12.cas import read_cas
from medbill.x12.codes import (
    ACCIDENT_OF,
    DX_ADMITTING,
    DX_OTHER,
    DX_PRINCIPAL,
    ICD9_QUALIFIERS,
    PCS_OTHER,
    PCS_PRINCIPAL,
    RELATIONSHIP_OF,
    RESPONSIBILITY_OF,
    payer_type_of,
)
from medbill.x12.envelope import TransactionSet
from medbill.x12.guide import Guide
from medbill.x12.lexer import Source
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment
from medbill.x12.structure import Loop, StructureParser
from medbill.x12.transactions import sets_of_kind
from medbill.x12.values import Values, parse_period, x12_decimal

KINDS = ("837P", "837I")
_FREQUENCIES = {f.value for f in Frequency}


def read_837(source: Source) -> tuple[list[Claim], list[Finding]]:
    """Read every claim of the 837P/837I transaction sets in ``source``."""
    sink = FindingSink()
    claims = list(iter_837(source, sink))
    return claims, sink.result()


def iter_837(source: Source, sink: FindingSink) -> Iterator[Claim]:
    """Stream claims one 2300 loop at a time; findings go to ``sink``."""
    for kind, guide, transaction in sets_of_kind(source, KINDS, sink):
        yield from map_837(kind, guide, transaction, sink)


def map_837(kind: str, guide: Guide, transaction: TransactionSet, sink: FindingSink) -> Iterator[Claim]:
    mapper = _Mapper(kind, Values(sink, guide.source))
    parser = StructureParser(
        guide, sink, emit=frozenset({"2300"}), detach=frozenset({"2000B", "2000C", "2300"})
    )
    for loop, ancestors in parser.parse(transaction.segments()):
        if loop.id == "2300":
            claim = mapper.claim(loop, ancestors)
            if claim is not None:
                yield claim


def _find(ancestors: tuple[Loop, ...], loop_id: str) -> Loop | None:
    for loop in reversed(ancestors):
        if loop.id == loop_id:
            return loop
    return None


def _address(loop: Loop | None) -> dict[str, Any] | None:
    if loop is None:
        return None
    n3, n4 = loop.first("N3"), loop.first("N4")
    if n3 is None or n4 is None:
        return None
    return {
        "line1": n3.el(1),
        "line2": n3.el(2) or None,
        "city": n4.el(1),
        "state": n4.el(2),
        "zip": n4.el(3),
    }


def _tax_id(ref: Segment | None) -> str:
    if ref is None:
        return ""
    value = ref.el(2)
    if ref.el(1) == "SY" and len(value) == 9 and value.isdigit():
        return f"{value[:3]}-{value[3:5]}-{value[5:]}"
    return value


class _Mapper:
    def __init__(self, kind: str, values: Values) -> None:
        self.kind = kind
        self.type = ClaimType.INSTITUTIONAL if kind == "837I" else ClaimType.PROFESSIONAL
        self.values = values

    def claim(self, loop: Loop, ancestors: tuple[Loop, ...]) -> Claim | None:
        clm = loop.trigger
        billing, subscriber_level = _find(ancestors, "2000A"), _find(ancestors, "2000B")
        if billing is None or subscriber_level is None:
            return None
        data: dict[str, Any] = {"claim_id": clm.el(1), "type": self.type.value}
        data["billing_provider"] = self._billing_provider(billing)
        data.update(self._subscriber(subscriber_level))
        patient_level = _find(ancestors, "2000C")
        if patient_level is not None:
            data["patient"] = self._patient(patient_level)
        data.update(self._claim_fields(loop))
        try:
            return Claim.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
            self.values.sink.add(
                "x12.837.claim_invalid",
                Severity.REJECT,
                f"claim {clm.el(1)!r} cannot be read into the claim model: {problems}",
                clm,
                source=self.values.source,
            )
            return None

    # --- hierarchy -----------------------------------------------------------------------------

    def _billing_provider(self, level: Loop) -> dict[str, Any]:
        name_loop = level.child("2010AA")
        prv = level.first("PRV", "BI")
        data: dict[str, Any] = {"taxonomy": prv.el(3) if prv else None}
        if name_loop is not None:
            nm1 = name_loop.trigger
            name = nm1.el(3) if nm1.el(2) != "1" else " ".join(p for p in (nm1.el(4), nm1.el(3)) if p)
            data.update(
                npi=nm1.el(9),
                name=name,
                address=_address(name_loop),
                tax_id=_tax_id(name_loop.first("REF", "EI") or name_loop.first("REF", "SY")),
            )
        return data

    def _person(self, name_loop: Loop | None) -> dict[str, Any]:
        if name_loop is None:
            return {}
        nm1 = name_loop.trigger
        data: dict[str, Any] = {
            "last_name": nm1.el(3),
            "first_name": nm1.el(4) or None,
            "middle_name": nm1.el(5) or None,
            "address": _address(name_loop),
        }
        dmg = name_loop.first("DMG")
        if dmg is not None:
            data["birth_date"] = self.values.date(dmg, 2, "birth date")
            data["sex"] = dmg.el(3) if dmg.el(3) in ("F", "M", "U") else "U"
        return data

    def _subscriber(self, level: Loop) -> dict[str, Any]:
        sbr = level.first("SBR")
        person_loop = level.child("2010BA")
        subscriber = self._person(person_loop)
        if person_loop is not None:
            subscriber["member_id"] = person_loop.trigger.el(9)
        if sbr is not None and sbr.el(3):
            subscriber["group_number"] = sbr.el(3)
        payer_loop = level.child("2010BB")
        payer: dict[str, Any] = {}
        if payer_loop is not None:
            payer = {
                "id": payer_loop.trigger.el(9),
                "name": payer_loop.trigger.el(3),
                "address": _address(payer_loop),
            }
        if sbr is not None:
            payer["type"] = payer_type_of(sbr.el(9)).value
        return {
            "subscriber": subscriber,
            "payer": payer,
            "responsibility": self._responsibility(sbr),
        }

    def _responsibility(self, sbr: Segment | None) -> str:
        code = sbr.el(1) if sbr is not None else "P"
        responsibility = RESPONSIBILITY_OF.get(code)
        if responsibility is None:
            if sbr is not None:
                self.values.sink.add(
                    "x12.837.payer_sequence",
                    Severity.WARN,
                    f"payer responsibility sequence {code!r} (fourth payer or later) is read as tertiary",
                    sbr,
                    source=self.values.source,
                )
            return "tertiary"
        return responsibility.value

    def _patient(self, level: Loop) -> dict[str, Any]:
        patient = self._person(level.child("2010CA"))
        pat = level.first("PAT")
        relationship = RELATIONSHIP_OF.get(pat.el(1)) if pat is not None else None
        patient["relationship"] = (
            (relationship.value if relationship else "other") if pat is not None else "child"
        )
        return patient

    # --- 2300 ----------------------------------------------------------------------------------

    def _claim_fields(self, loop: Loop) -> dict[str, Any]:
        clm = loop.trigger
        values = self.values
        facility, _, frequency = clm.comp(5, 1), clm.comp(5, 2), clm.comp(5, 3)
        data: dict[str, Any] = {"frequency": frequency if frequency in _FREQUENCIES else "1"}
        statement: tuple[dt.date | None, dt.date | None] = (None, None)
        if self.type == ClaimType.INSTITUTIONAL:
            data["type_of_bill"] = f"0{facility}{frequency}"
            statement_dtp = loop.first("DTP", "434")
            if statement_dtp is not None:
                statement = values.period(statement_dtp, "statement covers period")
            data.update(self._institutional(loop, statement))
        else:
            data["place_of_service"] = facility or None
            data.update(self._professional(loop))
        prior = loop.first("REF", "G1")
        if prior is not None:
            data["prior_authorization"] = prior.el(2)
        original = loop.first("REF", "F8")
        if original is not None:
            data["payer_claim_number"] = original.el(2)
        data.update(self._diagnoses(loop))
        data["other_payers"] = [self._other_payer(other, loop) for other in loop.children("2320")]
        data["other_payers"] = [p for p in data["other_payers"] if p is not None]
        place = facility if self.type == ClaimType.PROFESSIONAL else ""
        data["lines"] = [self._line(line, statement, place) for line in loop.children("2400")]
        return data

    def _professional(self, loop: Loop) -> dict[str, Any]:
        clm = loop.trigger
        values = self.values
        data: dict[str, Any] = {}
        cause = clm.comp(11, 1)
        if cause in ACCIDENT_OF:
            accident: dict[str, Any] = {"type": ACCIDENT_OF[cause], "state": clm.comp(11, 4) or None}
            when = loop.first("DTP", "439")
            if when is not None:
                accident["date"] = values.date(when, 3, "accident date")
            data["accident"] = accident
        onset = loop.first("DTP", "431")
        if onset is not None:
            data["onset_date"] = values.date(onset, 3, "onset date")
        admission = loop.first("DTP", "435")
        if admission is not None:
            data["admission"] = {"date": values.date(admission, 3, "admission date")}
        discharge = loop.first("DTP", "096")
        if discharge is not None:
            data["discharge"] = {"date": values.date(discharge, 3, "discharge date")}
        for child in loop.loops:
            nm1 = child.trigger
            if child.id == "2310A":
                data["referring_provider"] = self._provider(child)
            elif child.id == "2310B":
                data["rendering_provider"] = self._provider(child)
            elif child.id == "2310C":
                data["service_facility"] = self._facility(child, nm1)
        return data

    def _institutional(self, loop: Loop, statement: tuple[dt.date | None, dt.date | None]) -> dict[str, Any]:
        values = self.values
        data: dict[str, Any] = {}
        cl1 = loop.first("CL1")
        admission = loop.first("DTP", "435")
        if admission is not None:
            text = admission.el(3)
            entry: dict[str, Any] = {"date": values.date(admission, 3, "admission date")}
            if admission.el(2) == "DT" and len(text) == 12:
                entry["hour"] = f"{text[8:10]}:{text[10:12]}"
            if cl1 is not None:
                entry.update(type=cl1.el(1) or None, source=cl1.el(2) or None)
            data["admission"] = entry
        status = cl1.el(3) if cl1 is not None else ""
        if status:
            data["patient_status"] = status
        hour = loop.first("DTP", "096")
        # an inpatient stay that ended (any patient status but 30, still a patient) was discharged on the
        # statement's through date; DTP*096 adds the hour
        discharged = hour is not None or (admission is not None and status not in ("", "30"))
        if discharged and statement[1] is not None:
            text = hour.el(3) if hour is not None else ""
            data["discharge"] = {
                "date": statement[1],
                "hour": f"{text[:2]}:{text[2:4]}" if len(text) >= 4 else None,
            }
        for child in loop.loops:
            if child.id == "2310A":
                data["attending_provider"] = self._provider(child)
            elif child.id == "2310D":
                data["rendering_provider"] = self._provider(child)
            elif child.id == "2310E":
                data["service_facility"] = self._facility(child, child.trigger)
            elif child.id == "2310F":
                data["referring_provider"] = self._provider(child)
        return data

    def _provider(self, loop: Loop) -> dict[str, Any]:
        nm1 = loop.trigger
        prv = loop.first("PRV")
        return {
            "npi": nm1.el(9),
            "first_name": nm1.el(4) or None,
            "last_name": nm1.el(3),
            "taxonomy": prv.el(3) if prv is not None else None,
        }

    def _facility(self, loop: Loop, nm1: Segment) -> dict[str, Any]:
        return {"name": nm1.el(3), "npi": nm1.el(9) or None, "address": _address(loop)}

    def _diagnoses(self, loop: Loop) -> dict[str, Any]:
        principal: list[str] = []
        others: list[str] = []
        admitting: str | None = None
        procedures: list[dict[str, Any]] = []
        icd9 = False
        for hi in loop.all("HI"):
            for index in range(1, len(hi.elements)):
                parts = hi.components(index)
                if len(parts) < 2:
                    continue
                qualifier, code = parts[0], parts[1]
                icd9 = icd9 or qualifier in ICD9_QUALIFIERS
                if qualifier in DX_PRINCIPAL:
                    principal.append(code)
                elif qualifier in DX_OTHER:
                    others.append(code)
                elif qualifier in DX_ADMITTING:
                    admitting = code
                elif qualifier in PCS_PRINCIPAL + PCS_OTHER:
                    day, _ = parse_period(
                        parts[2] if len(parts) > 2 else "D8", parts[3] if len(parts) > 3 else ""
                    )
                    procedure = {"code": code, "date": day}
                    if qualifier in PCS_PRINCIPAL:
                        procedures.insert(0, procedure)
                    else:
                        procedures.append(procedure)
        if icd9:
            self.values.sink.add(
                "x12.837.icd9",
                Severity.WARN,
                f"claim {loop.trigger.el(1)!r} reports ICD-9-CM codes (qualifiers BK/BF/...); they are read as "
                "they are, but the claim model and payers expect ICD-10-CM (ABK/ABF) since October 2015",
                loop.trigger,
                source=self.values.source,
            )
        data: dict[str, Any] = {"diagnoses": principal[:1] + others + principal[1:]}
        if admitting:
            data["admitting_diagnosis"] = normalise_icd10cm(admitting)
        if procedures:
            data["procedures"] = procedures
        return data

    # --- 2320/2330 -----------------------------------------------------------------------------

    def _other_payer(self, loop: Loop, claim_loop: Loop) -> dict[str, Any] | None:
        values = self.values
        sbr = loop.trigger
        subscriber_loop, payer_loop = loop.child("2330A"), loop.child("2330B")
        if payer_loop is None:
            return None
        payer_id = payer_loop.trigger.el(9)
        subscriber = self._person(subscriber_loop)
        subscriber.pop("birth_date", None)
        subscriber.pop("sex", None)
        if subscriber_loop is not None:
            subscriber["member_id"] = subscriber_loop.trigger.el(9)
        if sbr.el(3):
            subscriber["group_number"] = sbr.el(3)
        paid = loop.first("AMT", "D")
        relationship = RELATIONSHIP_OF.get(sbr.el(2))
        lines = self._line_adjudications(claim_loop, payer_id)
        when = payer_loop.first("DTP", "573")
        adjudicated = values.date(when, 3, "claim check or remittance date") if when is not None else None
        dates = [line["adjudication_date"] for line in lines if line["adjudication_date"]]
        if adjudicated is None and dates:
            adjudicated = max(dates)
        claim_number = payer_loop.first("REF", "F8")
        return {
            "payer": {
                "id": payer_id,
                "name": payer_loop.trigger.el(3),
                "type": payer_type_of(sbr.el(9)).value,
                "address": _address(payer_loop),
            },
            "responsibility": self._responsibility(sbr),
            "subscriber": subscriber,
            "relationship": relationship.value if relationship else "other",
            "paid": values.amount(paid, 2, "payer paid amount") if paid is not None else Decimal("0"),
            "adjudication_date": adjudicated,
            "payer_claim_number": claim_number.el(2) if claim_number is not None else None,
            "adjustments": [a for seg in loop.all("CAS") for a in read_cas(seg, values)],
            "lines": lines,
        }

    def _line_adjudications(self, claim_loop: Loop, payer_id: str) -> list[dict[str, Any]]:
        values = self.values
        out = []
        for number, line_loop in enumerate(claim_loop.children("2400"), start=1):
            service = line_loop.segments[1] if len(line_loop.segments) > 1 else None
            procedure, modifiers = self._procedure(service)
            units = self._units(service)
            for adjudication in line_loop.children("2430"):
                svd = adjudication.trigger
                if svd.el(1) != payer_id:
                    continue
                parts = svd.components(3)
                adj_procedure = parts[1] if len(parts) > 1 else None
                adj_modifiers = tuple(m for m in parts[2:6] if m)
                adj_units = x12_decimal(svd.el(5))
                when = adjudication.first("DTP", "573")
                same = adj_procedure == procedure and adj_modifiers == modifiers
                out.append(
                    {
                        "line": number,
                        "paid": values.amount(svd, 2, "service line paid amount"),
                        "adjudication_date": values.date(when, 3, "line check or remittance date")
                        if when
                        else None,
                        "procedure": None if same else adj_procedure,
                        "modifiers": () if same else adj_modifiers,
                        "units": None if adj_units == units else adj_units,
                        "adjustments": [a for seg in adjudication.all("CAS") for a in read_cas(seg, values)],
                    }
                )
        return out

    # --- 2400 ----------------------------------------------------------------------------------

    def _procedure(self, service: Segment | None) -> tuple[str, tuple[str, ...]]:
        if service is None:
            return "", ()
        parts = service.components(2 if service.id == "SV2" else 1)
        code = parts[1] if len(parts) > 1 else ""
        return code, tuple(m for m in parts[2:6] if m)

    def _units(self, service: Segment | None) -> Decimal | None:
        if service is None:
            return None
        return x12_decimal(service.el(5 if service.id == "SV2" else 4))

    def _line(
        self, loop: Loop, statement: tuple[dt.date | None, dt.date | None], claim_place: str = ""
    ) -> dict[str, Any]:
        values = self.values
        service = loop.first("SV2" if self.type == ClaimType.INSTITUTIONAL else "SV1")
        procedure, modifiers = self._procedure(service)
        data: dict[str, Any] = {"procedure": procedure, "modifiers": modifiers}
        if service is not None:
            units = values.quantity(service, 5 if service.id == "SV2" else 4, "service unit count")
            data["charge"] = values.amount(
                service, 3 if service.id == "SV2" else 2, "line item charge amount"
            )
            if units is not None:
                data["units"] = units
            if service.id == "SV2":
                data["revenue_code"] = service.el(1)
            else:
                if service.el(5) and service.el(5) != claim_place:
                    data["place_of_service"] = service.el(5)
                pointers = [p for p in service.components(7) if p.isdigit()]
                if pointers:
                    data["diagnosis_pointers"] = [int(p) for p in pointers]
        start, end = statement
        dtp = loop.first("DTP", "472")
        if dtp is not None:
            start, end = values.period(dtp, "service date")
        data["service_date"] = start
        if end is not None and end != start:
            data["service_date_end"] = end
        drug = loop.child("2410")
        lin = drug.trigger if drug is not None else None
        if drug is not None and lin is not None and lin.el(2) == "N4":
            data["ndc"] = lin.el(3)
            ctp = drug.first("CTP")
            if ctp is not None:
                data["ndc_quantity"] = values.quantity(ctp, 4, "drug quantity")
                data["ndc_unit"] = ctp.comp(5, 1) or None
        for child in loop.loops:
            if child.id == ("2420C" if self.type == ClaimType.INSTITUTIONAL else "2420A"):
                data["rendering_provider"] = self._provider(child)
        return data
