"""What E/M leveling answers: the code, the basis (time or MDM) and why, with evidence in the note."""

from dataclasses import dataclass
from typing import Any

from medbill.coding.em.guidelines import Basis, Patient


@dataclass(frozen=True)
class Evidence:
    """Characters `text[start:end]` of the note that documented a value."""

    start: int
    end: int
    text: str
    element: str = ""  # "time", "problems", "data" or "risk"

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "element": self.element}


@dataclass(frozen=True)
class EmLevel:
    """An office/outpatient E/M level and the reason for it.

    `basis` is what the code rests on; `mdm` and `elements_met` describe the MDM (None / empty when
    MDM was not assessed), `minutes` the total time (None when not documented). `time_code` and
    `mdm_code` are what each basis alone supports, so a reader sees both when both were available.
    """

    code: str
    patient: Patient
    basis: Basis
    reason: str
    mdm: str | None = None
    elements_met: tuple[str, ...] = ()
    problems: str | None = None
    data: str | None = None
    risk: str | None = None
    minutes: int | None = None
    time_code: str | None = None
    mdm_code: str | None = None
    notes: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "patient": self.patient.value,
            "basis": self.basis.value,
            "reason": self.reason,
            "mdm": self.mdm,
            "elements_met": list(self.elements_met),
            "elements": {"problems": self.problems, "data": self.data, "risk": self.risk},
            "minutes": self.minutes,
            "time_code": self.time_code,
            "mdm_code": self.mdm_code,
            "notes": list(self.notes),
            "evidence": [e.to_dict() for e in self.evidence],
        }
