"""The patient's estimated share of the allowed amounts, from a benefits input.

Applied line by line in claim order: the deductible still to meet is taken first; then the copay
(one per claim, e.g. an office-visit copay) from what remains; then coinsurance on the rest; the
total never exceeds the out-of-pocket maximum still open. Each part is rounded half-up to cents.

Without a benefits input a Medicare payer is assumed to be Part B as usual — 20% coinsurance,
deductible already met (said in a finding) — and other payers leave the patient nothing.

>>> b = Benefits(deductible_remaining=Decimal("50"), coinsurance=Decimal("0.20"))
>>> [s.total for s in patient_shares([Decimal("100.00"), Decimal("30.00")], b)]
[Decimal('60.00'), Decimal('6.00')]
"""

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from medbill.core.errors import InputError
from medbill.core.model import Money
from medbill.core.money import ZERO, money
from medbill.pricing.model import PatientShare

MEDICARE_PART_B_COINSURANCE = Decimal("0.20")


class Benefits(BaseModel):
    """What the patient's plan leaves to the patient. `coinsurance` is a fraction ("0.20") or "20%"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    deductible_remaining: Money = Field(default=ZERO, ge=0)
    copay: Money = Field(default=ZERO, ge=0)
    coinsurance: Decimal = Field(default=ZERO, ge=0, le=1)
    out_of_pocket_remaining: Money | None = Field(default=None, ge=0)

    @field_validator("coinsurance", mode="before")
    @classmethod
    def _percent_text(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().endswith("%"):
            return Decimal(value.strip()[:-1]) / 100
        if isinstance(value, float):
            return Decimal(repr(value))
        return value


def patient_shares(allowed: list[Decimal], benefits: Benefits) -> list[PatientShare]:
    """Split each line's allowed amount into the patient's deductible, copay and coinsurance."""
    deductible_left = benefits.deductible_remaining
    copay_left = benefits.copay
    cap = benefits.out_of_pocket_remaining
    shares = []
    for amount in allowed:
        deductible = min(deductible_left, amount)
        deductible_left -= deductible
        copay = min(copay_left, amount - deductible)
        copay_left -= copay
        coinsurance = money((amount - deductible - copay) * benefits.coinsurance)
        if cap is not None:
            deductible = min(deductible, cap)
            copay = min(copay, cap - deductible)
            coinsurance = min(coinsurance, cap - deductible - copay)
            cap -= deductible + copay + coinsurance
        shares.append(PatientShare(deductible, copay, coinsurance))
    return shares


def load_benefits(path: Path) -> Benefits:
    """Read a benefits YAML/JSON file (`deductible_remaining`, `copay`, `coinsurance`, `out_of_pocket_remaining`)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"benefits {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"benefits {path}: not valid YAML or JSON ({exc})") from None
    try:
        return Benefits.model_validate(data or {})
    except ValidationError as exc:
        problems = tuple(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise InputError(f"benefits {path}: not valid", problems) from None
