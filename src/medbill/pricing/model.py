"""What pricing returns: a priced claim, its priced lines, and the trace of every number used.

The JSON form (`ClaimPrice.to_dict`) is a public contract other tools read:
`{"claim_id", "lines": [{"line", "procedure", "modifiers", "allowed", "trace": [...]}],
"total_allowed", "patient_responsibility"}`, amounts as strings with two decimals. Each trace
entry is `{"item", "value"}` plus `"source"` (release, file and key the number came from) and
`"note"` when there is one.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medbill.core.money import ZERO, format_money


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One number used in pricing a line, and where it came from."""

    item: str
    value: str
    source: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"item": self.item, "value": self.value}
        if self.source:
            data["source"] = self.source
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class PatientShare:
    """The patient's estimated part of one line's allowed amount."""

    deductible: Decimal = ZERO
    copay: Decimal = ZERO
    coinsurance: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.deductible + self.copay + self.coinsurance


@dataclass(frozen=True, slots=True)
class LinePrice:
    """The expected allowed amount of one service line.

    `priced` is False when no amount could be estimated (carrier-priced, unknown code, no
    locality): `allowed` is then 0.00 and a finding says why. `basis` names the fee schedule or
    contract that set the amount.
    """

    line: int
    procedure: str
    modifiers: tuple[str, ...]
    units: Decimal
    charge: Decimal
    allowed: Decimal
    priced: bool
    basis: str
    trace: tuple[TraceStep, ...] = ()
    patient: PatientShare = field(default_factory=PatientShare)
    reduction: Decimal = ZERO

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "procedure": self.procedure,
            "modifiers": list(self.modifiers),
            "allowed": format_money(self.allowed),
            "trace": [step.to_dict() for step in self.trace],
        }


@dataclass(frozen=True, slots=True)
class ClaimPrice:
    """A priced claim: its lines, the total allowed and the patient's estimated responsibility."""

    claim_id: str
    lines: tuple[LinePrice, ...]

    @property
    def total_allowed(self) -> Decimal:
        return sum((line.allowed for line in self.lines), ZERO)

    @property
    def patient_responsibility(self) -> Decimal:
        return sum((line.patient.total for line in self.lines), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "lines": [line.to_dict() for line in self.lines],
            "total_allowed": format_money(self.total_allowed),
            "patient_responsibility": format_money(self.patient_responsibility),
        }
