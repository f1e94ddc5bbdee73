"""999 implementation acknowledgments → which transaction sets were accepted or rejected, and why.

One `GroupAcknowledgment` per 999 transaction set (it answers one functional group: AK1/AK9), with
a `SetAcknowledgment` per AK2 (IK5 status, IK5 error codes) and the segment (IK3, CTX) and element
(IK4) errors that the receiver found, each with the meaning of its code.
"""

from dataclasses import dataclass, field
from typing import Any

from medbill.core.findings import Finding
from medbill.x12.codelists import describe
from medbill.x12.envelope import TransactionSet
from medbill.x12.guide import Guide
from medbill.x12.lexer import Source
from medbill.x12.report import FindingSink
from medbill.x12.segment import Segment
from medbill.x12.structure import Loop, StructureParser
from medbill.x12.transactions import sets_of_kind

ACCEPTED = frozenset({"A", "E"})


@dataclass(frozen=True, slots=True)
class ElementError:
    """IK4: an error in one data element of the segment in error."""

    position: int | None
    component: int | None
    repetition: int | None
    reference: str
    code: str
    description: str
    value: str


@dataclass(frozen=True, slots=True)
class SegmentError:
    """IK3 (with its CTX context and IK4 element errors): an error in one segment of the set."""

    segment_id: str
    position: int | None
    loop_id: str
    code: str
    description: str
    context: tuple[str, ...] = ()
    elements: tuple[ElementError, ...] = ()


@dataclass(frozen=True, slots=True)
class SetAcknowledgment:
    """AK2 ... IK5: the receiver's verdict on one transaction set it received."""

    transaction_id: str
    control_number: str
    implementation: str
    status: str
    status_text: str
    errors: tuple[tuple[str, str], ...] = ()
    segment_errors: tuple[SegmentError, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED


@dataclass(frozen=True, slots=True)
class GroupAcknowledgment:
    """AK1 ... AK9: the verdict on one functional group, with its transaction sets."""

    functional_id: str
    group_control_number: str
    version: str
    status: str
    status_text: str
    sets_included: int | None
    sets_received: int | None
    sets_accepted: int | None
    errors: tuple[tuple[str, str], ...] = ()
    sets: tuple[SetAcknowledgment, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    def to_dict(self) -> dict[str, Any]:
        return {
            "functional_id": self.functional_id,
            "group_control_number": self.group_control_number,
            "version": self.version,
            "status": self.status,
            "status_text": self.status_text,
            "accepted": self.accepted,
            "sets_included": self.sets_included,
            "sets_received": self.sets_received,
            "sets_accepted": self.sets_accepted,
            "errors": [{"code": c, "description": d} for c, d in self.errors],
            "sets": [
                {
                    "transaction_id": s.transaction_id,
                    "control_number": s.control_number,
                    "implementation": s.implementation,
                    "status": s.status,
                    "status_text": s.status_text,
                    "accepted": s.accepted,
                    "errors": [{"code": c, "description": d} for c, d in s.errors],
                    "segment_errors": [
                        {
                            "segment_id": e.segment_id,
                            "position": e.position,
                            "loop_id": e.loop_id,
                            "code": e.code,
                            "description": e.description,
                            "context": list(e.context),
                            "elements": [
                                {
                                    "position": x.position,
                                    "component": x.component,
                                    "repetition": x.repetition,
                                    "reference": x.reference,
                                    "code": x.code,
                                    "description": x.description,
                                    "value": x.value,
                                }
                                for x in e.elements
                            ],
                        }
                        for e in s.segment_errors
                    ],
                }
                for s in self.sets
            ],
        }


def read_999(source: Source) -> tuple[list[GroupAcknowledgment], list[Finding]]:
    """Read every 999 transaction set of ``source``."""
    sink = FindingSink()
    out = []
    for _kind, guide, transaction in sets_of_kind(source, ("999",), sink):
        acknowledgment = map_999(guide, transaction, sink)
        if acknowledgment is not None:
            out.append(acknowledgment)
    return out, sink.result()


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _codes(seg: Segment | None, first: int, last: int, code_list: str) -> tuple[tuple[str, str], ...]:
    if seg is None:
        return ()
    return tuple((seg.el(i), describe(code_list, seg.el(i))) for i in range(first, last + 1) if seg.el(i))


def map_999(guide: Guide, transaction: TransactionSet, sink: FindingSink) -> GroupAcknowledgment | None:
    root: Loop | None = None
    for loop, ancestors in StructureParser(guide, sink).parse(transaction.segments()):
        if not ancestors:
            root = loop
    if root is None:
        return None
    ak1, ak9 = root.first("AK1"), root.first("AK9")
    status = ak9.el(1) if ak9 is not None else ""
    return GroupAcknowledgment(
        functional_id=ak1.el(1) if ak1 else "",
        group_control_number=ak1.el(2) if ak1 else "",
        version=ak1.el(3) if ak1 else "",
        status=status,
        status_text=describe("ack_status", status) if status else "",
        sets_included=_int(ak9.el(2)) if ak9 else None,
        sets_received=_int(ak9.el(3)) if ak9 else None,
        sets_accepted=_int(ak9.el(4)) if ak9 else None,
        errors=_codes(ak9, 5, 9, "group_error"),
        sets=tuple(_set(loop) for loop in root.children("2000")),
    )


def _set(loop: Loop) -> SetAcknowledgment:
    ak2 = loop.trigger
    ik5 = loop.first("IK5")
    status = ik5.el(1) if ik5 is not None else ""
    return SetAcknowledgment(
        transaction_id=ak2.el(1),
        control_number=ak2.el(2),
        implementation=ak2.el(3),
        status=status,
        status_text=describe("ack_status", status) if status else "",
        errors=_codes(ik5, 2, 6, "set_error"),
        segment_errors=tuple(_segment_error(child) for child in loop.children("2100")),
    )


def _segment_error(loop: Loop) -> SegmentError:
    ik3 = loop.trigger
    elements = []
    for child in loop.children("2110"):
        ik4 = child.trigger
        parts = ik4.components(1)
        elements.append(
            ElementError(
                position=_int(parts[0]) if parts else None,
                component=_int(parts[1]) if len(parts) > 1 else None,
                repetition=_int(parts[2]) if len(parts) > 2 else None,
                reference=ik4.el(2),
                code=ik4.el(3),
                description=describe("element_error", ik4.el(3)),
                value=ik4.el(4),
            )
        )
    return SegmentError(
        segment_id=ik3.el(1),
        position=_int(ik3.el(2)),
        loop_id=ik3.el(3),
        code=ik3.el(4),
        description=describe("segment_error", ik3.el(4)) if ik3.el(4) else "",
        context=tuple(seg.render() for seg in loop.all("CTX")),
        elements=tuple(elements),
    )
