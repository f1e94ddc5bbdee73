"""Which code system a code belongs to, and lookups across systems (for `medbill codes show/validate`).

Formats overlap (`B020ZZZ` could be ICD-10-PCS or a malformed ICD-10-CM code; `A0021` HCPCS or an
ICD-10-CM code without its dot), so a code is looked up in each system its format allows, in the
order ICD-10-CM, ICD-10-PCS, HCPCS, CPT, HCPCS modifier; the first that knows it answers.

>>> candidate_systems("E11.65"), candidate_systems("0DTJ4ZZ"), candidate_systems("99213")
(('icd10cm',), ('icd10pcs',), ('cpt',))
"""

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from medbill.codesets.records import CodeValidation

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt", "modifier")
_ICD = re.compile(r"^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?$")
_PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
_HCPCS = re.compile(r"^[A-V][0-9]{4}$")
_CPT = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU])$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
FORMATS = {"icd10cm": _ICD, "icd10pcs": _PCS, "hcpcs": _HCPCS, "cpt": _CPT, "modifier": _MODIFIER}


def candidate_systems(code: str) -> tuple[str, ...]:
    """Systems whose code format `code` has (dots and spaces ignored except for ICD-10-CM)."""
    key = code.strip().upper()
    plain = key.replace(".", "")
    found = []
    for system, pattern in FORMATS.items():
        probe = key if system == "icd10cm" else plain
        if system != "icd10cm" and "." in key:
            continue
        if pattern.match(probe):
            found.append(system)
    return tuple(found)


def _accessor(kb: "KnowledgeBase", system: str) -> Any:
    return getattr(kb, {"icd10cm": "icd10cm", "icd10pcs": "pcs", "hcpcs": "hcpcs", "cpt": "cpt"}[system])


def _installed(kb: "KnowledgeBase", system: str) -> bool:
    return kb.has("hcpcs" if system == "modifier" else system)


def lookup(kb: "KnowledgeBase", code: str, on: date | None = None, *, system: str | None = None) -> Any:
    """The record of `code` in the first system that knows it (or in `system`), or None."""
    for candidate in (system,) if system else candidate_systems(code):
        if candidate is None or not _installed(kb, candidate):
            continue
        if candidate == "modifier":
            record = kb.hcpcs.modifier(code, on)
        else:
            record = _accessor(kb, candidate).get(code, on)
        if record is not None:
            return record
    return None


def validate(
    kb: "KnowledgeBase", code: str, on: date | None = None, *, system: str | None = None
) -> CodeValidation:
    """Validate `code` in `system`, or in the system its format and the knowledge base point to."""
    systems = (system,) if system else candidate_systems(code)
    if not systems:
        return CodeValidation(
            code,
            "unknown",
            False,
            False,
            "malformed: not the format of an ICD-10-CM, ICD-10-PCS, HCPCS or CPT code",
        )
    first: CodeValidation | None = None
    found: CodeValidation | None = None
    for candidate in systems:
        if candidate == "cpt" and not kb.has("cpt"):
            result = CodeValidation(
                code.strip(),
                "cpt",
                True,
                True,
                "CPT format only: no CPT file installed (see `medbill data add-cpt`); the code was not checked",
                format_only=True,
            )
        elif candidate == "modifier" and code.strip().isdigit():
            result = CodeValidation(
                code.strip(),
                "cpt",
                True,
                False,
                "CPT modifier: format only (CPT modifiers are AMA-licensed and not in the HCPCS file)",
                format_only=True,
            )
        elif not _installed(kb, candidate):
            continue
        elif candidate == "modifier":
            result = kb.hcpcs.validate(code, on, kind="modifier")
        else:
            result = _accessor(kb, candidate).validate(code, on)
        if result.valid and not result.format_only:
            if found is None:
                found = result
            else:
                return replace(
                    found, reason=f"{found.reason} (also a valid {candidate} code: pass --system to choose)"
                )
            continue
        if result.valid and found is None:
            return result
        if first is None or (
            first.reason.startswith("malformed") and not result.reason.startswith("malformed")
        ):
            first = result
    if found is not None:
        return found
    if first is None:
        return CodeValidation(code, systems[0], False, False, f"{systems[0]} is not in the knowledge base")
    return first
