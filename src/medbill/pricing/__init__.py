"""Pricing: expected allowed amounts from the Medicare Physician Fee Schedule or a payer contract,
and the patient's estimated responsibility.

>>> from medbill.pricing import price_claim  # price_claim(claim, kb=kb) -> (ClaimPrice, findings)
"""

from medbill.pricing.contracts import Contract, Method, Schedule, load_contract, parse_contract
from medbill.pricing.engine import price_claim
from medbill.pricing.model import ClaimPrice, LinePrice, PatientShare, TraceStep
from medbill.pricing.responsibility import Benefits, load_benefits, patient_shares

__all__ = [
    "Benefits",
    "ClaimPrice",
    "Contract",
    "LinePrice",
    "Method",
    "PatientShare",
    "Schedule",
    "TraceStep",
    "load_benefits",
    "load_contract",
    "parse_contract",
    "patient_shares",
    "price_claim",
]
