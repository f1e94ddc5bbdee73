"""Working state of one line while a claim is priced (internal to the engine).

A line is paid as a list of `Unit`s — one per paid unit — each with its amount so far and the
parts the multiple-procedure rules reduce (professional and technical components, practice
expense). Rules across lines rank and reduce these units; the line's allowed amount is their sum,
rounded half-up to cents once, at the end.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from medbill.codesets.mpfs import RvuRecord
from medbill.core.claim import ServiceLine
from medbill.core.money import ZERO
from medbill.pricing.contracts import Schedule
from medbill.pricing.model import TraceStep


@dataclass(slots=True)
class Unit:
    """One paid unit: its amount and the component parts the reductions apply to (all × factor)."""

    amount: Decimal
    pc: Decimal = ZERO
    tc: Decimal = ZERO
    pe: Decimal = ZERO


@dataclass(slots=True, eq=False)
class LineWork:
    """A line being priced. `fee` is the one-unit fee schedule amount (or contract fee) in cents;
    `unreduced` is the line's amount before the rules across lines (bilateral pairs, multiple
    procedures, component reductions)."""

    number: int
    line: ServiceLine
    provider: str
    row: RvuRecord | None = None
    fee: Decimal | None = None
    factor: Decimal = Decimal("1")
    units: list[Unit] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    priced: bool = False
    basis: str = "MPFS"
    unreduced: Decimal = ZERO
    schedule: Schedule | None = None
    medicare_rules: bool = True
    """False when a contract's fee table or % of charges, not the MPFS, sets the amount."""
    payable: bool = False

    @property
    def date(self) -> dt.date:
        return self.line.service_date

    @property
    def group(self) -> tuple[dt.date, str]:
        """Multiple-procedure rules apply to services on one day by one provider."""
        return self.line.service_date, self.provider

    @property
    def mult(self) -> str:
        return self.row.mult_proc if self.row else ""

    @property
    def amount(self) -> Decimal:
        return sum((unit.amount for unit in self.units), ZERO)

    def note(self, item: str, value: str, note: str = "", source: str = "") -> None:
        self.trace.append(TraceStep(item, value, source, note))
