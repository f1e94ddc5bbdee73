"""Builders of synthetic claims and remittances for the A/R tests (no real patient data)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from medbill.core.claim import CasAdjustment, Claim
from medbill.core.remittance import ClaimPayment, Payment, Remittance, ServicePayment

DOS = dt.date(2026, 3, 2)
PAID_ON = dt.date(2026, 3, 30)
PAYER = {"id": "SBX01", "name": "Sandbox Medicare", "type": "medicare"}
SECONDARY_PAYER = {"id": "GAP02", "name": "Sandbox Medigap", "type": "commercial"}


def claim(
    claim_id: str = "PCN-1",
    lines: tuple[tuple[str, str], ...] = (("99213", "120.00"),),
    *,
    last: str = "Tester",
    first: str = "Alex",
    birth: str = "1950-03-01",
    member_id: str = "1EG4TE5MK73",
    payer: dict[str, str] | None = None,
    dos: dt.date = DOS,
    **extra: Any,
) -> Claim:
    data: dict[str, Any] = {
        "claim_id": claim_id,
        "payer": payer or PAYER,
        "billing_provider": {
            "npi": "1234567893",
            "tax_id": "123456789",
            "name": "Synthetic Clinic",
            "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
        },
        "subscriber": {
            "member_id": member_id,
            "last_name": last,
            "first_name": first,
            "birth_date": birth,
            "sex": "F",
            "address": {"line1": "9 Elm St", "city": "Springfield", "state": "IL", "zip": "62704"},
        },
        "diagnoses": ["E11.9"],
        "place_of_service": "11",
        "lines": [
            {"procedure": proc, "charge": amount, "service_date": dos.isoformat(), "place_of_service": "11"}
            for proc, amount in lines
        ],
    }
    data.update(extra)
    return Claim.model_validate(data)


def cas(group: str, reason: str, amount: str) -> CasAdjustment:
    return CasAdjustment.model_validate({"group": group, "reason": reason, "amount": amount})


def svc(
    procedure: str,
    charge: str,
    paid: str,
    *adjustments: CasAdjustment,
    remarks: tuple[str, ...] = (),
    **extra: Any,
) -> ServicePayment:
    return ServicePayment.model_validate(
        {
            "procedure": procedure,
            "charge": charge,
            "paid": paid,
            "service_date": DOS.isoformat(),
            "adjustments": [a.model_dump() for a in adjustments],
            "remarks": list(remarks),
            **extra,
        }
    )


def clp(
    claim_id: str,
    charge: str,
    paid: str,
    *lines: ServicePayment,
    status: str = "1",
    adjustments: tuple[CasAdjustment, ...] = (),
    payer_claim_number: str | None = None,
    patient_responsibility: str = "0",
) -> ClaimPayment:
    return ClaimPayment.model_validate(
        {
            "claim_id": claim_id,
            "status": status,
            "claim_filing_indicator": "MB",
            "charge": charge,
            "paid": paid,
            "patient_responsibility": patient_responsibility,
            "payer_claim_number": payer_claim_number,
            "adjustments": [a.model_dump() for a in adjustments],
            "lines": [line.model_dump() for line in lines],
        }
    )


def remittance(
    *claims: ClaimPayment,
    trace: str = "TRACE-1",
    amount: str | None = None,
    payer_id: str = "SBX01",
    provider_adjustments: tuple[dict[str, Any], ...] = (),
    paid_on: dt.date = PAID_ON,
) -> Remittance:
    total = sum((c.paid for c in claims), Decimal("0")) - sum(
        (Decimal(p["amount"]) for p in provider_adjustments), Decimal("0")
    )
    return Remittance.model_validate(
        {
            "payer": {
                "name": "Sandbox Medicare",
                "id": payer_id,
                "address": {"line1": "1 Payer Way", "city": "Baltimore", "state": "MD", "zip": "21244"},
            },
            "payee": {"name": "Synthetic Clinic", "id": "1234567893", "id_qualifier": "XX"},
            "payment": {
                "amount": amount if amount is not None else str(total),
                "method": "CHK",
                "date": paid_on.isoformat(),
                "trace_number": trace,
                "originator_id": "1" + payer_id,
            },
            "claims": [c.model_dump() for c in claims],
            "provider_adjustments": list(provider_adjustments),
        }
    )


def payment(**fields: Any) -> Payment:
    return Payment.model_validate(fields)


def paid(claim_id: str = "PCN-1", **kw: Any) -> ClaimPayment:
    """A paid office visit (99213 + 36415, $140 charged, $71.43 paid) with its CO-45 and PR-2 shares."""
    return clp(
        claim_id,
        "140.00",
        "71.43",
        svc("99213", "120.00", "61.43", cas("CO", "45", "43.20"), cas("PR", "2", "15.37")),
        svc("36415", "20.00", "10.00", cas("CO", "45", "7.50"), cas("PR", "2", "2.50")),
        **kw,
    )
