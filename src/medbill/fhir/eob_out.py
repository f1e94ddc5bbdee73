"""A posted remittance (one CLP of an 835) → a FHIR R4 `ExplanationOfBenefit`: what was billed,
allowed, paid, and every adjustment (CAS group and CARC) at claim and line level."""

import datetime as dt
from decimal import Decimal
from typing import Any

from medbill.core.claim import Claim
from medbill.core.money import ZERO, format_money
from medbill.core.remittance import ClaimPayment
from medbill.fhir.claim_out import CLAIM_TYPE, contained, procedure_system

ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
GROUP = "https://x12.org/codes/claim-adjustment-group-codes"
DENIED_STATUS = {"4"}


def _amount(value: Decimal) -> dict[str, Any]:
    return {"value": float(format_money(value)), "currency": "USD"}


def _adjudications(
    charge: Decimal, paid: Decimal, adjustments: Any, allowed: Decimal | None = None
) -> list[dict[str, Any]]:
    out = [
        {"category": {"coding": [{"system": ADJUDICATION, "code": "submitted"}]}, "amount": _amount(charge)}
    ]
    contractual = sum((a.amount for a in adjustments if a.group.value in ("CO", "PI", "OA")), ZERO)
    eligible = allowed if allowed is not None else charge - contractual
    out.append(
        {"category": {"coding": [{"system": ADJUDICATION, "code": "eligible"}]}, "amount": _amount(eligible)}
    )
    for a in adjustments:
        out.append(
            {
                "category": {"coding": [{"system": GROUP, "code": a.group.value}]},
                "reason": {"coding": [{"system": CARC, "code": a.reason}]},
                "amount": _amount(a.amount),
            }
        )
    out.append(
        {"category": {"coding": [{"system": ADJUDICATION, "code": "benefit"}]}, "amount": _amount(paid)}
    )
    return out


def eob_resource(
    claim: Claim, payment: ClaimPayment, *, paid_on: dt.date | None, trace_number: str
) -> dict[str, Any]:
    """The EOB as JSON, validated by constructing `fhir.resources` ExplanationOfBenefit."""
    from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit

    lines = payment.lines
    items = []
    for n, line in enumerate(lines, start=1):
        items.append(
            {
                "sequence": n,
                "productOrService": {
                    "coding": [{"system": procedure_system(line.procedure), "code": line.procedure}]
                },
                **({"servicedDate": line.service_date.isoformat()} if line.service_date else {}),
                "adjudication": _adjudications(line.charge, line.paid, line.adjustments, line.allowed),
            }
        )
    if not items:  # claim-level only remittance: one item carrying the claim's adjudication
        items.append(
            {
                "sequence": 1,
                "productOrService": {
                    "coding": [
                        {
                            "system": procedure_system(claim.lines[0].procedure),
                            "code": claim.lines[0].procedure,
                        }
                    ]
                },
                "adjudication": _adjudications(payment.charge, payment.paid, payment.adjustments),
            }
        )
    data: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"{claim.claim_id}-{trace_number}".replace("_", "-")[:64],
        "contained": [{k: v for k, v in r.items() if v not in (None, [])} for r in contained(claim)],
        "identifier": [
            {
                "system": "urn:medbill:payer-claim-number",
                "value": payment.payer_claim_number or claim.claim_id,
            }
        ],
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": "#patient"},
        "created": (paid_on or dt.date.today()).isoformat(),
        "insurer": {"reference": "#payer"},
        "provider": {"reference": "#billing"},
        "outcome": "complete" if payment.status not in DENIED_STATUS else "error",
        "insurance": [{"focal": True, "coverage": {"reference": "#coverage"}}],
        "item": items,
        "adjudication": [
            {
                "category": {"coding": [{"system": GROUP, "code": a.group.value}]},
                "reason": {"coding": [{"system": CARC, "code": a.reason}]},
                "amount": _amount(a.amount),
            }
            for a in payment.adjustments
        ]
        or None,
        "total": [
            {
                "category": {"coding": [{"system": ADJUDICATION, "code": "submitted"}]},
                "amount": _amount(payment.charge),
            },
            {
                "category": {"coding": [{"system": ADJUDICATION, "code": "benefit"}]},
                "amount": _amount(payment.paid),
            },
        ],
        "payment": {
            "amount": _amount(payment.paid),
            **({"date": paid_on.isoformat()} if paid_on else {}),
            "identifier": {"value": trace_number},
        },
    }
    if data["adjudication"] is None:
        del data["adjudication"]
    return ExplanationOfBenefit.model_validate(data).model_dump(mode="json", exclude_none=True)
