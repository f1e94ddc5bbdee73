"""Core values: money never loses a cent, claims validate with paths, findings serialise."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from medbill.core import EffectiveRange, Finding, Severity, Source, money
from medbill.core.claim import Claim, normalise_icd10cm
from medbill.core.money import x12_amount

CLAIM = {
    "claim_id": "PCN-1",
    "payer": {"id": "00435", "name": "Medicare Part B", "type": "medicare"},
    "billing_provider": {
        "npi": "1234567893",
        "tax_id": "123456789",
        "name": "Clinic",
        "address": {"line1": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
    },
    "subscriber": {
        "member_id": "1EG4TE5MK73",
        "last_name": "Doe",
        "first_name": "Jane",
        "birth_date": "1950-03-01",
        "sex": "F",
    },
    "diagnoses": ["e1122", "n18.31"],
    "lines": [
        {"procedure": "99214", "charge": "125.50", "service_date": "2026-04-02", "diagnosis_pointers": [1, 2]}
    ],
}


def test_money_refuses_floats_and_rounds_half_up() -> None:
    assert money("0.125") == Decimal("0.13")
    with pytest.raises(ValueError, match="float"):
        money(0.1)  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_x12_amount_round_trips(amount: Decimal) -> None:
    assert money(x12_amount(amount)) == money(amount)


def test_claim_reads_json_and_normalises_codes() -> None:
    claim = Claim.model_validate(CLAIM)
    assert claim.diagnoses == ("E11.22", "N18.31")
    assert claim.total_charge == Decimal("125.50")
    assert claim.model_dump(mode="json")["lines"][0]["charge"] == "125.50"


def test_claim_errors_name_every_path() -> None:
    bad = dict(CLAIM, lines=[{"procedure": "99214", "charge": "abc", "service_date": "2026-02-30"}])
    bad.pop("payer")
    with pytest.raises(ValidationError) as info:
        Claim.model_validate(bad)
    paths = {".".join(str(p) for p in e["loc"]) for e in info.value.errors()}
    assert {"payer", "lines.0.charge", "lines.0.service_date"} <= paths


def test_claims_are_frozen() -> None:
    claim = Claim.model_validate(CLAIM)
    with pytest.raises(ValidationError):
        claim.claim_id = "other"  # type: ignore[misc]


def test_effective_range_and_finding() -> None:
    rng = EffectiveRange(date(2026, 4, 1))
    assert rng.contains(date(2030, 1, 1))
    assert not rng.contains(date(2026, 3, 31))
    finding = Finding(
        "mue.units", Severity.DENY, "too many units", lines=(1,), source=Source("CMS NCCI MUE", "2026Q2")
    )
    assert finding.to_dict()["source"]["release"] == "2026Q2"
    assert normalise_icd10cm("z8031") == "Z80.31"
