"""E/M leveling for office/outpatient visits (99202–99205 new, 99212–99215 established), AMA 2021+.

A level rests on total time on the date of the encounter or on medical decision making (MDM: two of
three elements — problems, data, risk), whichever supports the higher level. Codes, minimums and
the words a note uses are data (`coding/data/em.yaml`).

>>> level("established", minutes=40).code
'99215'
>>> r = level_from_note("Spent 35 minutes. Two chronic stable conditions; refilled metformin.", patient="new")
>>> r.code, r.basis.value
('99204', 'mdm')
>>> level_from_note("Patient feels well.", patient="new") is None
True
"""

from dataclasses import replace

from medbill.coding.em.guidelines import ELEMENTS, Basis, Guidelines, Patient, patient_of
from medbill.coding.em.leveling import NoBillableLevel, level
from medbill.coding.em.note import NoteFindings, read_note
from medbill.coding.em.result import EmLevel, Evidence
from medbill.core.errors import InputError

__all__ = [
    "Basis",
    "EmLevel",
    "Evidence",
    "Guidelines",
    "NoBillableLevel",
    "NoteFindings",
    "Patient",
    "assess_note",
    "level",
    "level_from_note",
    "read_note",
]


class NothingDocumented(InputError):
    """The note documents neither total time nor any MDM element."""


def assess_note(text: str, patient: Patient | str) -> EmLevel:
    """The level `text` supports; NothingDocumented or NoBillableLevel (both InputError) say why not.

    MDM elements the note is silent on count as minimal; the reason lists what was found.
    """
    who = patient_of(patient)
    found = read_note(text)
    if found.minutes is None and not found.documents_mdm:
        raise NothingDocumented(
            "the note documents neither total time (e.g. 'total time 30 minutes') nor MDM elements "
            "(problems addressed, data reviewed, risk of management)"
        )
    if found.documents_mdm:
        result = level(
            who,
            minutes=found.minutes,
            problems=found.problems or 0,
            data=found.data or 0,
            risk=found.risk or 0,
            evidence=found.evidence,
        )
    else:
        result = level(who, minutes=found.minutes, evidence=found.evidence)
    silent = [e for e in ELEMENTS if found.documents_mdm and getattr(found, e) is None]
    documented = list(found.details) + [f"{e} not documented (minimal)" for e in silent]
    if not documented:
        return result
    return replace(result, reason=f"{result.reason}. From the note: {'; '.join(documented)}")


def level_from_note(text: str, patient: Patient | str = Patient.ESTABLISHED) -> EmLevel | None:
    """The level `text` supports, or None when it documents neither time nor MDM elements (or only
    a total time below every minimum). A bad `patient` still raises InputError."""
    try:
        return assess_note(text, patient)
    except (NothingDocumented, NoBillableLevel):
        return None
