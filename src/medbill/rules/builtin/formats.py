"""Code format edits that need no code list, and the place-of-service list check.

>>> procedure_kind("99213"), procedure_kind("0591T"), procedure_kind("G0439"), procedure_kind("9921")
('cpt', 'cpt', 'hcpcs', None)
>>> is_icd10cm_form("E11.65"), is_icd10cm_form("S72.001A"), is_icd10cm_form("U07.1"), is_icd10cm_form("E1165X")
(True, True, True, False)
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from medbill.core.claim import ClaimType
from medbill.core.findings import Finding, Severity
from medbill.rules.context import ClaimContext
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import CMS_POS, ICD10CM_TABULAR, X12_837

PACK = Registry()

_CPT = re.compile(r"^(\d{5}|\d{4}[FTUM])$")  # Category I, II (F), III (T), PLA (U), MAAA (M)
_HCPCS = re.compile(r"^[A-EGHJ-MP-V]\d{4}$")  # HCPCS Level II sections (D: dental, CDT)
_ICD10CM = re.compile(r"^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$")


@lru_cache(maxsize=65536)
def procedure_kind(code: str) -> str | None:
    """`cpt` for a CPT-form code, `hcpcs` for a HCPCS Level II code, None when neither."""
    if _CPT.match(code):
        return "cpt"
    if _HCPCS.match(code):
        return "hcpcs"
    return None


@lru_cache(maxsize=65536)
def is_icd10cm_form(code: str) -> bool:
    """True when a code has the ICD-10-CM form (letter, digit, alphanumeric, up to 4 more after the dot)."""
    return bool(_ICD10CM.match(code)) and len(code.replace(".", "")) <= 7


@PACK.rule(
    "procedure.format",
    title="Procedure codes have the CPT or HCPCS Level II form",
    source=X12_837,
    severity=Severity.REJECT,
    pack="procedure",
    fix="Enter the 5-character CPT or HCPCS code (e.g. 99213, 0591T, G0439).",
)
def procedure_format(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each line's procedure is 5 digits, 4 digits and F/T/U/M (CPT), or a letter and 4 digits (HCPCS).
    (An institutional line may carry a revenue code only.)"""
    for line in ctx.lines:
        if line.procedure and procedure_kind(line.procedure) is None:
            yield rule.finding(
                f"Line {line.number}: {line.procedure!r} is neither a CPT nor a HCPCS Level II code.",
                lines=(line.number,),
                codes=(line.procedure,),
                path=f"lines[{line.number - 1}].procedure",
            )


@PACK.rule(
    "icd10cm.format",
    title="Diagnosis codes have the ICD-10-CM form",
    source=ICD10CM_TABULAR,
    severity=Severity.REJECT,
    pack="icd10cm",
    fix="Enter the ICD-10-CM code (3 to 7 characters, e.g. E11.65).",
)
def diagnosis_format(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each diagnosis is 3 to 7 characters: a letter, a digit, then letters or digits."""
    for i, code in enumerate(ctx.claim.diagnoses):
        if not is_icd10cm_form(code):
            yield rule.finding(
                f"Diagnosis {i + 1} {code!r} is not an ICD-10-CM code.", codes=(code,), path=f"diagnoses[{i}]"
            )


@PACK.rule(
    "structure.pos",
    title="Place of service codes are valid on the date of service",
    source=CMS_POS,
    severity=Severity.REJECT,
    pack="structure",
    needs=("pos",),
    claim_types=(ClaimType.PROFESSIONAL,),
    fix="Use the two-digit CMS place-of-service code where the service was performed (e.g. 11 office).",
)
def place_of_service(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The place of service of each line (its own, or the claim's) is in the CMS POS code set."""
    lookup = ctx.ref.pos
    assert lookup is not None
    bad: dict[str, list[int]] = {}
    sources = {}
    for line in ctx.lines:
        pos = ctx.place_of_service(line.line)
        if pos is None:
            continue
        status = lookup.status(pos, ctx.asof(line.date))
        if not status.in_force(ctx.asof(line.date)):
            bad.setdefault(pos, []).append(line.number)
            sources[pos] = status.source
    for pos, lines in bad.items():
        yield rule.finding(
            f"Place of service {pos!r} is not a valid CMS place-of-service code on the date of service.",
            lines=lines,
            codes=(pos,),
            source=sources[pos],
        )


def register(registry: Registry) -> None:
    registry.extend(PACK)
