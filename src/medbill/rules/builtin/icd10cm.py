"""ICD-10-CM edits: valid and billable on the date of service, Excludes1 pairs, first-listed codes.

Which CMS MCE lists apply where (MCE = the Medicare Code Editor, an inpatient editor):

| list | applied to |
|---|---|
| 2 external cause as principal | every claim: the ICD-10-CM guidelines forbid a V-Y code first-listed in any setting |
| 4 age conflict (newborn, pediatric, maternity, adult) | every claim: the age ranges are clinical facts; the outpatient code editor applies the same lists |
| 6 manifestation as principal | every claim: manifestations follow their etiology in every setting |
| 9 unacceptable principal diagnosis | **inpatient only**: many of its codes (e.g. Z00.00) are correct first-listed codes of an office visit |

The MCE sex-conflict edit (5) was deactivated on 2024-10-01; `icd10cm.sex` keeps the check as a
warning from the Tabular's sex-specific chapters and blocks.
"""

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from medbill.core.claim import ClaimType, Sex
from medbill.core.findings import Finding, Severity
from medbill.rules.builtin.formats import is_icd10cm_form
from medbill.rules.context import ClaimContext
from medbill.rules.reference import DxInfo
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import ICD10CM_GUIDELINES, ICD10CM_TABULAR, ICD10PCS, MCE

PACK = Registry()
MAX_LISTED_CHILDREN = 8


def _diagnosis_dates(ctx: ClaimContext) -> list[tuple[int, str, list[dt.date]]]:
    """(position, code, dates) for each diagnosis: the dates of the lines pointing at it, else the claim's."""
    default = ctx.service_date
    if default is not None and (ctx.inpatient or all(line.date == default for line in ctx.lines)):
        only = [ctx.asof(default)]  # one date of service (or an inpatient stay): every code on it
        return [(position, code, only) for position, code in enumerate(ctx.claim.diagnoses, 1)]
    dates: dict[int, set[dt.date]] = {}
    if not ctx.inpatient:
        for line in ctx.lines:
            for pointer in line.line.diagnosis_pointers:
                dates.setdefault(pointer, set()).add(ctx.asof(line.date))
    result = []
    for position, code in enumerate(ctx.claim.diagnoses, 1):
        found = sorted(dates.get(position, ()))
        if not found and default is not None:
            found = [ctx.asof(default)]
        result.append((position, code, found))
    return result


@PACK.rule(
    "icd10cm.valid",
    title="Diagnoses are valid, billable ICD-10-CM codes on the date of service",
    source=ICD10CM_TABULAR,
    severity=Severity.REJECT,
    pack="icd10cm",
    needs=("icd10cm",),
    fix="Code to the highest specificity: a billable code of the release in force on the date of service.",
)
def valid(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each diagnosis is in the ICD-10-CM Tabular in force on the dates of the lines that point at it,
    and is billable (a header is not; the finding lists its codes)."""
    lookup = ctx.ref.icd10cm
    assert lookup is not None
    for position, code, dates in _diagnosis_dates(ctx):
        if not is_icd10cm_form(code):
            continue  # icd10cm.format reports it
        for on in sorted(dates, key=lambda day: not lookup.covers(day)):  # dates a release covers first
            info = lookup.get(code, on)
            if info is None:
                yield rule.finding(
                    f"Diagnosis {position} {code} is not an ICD-10-CM code on {on.isoformat()}.",
                    severity=None if lookup.covers(on) else Severity.WARN,
                    codes=(code,),
                    source=lookup.source(on),
                    path=f"diagnoses[{position - 1}]",
                )
                break
            if not info.billable:
                yield rule.finding(
                    f"Diagnosis {position} {code} is a header, not a billable code; {_children_text(info)}",
                    severity=Severity.WARN if info.fallback else None,
                    codes=(code,),
                    source=info.source,
                    path=f"diagnoses[{position - 1}]",
                )
                break


def _children_text(info: DxInfo) -> str:
    if info.seventh_characters:
        return f"it needs a 7th character ({', '.join(info.seventh_characters)})."
    if not info.children:
        return "use a more specific code beneath it."
    shown = ", ".join(info.children[:MAX_LISTED_CHILDREN])
    more = len(info.children) - MAX_LISTED_CHILDREN
    return f"use one of the codes beneath it: {shown}" + (f" (and {more} more)." if more > 0 else ".")


def reference_matches(ref: str, code: str) -> bool:
    """True when a Tabular code reference (`K50`, `K50.-`, `K50.0`, `A00-A09`, `O00-O9A`) covers `code`.

    >>> reference_matches("K50.-", "K50.011"), reference_matches("A00-A09", "A08.4"), reference_matches("E10", "E11.9")
    (True, True, False)
    """
    ref = ref.strip().upper().replace(".", "").rstrip("-")
    bare = code.upper().replace(".", "")
    if "-" in ref:
        low, high = (part.strip() for part in ref.split("-", 1))
        return bool(low and high) and bare[: len(low)] >= low and bare[: len(high)] <= high
    return bool(ref) and bare.startswith(ref)


def _shown(ref: str) -> str:
    """`E10-E10` → `E10.-`, `A36.83-A36.83` → `A36.83`; real ranges and other forms stay as they are."""
    first, sep, last = ref.partition("-")
    if sep and first == last:
        return f"{first}.-" if len(first) == 3 else first
    return ref


@lru_cache(maxsize=65536)
def excludes1_hit(references: tuple[str, ...], code: str) -> str | None:
    """The first Excludes1 reference that covers `code` (memoised: the same pairs recur)."""
    return next((ref for ref in references if reference_matches(ref, code)), None)


@PACK.rule(
    "icd10cm.excludes1",
    title="No two diagnoses on the claim form an Excludes1 pair",
    source=ICD10CM_TABULAR,
    severity=Severity.DENY,
    pack="icd10cm",
    needs=("icd10cm",),
    fix=(
        "Keep the code that describes the condition (Excludes1 = 'not coded here'); both may be "
        "reported only when the two conditions are unrelated (guideline I.A.12.a exception)."
    ),
)
def excludes1(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A diagnosis whose Excludes1 note (on the code or a header above it) names another diagnosis
    on the same claim."""
    lookup = ctx.ref.icd10cm
    assert lookup is not None
    on = ctx.asof(ctx.service_date) if ctx.service_date else None
    if on is None:
        return
    codes = [c for c in dict.fromkeys(ctx.claim.diagnoses) if is_icd10cm_form(c)]
    reported: set[frozenset[str]] = set()
    for code in codes:
        info = lookup.get(code, on)
        if info is None or not info.excludes1:
            continue
        for other in codes:
            if other == code or frozenset((code, other)) in reported:
                continue
            hit = excludes1_hit(info.excludes1, other)
            if hit is not None:
                reported.add(frozenset((code, other)))
                yield rule.finding(
                    f"{code} has an Excludes1 note for {_shown(hit)}, and {other} is also on the claim; "
                    "the two are not coded together.",
                    codes=(code, other),
                    source=info.source,
                )


@PACK.rule(
    "icd10cm.manifestation_first",
    title="A manifestation code is not first-listed",
    source=MCE,
    severity=Severity.DENY,
    pack="icd10cm",
    needs=("icd10cm", "mce"),
    fix="List the underlying condition (etiology) first and the manifestation after it, as its 'code first' note says.",
)
def manifestation_first(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The first-listed diagnosis is not a manifestation code (MCE list 6, deny) and has no Tabular
    'code first' note (warn): those codes follow the condition that causes them."""
    if not ctx.claim.diagnoses or ctx.service_date is None:
        return
    first = ctx.claim.diagnoses[0]
    on = ctx.asof(ctx.service_date)
    mce, icd = ctx.ref.mce, ctx.ref.icd10cm
    assert mce is not None
    assert icd is not None
    if mce.is_manifestation(first, on):
        yield rule.finding(
            f"{first} is a manifestation code (MCE list 6) and cannot be the first-listed diagnosis.",
            codes=(first,),
            source=mce.source(on),
            path="diagnoses[0]",
        )
        return
    info = icd.get(first, on)
    if info is not None and info.code_first:
        yield rule.finding(
            f"{first} has a 'code first' note in the Tabular: the underlying condition is listed before it.",
            severity=Severity.WARN,
            codes=(first,),
            source=info.source,
            path="diagnoses[0]",
        )


@PACK.rule(
    "icd10cm.external_cause_first",
    title="An external-cause code is not first-listed",
    source=ICD10CM_GUIDELINES,
    severity=Severity.DENY,
    pack="icd10cm",
    fix="List the injury or condition first; external-cause codes (V00-Y99) only add how it happened.",
)
def external_cause_first(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The first-listed diagnosis is not in chapter 20 (V00-Y99), per the guidelines (I.C.20) and MCE edit 2."""
    if ctx.claim.diagnoses and ctx.claim.diagnoses[0][:1] in ("V", "W", "X", "Y"):
        first = ctx.claim.diagnoses[0]
        yield rule.finding(
            f"{first} is an external-cause code and cannot be the first-listed diagnosis.",
            codes=(first,),
            path="diagnoses[0]",
        )


@PACK.rule(
    "icd10cm.age",
    title="Diagnoses agree with the patient's age (MCE age lists)",
    source=MCE,
    severity=Severity.DENY,
    pack="icd10cm",
    needs=("mce",),
    fix="Check the birth date and the code: the code is for a different age group (newborn, pediatric, maternity, adult).",
)
def age(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A diagnosis on an MCE age list (newborn 0, pediatric 0-17, maternity 9-64, adult 15-124) and a
    patient whose age on the date of service is outside that range."""
    mce = ctx.ref.mce
    assert mce is not None
    if ctx.service_date is None:
        return
    on = ctx.asof(ctx.service_date)
    patient_age = ctx.age_on(ctx.service_date)
    if patient_age is None:
        return  # structure.service_before_birth reports it
    for position, code in enumerate(ctx.claim.diagnoses, 1):
        edit = mce.age_edit(code, on)
        if edit is not None and not edit.allows(patient_age):
            yield rule.finding(
                f"{code} is on the MCE {edit.list} list (ages {edit.min_age} to {edit.max_age}); "
                f"the patient is {patient_age}.",
                codes=(code,),
                source=mce.source(on),
                path=f"diagnoses[{position - 1}]",
            )


@PACK.rule(
    "icd10cm.unacceptable_principal",
    title="The principal diagnosis is acceptable as principal (inpatient)",
    source=MCE,
    severity=Severity.DENY,
    pack="icd10cm",
    needs=("mce",),
    claim_types=(ClaimType.INSTITUTIONAL,),
    fix="Report the condition chiefly responsible for the admission as principal; this code may be secondary.",
)
def unacceptable_principal(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """On an inpatient claim, the principal diagnosis is not on MCE list 9 (unacceptable principal
    diagnosis). Outpatient and professional claims are not checked: the list is inpatient-only."""
    mce = ctx.ref.mce
    assert mce is not None
    if not ctx.inpatient or not ctx.claim.diagnoses or ctx.service_date is None:
        return
    first = ctx.claim.diagnoses[0]
    on = ctx.asof(ctx.service_date)
    if mce.is_unacceptable_principal(first, on):
        yield rule.finding(
            f"{first} is an unacceptable principal diagnosis for an inpatient stay (MCE list 9).",
            codes=(first,),
            source=mce.source(on),
            path="diagnoses[0]",
        )


@PACK.rule(
    "icd10cm.sex",
    title="Diagnoses agree with the patient's sex",
    source=ICD10CM_TABULAR,
    severity=Severity.WARN,
    pack="icd10cm",
    needs=("icd10cm",),
    fix=(
        "Check the patient's sex and the code. For a patient whose anatomy differs from the recorded sex, "
        "keep the code and document it (payers may ask for condition code 45 or modifier KX)."
    ),
)
def sex(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A diagnosis from a chapter or block of the Tabular limited to one sex (pregnancy; male or female
    genital organs) on a patient recorded with the other sex. A warning: CMS deactivated its MCE
    sex edit on 2024-10-01."""
    lookup = ctx.ref.icd10cm
    assert lookup is not None
    patient_sex = ctx.claim.person.sex
    if patient_sex == Sex.UNKNOWN or ctx.service_date is None:
        return
    on = ctx.asof(ctx.service_date)
    for position, code in enumerate(ctx.claim.diagnoses, 1):
        info = lookup.get(code, on) if is_icd10cm_form(code) else None
        if info is not None and info.sex is not None and info.sex != patient_sex:
            who = "female" if info.sex == Sex.FEMALE else "male"
            yield rule.finding(
                f"{code} is a {who}-only diagnosis; the patient is recorded as {patient_sex.value}.",
                codes=(code,),
                source=info.source,
                path=f"diagnoses[{position - 1}]",
            )


@PACK.rule(
    "icd10pcs.valid",
    title="ICD-10-PCS procedure codes are valid on their dates",
    source=ICD10PCS,
    severity=Severity.REJECT,
    pack="icd10cm",
    needs=("pcs",),
    claim_types=(ClaimType.INSTITUTIONAL,),
    fix="Build the 7-character code from the ICD-10-PCS tables of the fiscal year of the procedure date.",
)
def pcs_valid(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each ICD-10-PCS procedure on an institutional claim is 7 characters and a valid code of the
    release in force on the procedure date."""
    lookup = ctx.ref.pcs
    assert lookup is not None
    for i, procedure in enumerate(ctx.claim.procedures):
        on = ctx.asof(procedure.date)
        if len(procedure.code) != 7:
            yield rule.finding(
                f"Procedure {i + 1} {procedure.code} is not a 7-character ICD-10-PCS code.",
                codes=(procedure.code,),
                path=f"procedures[{i}].code",
            )
            continue
        status = lookup.status(procedure.code, on)
        if not status.known:
            yield rule.finding(
                f"Procedure {i + 1} {procedure.code} is not a valid ICD-10-PCS code on {on.isoformat()}.",
                severity=Severity.REJECT if status.release_covers(on) else Severity.WARN,
                codes=(procedure.code,),
                source=status.source,
                path=f"procedures[{i}].code",
            )


def register(registry: Registry) -> None:
    registry.extend(PACK)
