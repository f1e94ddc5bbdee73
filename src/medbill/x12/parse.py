"""Read any X12 file: detect each transaction set's kind and map it (`medbill edi parse`).

837P/837I become claims, 835 remittances, 999 acknowledgments, 277CA claim acknowledgments; other
transactions (270/271/276/277, ...) are reported by kind and segment count. The JSON document has
``type`` (the kind, or ``mixed``) and one list per kind found; the 835 part has the shape other
tools depend on (amounts as strings with two decimals).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from medbill.core.findings import Finding
from medbill.core.money import format_money
from medbill.core.remittance import Remittance
from medbill.x12.detect import has_guide
from medbill.x12.envelope import NOT_X12, EnvelopeReader
from medbill.x12.guide import load_guide
from medbill.x12.lexer import Source
from medbill.x12.read277 import map_277ca
from medbill.x12.read835 import map_835
from medbill.x12.read837 import map_837
from medbill.x12.read999 import map_999
from medbill.x12.report import FindingSink
from medbill.x12.transactions import check_convention, kinds
from medbill.x12.values import x12_number


@dataclass
class ParseResult:
    """What a file held: its kinds in order, the JSON-ready document, findings, and whether it was X12 at all."""

    kinds: list[str] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    fatal: bool = False
    segments: int = 0


def parse_x12(source: Source, *, on_set: Callable[[int], None] | None = None) -> ParseResult:
    """Parse every transaction set of ``source``; ``on_set(segments_read)`` is called after each set."""
    sink = FindingSink()
    reader = EnvelopeReader(source, sink=sink)
    result = ParseResult()
    lists: dict[str, list[Any]] = {}
    for kind, transaction in kinds(reader):
        result.kinds.append(kind)
        if not has_guide(kind):
            count = sum(1 for _ in transaction.segments())
            lists.setdefault("transaction_sets", []).append(
                {
                    "type": kind,
                    "control_number": transaction.control_number,
                    "implementation": transaction.implementation,
                    "segments": count,
                }
            )
        else:
            guide = load_guide(kind)
            check_convention(guide, transaction, sink)
            if kind == "835":
                remittance = map_835(guide, transaction, sink)
                if remittance is not None:
                    lists.setdefault("transactions", []).append(remittance_json(remittance))
            elif kind in ("837P", "837I"):
                lists.setdefault("claims", []).extend(
                    c.model_dump(mode="json") for c in map_837(kind, guide, transaction, sink)
                )
            elif kind == "999":
                acknowledgment = map_999(guide, transaction, sink)
                if acknowledgment is not None:
                    lists.setdefault("acknowledgments", []).append(acknowledgment.to_dict())
            elif kind == "277CA":
                report = map_277ca(guide, transaction, sink)
                if report is not None:
                    lists.setdefault("reports", []).append(report.to_dict())
        if on_set is not None:
            on_set(reader.segments_read)
    distinct = list(dict.fromkeys(result.kinds))
    result.document = {"type": distinct[0] if len(distinct) == 1 else ("mixed" if distinct else None)}
    if len(distinct) > 1:
        result.document["types"] = distinct
    result.document.update(lists)
    result.findings = sink.result()
    result.fatal = reader.fatal or any(f.rule == NOT_X12 for f in result.findings)
    result.segments = reader.segments_read
    result.document["findings"] = [f.to_dict() for f in result.findings]
    return result


def _money(value: Any) -> str | None:
    return format_money(value) if value is not None else None


def _adjustments(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "group": a.group.value,
            "reason": a.reason,
            "amount": format_money(a.amount),
            "quantity": x12_number(a.quantity) if a.quantity is not None else None,
        }
        for a in items
    ]


def remittance_json(remittance: Remittance) -> dict[str, Any]:
    """One 835 transaction set in the public JSON shape of `medbill edi parse --json`."""
    payment = remittance.payment
    return {
        "payer": remittance.payer.model_dump(mode="json"),
        "payee": remittance.payee.model_dump(mode="json"),
        "payment": {
            "amount": format_money(payment.amount),
            "method": payment.method,
            "date": payment.date.isoformat() if payment.date else None,
            "trace_number": payment.trace_number,
        },
        "claims": [
            {
                "claim_id": claim.claim_id,
                "status": claim.status,
                "charge": format_money(claim.charge),
                "paid": format_money(claim.paid),
                "patient_responsibility": format_money(claim.patient_responsibility),
                "payer_claim_number": claim.payer_claim_number,
                "adjustments": _adjustments(claim.adjustments),
                "lines": [
                    {
                        "procedure": line.procedure,
                        "modifiers": list(line.modifiers),
                        "charge": format_money(line.charge),
                        "paid": format_money(line.paid),
                        "units": x12_number(line.units) if line.units is not None else None,
                        "service_date": line.service_date.isoformat() if line.service_date else None,
                        "adjustments": _adjustments(line.adjustments),
                        "remarks": list(line.remarks),
                    }
                    for line in claim.lines
                ],
            }
            for claim in remittance.claims
        ],
        "provider_adjustments": [
            {
                "provider_id": a.provider_id,
                "fiscal_period_date": a.fiscal_period_date.isoformat() if a.fiscal_period_date else None,
                "reason": a.reason,
                "reference": a.reference,
                "amount": format_money(a.amount),
            }
            for a in remittance.provider_adjustments
        ],
    }
