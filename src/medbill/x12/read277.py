"""277CA claim acknowledgments → per claim: accepted, rejected or only acknowledged, with the STC codes.

The 277CA hierarchy is information source (payer or clearinghouse, 2000A), information receiver
(the submitter, 2000B, with batch totals), billing provider (2000C) and patient (2000D), under which
each 2200D loop reports one claim: its patient control number (TRN02), status codes (STC), the
payer's claim number (REF*1K), the bill type and service dates, and optionally its lines (2220D).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from medbill.core.findings import Finding
from medbill.core.money import format_money
from medbill.x12.codelists import category_outcome, describe
from medbill.x12.envelope import TransactionSet
from medbill.x12.guide import Guide
from medbill.x12.lexer import Source
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment
from medbill.x12.structure import Loop, StructureParser
from medbill.x12.transactions import sets_of_kind
from medbill.x12.values import Values


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One STC status: category (STC01-1), status code (STC01-2), entity (STC01-3), date, action, amount."""

    category: str
    code: str
    entity: str
    category_text: str
    date: dt.date | None
    action: str
    amount: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "code": self.code,
            "entity": self.entity,
            "category_text": self.category_text,
            "date": self.date.isoformat() if self.date else None,
            "action": self.action,
            "amount": format_money(self.amount) if self.amount is not None else None,
        }


def outcome(statuses: tuple[StatusCode, ...]) -> str:
    """``rejected`` if any status rejects, else ``accepted`` if any accepts, else ``acknowledged``/``other``."""
    outcomes = {category_outcome(s.category) for s in statuses}
    for verdict in ("rejected", "accepted", "acknowledged"):
        if verdict in outcomes:
            return verdict
    return "other"


@dataclass(frozen=True, slots=True)
class LineAcknowledgment:
    procedure: str
    modifiers: tuple[str, ...]
    charge: Decimal | None
    line_item_control_number: str | None
    service_date: dt.date | None
    statuses: tuple[StatusCode, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "modifiers": list(self.modifiers),
            "charge": format_money(self.charge) if self.charge is not None else None,
            "line_item_control_number": self.line_item_control_number,
            "service_date": self.service_date.isoformat() if self.service_date else None,
            "status": outcome(self.statuses),
            "statuses": [s.to_dict() for s in self.statuses],
        }


@dataclass(frozen=True, slots=True)
class ClaimAcknowledgment:
    """One claim's verdict (2200D)."""

    claim_id: str
    status: str
    statuses: tuple[StatusCode, ...]
    charge: Decimal | None
    payer_claim_number: str | None
    clearinghouse_trace_number: str | None
    bill_type: str | None
    service_date: dt.date | None
    service_date_end: dt.date | None
    patient_name: str | None
    patient_id: str | None
    billing_provider: str | None
    billing_provider_id: str | None
    lines: tuple[LineAcknowledgment, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "status": self.status,
            "statuses": [s.to_dict() for s in self.statuses],
            "charge": format_money(self.charge) if self.charge is not None else None,
            "payer_claim_number": self.payer_claim_number,
            "clearinghouse_trace_number": self.clearinghouse_trace_number,
            "bill_type": self.bill_type,
            "service_date": self.service_date.isoformat() if self.service_date else None,
            "service_date_end": self.service_date_end.isoformat() if self.service_date_end else None,
            "patient_name": self.patient_name,
            "patient_id": self.patient_id,
            "billing_provider": self.billing_provider,
            "billing_provider_id": self.billing_provider_id,
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True, slots=True)
class ClaimAcknowledgmentReport:
    """One 277CA transaction set."""

    source_name: str
    source_id: str
    receiver_name: str
    receiver_id: str
    receiver_statuses: tuple[StatusCode, ...]
    claims: tuple[ClaimAcknowledgment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": {"name": self.source_name, "id": self.source_id},
            "receiver": {"name": self.receiver_name, "id": self.receiver_id},
            "receiver_statuses": [s.to_dict() for s in self.receiver_statuses],
            "accepted": sum(1 for c in self.claims if c.status == "accepted"),
            "rejected": sum(1 for c in self.claims if c.status == "rejected"),
            "claims": [c.to_dict() for c in self.claims],
        }


def read_277ca(source: Source) -> tuple[list[ClaimAcknowledgmentReport], list[Finding]]:
    """Read every 277CA transaction set of ``source``."""
    sink = FindingSink()
    out = []
    for _kind, guide, transaction in sets_of_kind(source, ("277CA",), sink):
        report = map_277ca(guide, transaction, sink)
        if report is not None:
            out.append(report)
    return out, sink.result()


def _find(ancestors: tuple[Loop, ...], loop_id: str) -> Loop | None:
    return next((loop for loop in reversed(ancestors) if loop.id == loop_id), None)


def map_277ca(
    guide: Guide, transaction: TransactionSet, sink: FindingSink
) -> ClaimAcknowledgmentReport | None:
    values = Values(sink, guide.source)
    claims: list[ClaimAcknowledgment] = []
    source_loop: Loop | None = None
    receiver_loop: Loop | None = None
    parser = StructureParser(
        guide, sink, emit=frozenset({"2200D", "2000A", "2000B"}), detach=frozenset({"2000D", "2200D"})
    )
    for loop, ancestors in parser.parse(transaction.segments()):
        if loop.id == "2200D":
            claims.append(_claim(loop, ancestors, values))
        elif loop.id == "2000A" and source_loop is None:
            source_loop = loop
        elif loop.id == "2000B" and receiver_loop is None:
            receiver_loop = loop
    source_name = source_nm1 = None
    if source_loop is not None and (name := source_loop.child("2100A")) is not None:
        source_nm1 = name.trigger
        source_name = source_nm1.el(3)
    receiver_nm1 = None
    receiver_statuses: tuple[StatusCode, ...] = ()
    if receiver_loop is not None:
        name = receiver_loop.child("2100B")
        receiver_nm1 = name.trigger if name is not None else None
        trace = receiver_loop.child("2200B")
        if trace is not None:
            receiver_statuses = tuple(_status(seg, values) for seg in trace.all("STC"))
    return ClaimAcknowledgmentReport(
        source_name=source_name or "",
        source_id=source_nm1.el(9) if source_nm1 else "",
        receiver_name=receiver_nm1.el(3) if receiver_nm1 else "",
        receiver_id=receiver_nm1.el(9) if receiver_nm1 else "",
        receiver_statuses=receiver_statuses,
        claims=tuple(claims),
    )


def _status(seg: Segment, values: Values) -> StatusCode:
    category = seg.comp(1, 1)
    return StatusCode(
        category=category,
        code=seg.comp(1, 2),
        entity=seg.comp(1, 3),
        category_text=describe("status_category", category),
        date=values.date(seg, 2, "status information effective date"),
        action=seg.el(3),
        amount=values.optional_amount(seg, 4, "total claim charge amount"),
    )


def _ref(loop: Loop, qualifier: str) -> str | None:
    seg = loop.first("REF", qualifier)
    return seg.el(2) if seg is not None else None


def _claim(loop: Loop, ancestors: tuple[Loop, ...], values: Values) -> ClaimAcknowledgment:
    statuses = tuple(_status(seg, values) for seg in loop.all("STC"))
    patient_level = _find(ancestors, "2000D")
    provider_level = _find(ancestors, "2000C")
    patient = patient_level.child("2100D") if patient_level is not None else None
    provider = provider_level.child("2100C") if provider_level is not None else None
    start = end = None
    dtp = loop.first("DTP", "472")
    if dtp is not None:
        start, end = values.period(dtp, "claim service date")
    refs = {seg.el(1): seg.el(2) for seg in loop.all("REF")}
    lines = []
    for child in loop.children("2220D"):
        svc = child.trigger
        parts = svc.components(1)
        line_date = child.first("DTP", "472")
        lines.append(
            LineAcknowledgment(
                procedure=parts[1] if len(parts) > 1 else "",
                modifiers=tuple(m for m in parts[2:6] if m),
                charge=values.optional_amount(svc, 2, "line item charge amount"),
                line_item_control_number=_ref(child, "FJ"),
                service_date=values.period(line_date, "service line date")[0] if line_date else None,
                statuses=tuple(_status(seg, values) for seg in child.all("STC")),
            )
        )
    name = None
    if patient is not None:
        nm1 = patient.trigger
        name = ", ".join(p for p in (nm1.el(3), " ".join(x for x in (nm1.el(4), nm1.el(5)) if x)) if p)
    return ClaimAcknowledgment(
        claim_id=loop.trigger.el(2),
        status=outcome(statuses),
        statuses=statuses,
        charge=next((s.amount for s in statuses if s.amount is not None), None),
        payer_claim_number=refs.get("1K"),
        clearinghouse_trace_number=refs.get("D9"),
        bill_type=refs.get("BLT"),
        service_date=start,
        service_date_end=end if end != start else None,
        patient_name=name,
        patient_id=patient.trigger.el(9) if patient is not None else None,
        billing_provider=provider.trigger.el(3) if provider is not None else None,
        billing_provider_id=provider.trigger.el(9) if provider is not None else None,
        lines=tuple(lines),
    )
