"""Writing X12: segments from Python values, and the ISA/GS/ST envelopes around transaction bodies.

`Body` collects the segments of one transaction set; values are cleaned so that no delimiter can
leak into the data (a delimiter character inside a name becomes a space) and trailing empty
elements and components are dropped, as X12 requires. `render_interchange` wraps bodies in ST/SE,
GS/GE and ISA/IEA with the counts and control numbers filled in.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from medbill.core.claim import Address
from medbill.x12.config import X12Config
from medbill.x12.delimiters import Delimiters

Element = str | Sequence[str] | None


@dataclass
class Body:
    """The segments of one transaction set body (between ST and SE), as element lists."""

    delimiters: Delimiters
    uppercase: bool = False
    segments: list[list[str]] = field(default_factory=list)

    def clean(self, value: str) -> str:
        """``value`` with delimiter characters and line breaks replaced by spaces."""
        d = self.delimiters
        for char in (d.element, d.component, d.segment, d.repetition or "", "\r", "\n"):
            if char and char in value:
                value = value.replace(char, " ")
        return " ".join(value.split()) if "  " in value else value.strip()

    def text(self, value: str | None) -> str:
        """A name or address: cleaned, upper case when the config asks for it."""
        if not value:
            return ""
        cleaned = self.clean(value)
        return cleaned.upper() if self.uppercase else cleaned

    def address(self, address: Address) -> None:
        """N3 and N4 for an address (the ZIP code without its dash)."""
        self.add("N3", self.text(address.line1), self.text(address.line2))
        self.add("N4", self.text(address.city), address.state.upper(), address.zip.replace("-", ""))

    def add(self, seg_id: str, *elements: Element) -> None:
        values = [seg_id]
        for element in elements:
            if element is None:
                values.append("")
            elif isinstance(element, str):
                values.append(self.clean(element))
            else:
                parts = [self.clean(part) for part in element]
                while parts and parts[-1] == "":
                    parts.pop()
                values.append(self.delimiters.component.join(parts))
        while len(values) > 1 and values[-1] == "":
            values.pop()
        self.segments.append(values)


@dataclass(frozen=True)
class TransactionBody:
    transaction_id: str
    control_number: str
    implementation: str
    body: Body


@dataclass(frozen=True)
class GroupOut:
    functional_id: str
    version: str
    control_number: int
    transactions: list[TransactionBody]


def render_interchange(
    config: X12Config, control_number: int, groups: list[GroupOut], now: dt.datetime
) -> str:
    """The whole interchange text."""
    d = config.delimiters
    end = d.segment + ("\n" if config.line_breaks else "")
    e = d.element
    lines: list[str] = []
    isa = [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        config.sender_qualifier,
        config.sender_id.ljust(15),
        config.receiver_qualifier,
        config.receiver_id.ljust(15),
        now.strftime("%y%m%d"),
        now.strftime("%H%M"),
        d.repetition or "^",
        "00501",
        f"{control_number:09d}",
        "1" if config.acknowledgment_requested else "0",
        config.usage,
        d.component,
    ]
    lines.append(e.join(isa))
    for group in groups:
        lines.append(
            e.join(
                [
                    "GS",
                    group.functional_id,
                    config.application_sender or config.sender_id,
                    config.application_receiver or config.receiver_id,
                    now.strftime("%Y%m%d"),
                    now.strftime("%H%M"),
                    str(group.control_number),
                    "X",
                    group.version,
                ]
            )
        )
        for transaction in group.transactions:
            header = ["ST", transaction.transaction_id, transaction.control_number]
            if transaction.implementation:
                header.append(transaction.implementation)
            lines.append(e.join(header))
            lines.extend(e.join(values) for values in transaction.body.segments)
            lines.append(e.join(["SE", str(len(transaction.body.segments) + 2), transaction.control_number]))
        lines.append(e.join(["GE", str(len(group.transactions)), str(group.control_number)]))
    lines.append(e.join(["IEA", str(len(groups)), f"{control_number:09d}"]))
    return end.join(lines) + end
