"""Fixtures for the X12 tests: our synthetic claims, an interchange config, a private control-number store."""

import datetime as dt
import json
from pathlib import Path

import pytest

from medbill.core.claim import Claim
from medbill.x12.config import X12Config
from medbill.x12.control import ControlNumberStore

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 4, 1, 9, 30)


def load_claim(name: str) -> Claim:
    return Claim.model_validate(
        json.loads((FIXTURES / "claims" / f"{name}.json").read_text(encoding="utf-8"))
    )


def all_claims() -> list[Claim]:
    return [load_claim(p.stem) for p in sorted((FIXTURES / "claims").glob("*.json"))]


@pytest.fixture
def claims() -> list[Claim]:
    return all_claims()


@pytest.fixture
def config() -> X12Config:
    return X12Config(
        sender_id="MAPLECLINIC",
        receiver_id="ACMECH",
        usage="T",
        uppercase=False,
        submitter={
            "name": "Maple Street Family Medicine",
            "id": "MAPLE01",
            "contact": {"name": "Billing Office", "phone": "5555550100"},
        },
        receiver={"name": "Acme Clearinghouse", "id": "ACMECH"},
        payer_contact={"name": "EDI Support", "phone": "8005550100"},
        bank={
            "payer_routing": "123456789",
            "payer_account": "99887766",
            "payee_routing": "987654321",
            "payee_account": "11223344",
        },
    )


@pytest.fixture
def store(tmp_path: Path) -> ControlNumberStore:
    return ControlNumberStore(tmp_path / "control-numbers.json")


@pytest.fixture
def samples(mirror: Path) -> Path:
    """The public X12 sample files of the data mirror (shared/data/x12-samples)."""
    folder = mirror / "x12-samples"
    if not folder.is_dir():
        pytest.skip("x12-samples not in the data mirror")
    return folder
