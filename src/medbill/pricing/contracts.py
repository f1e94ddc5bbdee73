"""Payer contracts as data: effective-dated schedules of % of Medicare, fixed fees, or % of charges.

A contract file (YAML) lists schedules; for each line the first schedule in force on the date of
service that covers the code is used:

```yaml
id: acme-ppo-2026
name: ACME PPO professional fees
payers: ["ACME01"]          # payer ids (claim payer.id) the contract is for; empty = any
lesser_of_charge: true      # pay the lower of the charge and the contract amount (default)
schedules:
  - method: fee_table        # a fixed fee per unit, by code or code-modifier
    start: 2026-01-01
    end: 2026-12-31
    fees: {"99213": "110.00", "71046-26": "14.00"}
    apply_payment_policies: true   # bilateral, assistant, co-surgeon, multiple procedure rules
  - method: percent_of_medicare
    start: 2026-01-01
    percent: "125"
    codes: ["10000-69999"]   # optional: codes or inclusive ranges this schedule covers
  - method: percent_of_charges
    start: 2025-01-01
    percent: "60"
```
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from medbill.core.errors import InputError
from medbill.core.model import Money


class Method(StrEnum):
    PERCENT_OF_MEDICARE = "percent_of_medicare"
    FEE_TABLE = "fee_table"
    PERCENT_OF_CHARGES = "percent_of_charges"


class Schedule(BaseModel):
    """One effective-dated way of paying (some) codes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: Method
    start: dt.date
    end: dt.date | None = None
    percent: Decimal | None = Field(default=None, ge=0)
    fees: dict[str, Money] = Field(default_factory=dict)
    codes: tuple[str, ...] = ()
    apply_payment_policies: bool = True
    name: str = ""

    @field_validator("fees")
    @classmethod
    def _upper_keys(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return {key.strip().upper(): fee for key, fee in value.items()}

    @model_validator(mode="after")
    def _complete(self) -> "Schedule":
        if self.method is Method.FEE_TABLE and not self.fees:
            raise ValueError("a fee_table schedule needs fees")
        if self.method is not Method.FEE_TABLE and self.percent is None:
            raise ValueError(f"a {self.method.value} schedule needs percent")
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self

    def in_force(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)

    def covers(self, code: str) -> bool:
        """Whether `codes` (codes or `LOW-HIGH` ranges of equal length) includes `code`; no codes = all."""
        if not self.codes:
            return True
        for entry in self.codes:
            low, _, high = entry.strip().upper().partition("-")
            if code == low or (high and len(low) == len(high) == len(code) and low <= code <= high):
                return True
        return False

    def fee(self, code: str, modifiers: tuple[str, ...]) -> Decimal | None:
        """The fixed fee for a code: `code-modifier` for the first modifier that has one, else `code`."""
        for modifier in modifiers:
            found = self.fees.get(f"{code}-{modifier}")
            if found is not None:
                return found
        return self.fees.get(code)

    @property
    def label(self) -> str:
        period = f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"
        return f"{self.name or self.method.value} ({period})"


class Contract(BaseModel):
    """A payer contract: schedules tried in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    name: str = ""
    payers: tuple[str, ...] = ()
    lesser_of_charge: bool = True
    schedules: tuple[Schedule, ...] = Field(min_length=1)

    def schedule_for(self, code: str, modifiers: tuple[str, ...], on: dt.date) -> Schedule | None:
        """The first schedule in force on `on` that covers the code (a fee table: that has a fee for it)."""
        for schedule in self.schedules:
            if not schedule.in_force(on) or not schedule.covers(code):
                continue
            if schedule.method is Method.FEE_TABLE and schedule.fee(code, modifiers) is None:
                continue
            return schedule
        return None


def load_contract(path: Path) -> Contract:
    """Read a contract YAML file; problems are an `InputError` naming the file and each field."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"contract {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"contract {path}: not valid YAML ({exc})") from None
    return parse_contract(data, str(path))


def parse_contract(data: Any, where: str = "contract") -> Contract:
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        problems = tuple(
            f"{'.'.join(str(p) for p in error['loc']) or '(top)'}: {error['msg']}" for error in exc.errors()
        )
        raise InputError(f"{where}: not a valid contract", problems) from None
