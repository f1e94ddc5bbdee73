"""Structure edits: what a clearinghouse front end rejects before a payer ever sees the claim.

Required fields, identifiers (NPI, tax id), the billing address, limits of the 837 formats
(diagnoses, pointers, modifiers, lines), units and charges, diagnosis pointers, claim frequency.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from medbill.core.claim import ClaimType, Frequency
from medbill.core.findings import Finding, Severity
from medbill.rules.builtin.identifiers import npi_problem, tax_id_problem
from medbill.rules.context import ClaimContext, is_inpatient_bill
from medbill.rules.registry import Registry, Rule
from medbill.rules.sources import IRS_TIN, NPI_RULE, X12_837, X12_837P

PACK = Registry()
REJECT = Severity.REJECT
PROFESSIONAL = (ClaimType.PROFESSIONAL,)

MAX_DIAGNOSES = {ClaimType.PROFESSIONAL: 12, ClaimType.INSTITUTIONAL: 25}
MAX_LINES = {ClaimType.PROFESSIONAL: 50, ClaimType.INSTITUTIONAL: 999}
MAX_POINTERS = 4
MAX_MODIFIERS = 4
_PO_BOX = re.compile(r"\b(P\.?\s*O\.?\s*BOX|POST\s+OFFICE\s+BOX|LOCK\s*BOX|PMB)\b", re.IGNORECASE)
_TYPE_OF_BILL = re.compile(r"^0?\d{3}$")
_REVENUE_CODE = re.compile(r"^\d{4}$")


@lru_cache(maxsize=4096)
def _is_po_box(line1: str, line2: str | None) -> bool:
    return bool(_PO_BOX.search(f"{line1} {line2 or ''}"))


@PACK.rule(
    "structure.required",
    title="Required claim data is present",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Add the missing data; the 837 cannot be sent without it.",
)
def required(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A claim needs service lines, a diagnosis and the patient's birth date; a professional claim a
    procedure code on every line and a place of service (claim or
    every line); an institutional claim a type of bill, a revenue code on every line and, when
    inpatient, the admission date and patient status."""
    claim = ctx.claim
    if not claim.lines:
        yield rule.finding("The claim has no service lines.", path="lines")
    if not claim.diagnoses:
        yield rule.finding("The claim has no diagnosis code; at least one is required.", path="diagnoses")
    if claim.person.birth_date is None:
        where = "patient.birth_date" if claim.patient else "subscriber.birth_date"
        yield rule.finding("The patient's birth date is missing.", path=where)
    if claim.type == ClaimType.PROFESSIONAL:
        no_code = [n for n, ln in enumerate(claim.lines, 1) if not ln.procedure]
        if no_code:
            yield rule.finding("A professional line needs a procedure code (CPT or HCPCS).", lines=no_code)
        without = [
            n for n, ln in enumerate(claim.lines, 1) if not (ln.place_of_service or claim.place_of_service)
        ]
        if without:
            yield rule.finding(
                "No place of service: set `place_of_service` on the claim or on every line.",
                lines=without,
                path="place_of_service",
            )
        return
    if not claim.type_of_bill:
        yield rule.finding("An institutional claim needs a type of bill (UB-04 FL 4).", path="type_of_bill")
    elif not _TYPE_OF_BILL.match(claim.type_of_bill):
        yield rule.finding(
            f"Type of bill {claim.type_of_bill!r} is not 3 digits (with an optional leading 0).",
            path="type_of_bill",
        )
    no_revenue = [n for n, ln in enumerate(claim.lines, 1) if not ln.revenue_code]
    if no_revenue:
        yield rule.finding("Institutional lines need a revenue code (UB-04 FL 42).", lines=no_revenue)
    bad_revenue = [
        n
        for n, ln in enumerate(claim.lines, 1)
        if ln.revenue_code and not _REVENUE_CODE.match(ln.revenue_code)
    ]
    if bad_revenue:
        yield rule.finding("A revenue code is 4 digits (e.g. 0450).", lines=bad_revenue)
    if is_inpatient_bill(claim.type_of_bill):
        if claim.admission is None:
            yield rule.finding("An inpatient claim needs the admission date.", path="admission")
        if not claim.patient_status:
            yield rule.finding(
                "An inpatient claim needs the patient (discharge) status.", path="patient_status"
            )


@PACK.rule(
    "structure.npi",
    title="NPIs are well formed (10 digits, Luhn check digit)",
    source=NPI_RULE,
    severity=REJECT,
    pack="structure",
    fix="Correct the NPI from NPPES; a mistyped NPI is rejected by every clearinghouse.",
)
def npi(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Every NPI on the claim (billing, rendering, referring, attending, facility, line rendering)
    is 10 digits starting with 1 or 2 and ends in the Luhn check digit computed over 80840 and
    its first nine digits."""
    claim = ctx.claim
    places: list[tuple[str, str, tuple[int, ...]]] = [
        ("billing_provider.npi", claim.billing_provider.npi, ())
    ]
    for name in ("rendering_provider", "referring_provider", "attending_provider", "service_facility"):
        party = getattr(claim, name)
        if party is not None and party.npi is not None:
            places.append((f"{name}.npi", party.npi, ()))
    for n, ln in enumerate(claim.lines, 1):
        if ln.rendering_provider is not None:
            places.append((f"lines[{n - 1}].rendering_provider.npi", ln.rendering_provider.npi, (n,)))
    for path, value, lines in places:
        problem = npi_problem(value)
        if problem:
            yield rule.finding(f"NPI {value!r} at {path} is not valid: {problem}.", lines=lines, path=path)


@PACK.rule(
    "structure.tax_id",
    title="The billing provider's tax id is an EIN or SSN",
    source=IRS_TIN,
    severity=REJECT,
    pack="structure",
    fix="Use the billing provider's 9-digit EIN (or SSN for a sole proprietor) as on its W-9.",
)
def tax_id(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The billing provider tax id is 9 digits: an EIN with an IRS-assigned prefix or a valid SSN."""
    problem = tax_id_problem(ctx.claim.billing_provider.tax_id)
    if problem:
        yield rule.finding(
            f"Billing provider tax id is not valid: {problem}.", path="billing_provider.tax_id"
        )


@PACK.rule(
    "structure.billing_address",
    title="The billing provider address is a street address with a ZIP+4",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Give the physical street address with the full 9-digit ZIP; send a PO box as the pay-to address.",
)
def billing_address(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """The 837 billing provider address (loop 2010AA) needs the 9-digit ZIP code and must not be a
    PO box or lock box."""
    address = ctx.claim.billing_provider.address
    digits = address.zip.replace("-", "")
    if len(digits) != 9:
        yield rule.finding(
            f"Billing provider ZIP {address.zip!r} has 5 digits; the 837 requires the ZIP+4.",
            path="billing_provider.address.zip",
        )
    if _is_po_box(address.line1, address.line2):
        yield rule.finding(
            "The billing provider address is a PO box; it must be a street address.",
            path="billing_provider.address.line1",
        )


@PACK.rule(
    "structure.units",
    title="Service units are greater than zero",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Bill the number of units performed (at least 1).",
)
def units(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Every line bills more than zero units."""
    for n, ln in enumerate(ctx.claim.lines, 1):
        if ln.units <= 0:
            yield rule.finding(
                f"Line {n} bills {ln.units} units of {ln.procedure}; units must be greater than zero.",
                lines=(n,),
                codes=(ln.procedure,),
                path=f"lines[{n - 1}].units",
            )


@PACK.rule(
    "structure.charge",
    title="Line charges are greater than zero",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Bill the provider's usual charge for the service (a positive amount).",
)
def charge(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Every line charges a positive amount."""
    for n, ln in enumerate(ctx.claim.lines, 1):
        if ln.charge <= 0:
            yield rule.finding(
                f"Line {n} charges {ln.charge} for {ln.procedure}; the charge must be greater than zero.",
                lines=(n,),
                codes=(ln.procedure,),
                path=f"lines[{n - 1}].charge",
            )


@PACK.rule(
    "structure.diagnosis_pointer",
    title="Diagnosis pointers point at diagnoses on the claim",
    source=X12_837P,
    severity=REJECT,
    pack="structure",
    claim_types=PROFESSIONAL,
    fix="Point each line at the diagnoses (1 = first listed) that support it.",
)
def diagnosis_pointer(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Each professional line has at least one diagnosis pointer, none repeated, each naming a
    diagnosis that is on the claim (SV107)."""
    count = len(ctx.claim.diagnoses)
    for n, ln in enumerate(ctx.claim.lines, 1):
        pointers = ln.diagnosis_pointers
        if not pointers:
            yield rule.finding(f"Line {n} has no diagnosis pointer.", lines=(n,), path=f"lines[{n - 1}]")
            continue
        bad = [p for p in pointers if not 1 <= p <= count]
        if bad:
            yield rule.finding(
                f"Line {n} points at diagnosis {', '.join(map(str, bad))} but the claim lists {count}.",
                lines=(n,),
                path=f"lines[{n - 1}].diagnosis_pointers",
            )
        if len(set(pointers)) != len(pointers):
            yield rule.finding(
                f"Line {n} repeats a diagnosis pointer ({', '.join(map(str, pointers))}).",
                lines=(n,),
                path=f"lines[{n - 1}].diagnosis_pointers",
            )


@PACK.rule(
    "structure.limits",
    title="Diagnoses, pointers, modifiers and lines stay within the 837 limits",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Split the claim, or keep the codes that matter most (first-listed diagnosis first).",
)
def limits(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """At most 12 diagnoses on a professional claim (25 institutional), 4 pointers and 4 modifiers
    per line, 50 lines on a professional claim (999 institutional)."""
    claim = ctx.claim
    max_dx = MAX_DIAGNOSES[claim.type]
    if len(claim.diagnoses) > max_dx:
        yield rule.finding(
            f"The claim lists {len(claim.diagnoses)} diagnoses; a {claim.type.value} claim carries at most {max_dx}.",
            path="diagnoses",
        )
    max_lines = MAX_LINES[claim.type]
    if len(claim.lines) > max_lines:
        yield rule.finding(
            f"The claim has {len(claim.lines)} lines; a {claim.type.value} claim carries at most {max_lines}.",
            path="lines",
        )
    for n, ln in enumerate(claim.lines, 1):
        if len(ln.diagnosis_pointers) > MAX_POINTERS:
            yield rule.finding(
                f"Line {n} has {len(ln.diagnosis_pointers)} diagnosis pointers; at most {MAX_POINTERS}.",
                lines=(n,),
                path=f"lines[{n - 1}].diagnosis_pointers",
            )
        if len(ln.modifiers) > MAX_MODIFIERS:
            yield rule.finding(
                f"Line {n} has {len(ln.modifiers)} modifiers; at most {MAX_MODIFIERS}.",
                lines=(n,),
                path=f"lines[{n - 1}].modifiers",
            )
        if len(set(ln.modifiers)) != len(ln.modifiers):
            yield rule.finding(
                f"Line {n} repeats a modifier ({' '.join(ln.modifiers)}).",
                lines=(n,),
                path=f"lines[{n - 1}].modifiers",
            )


@PACK.rule(
    "structure.duplicate_diagnosis",
    title="No diagnosis is listed twice",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="List each diagnosis once and point lines at it.",
)
def duplicate_diagnosis(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """A diagnosis code appears once on the claim (the MCE's "duplicate of PDX" edit and the 837 HI
    segments)."""
    seen: dict[str, int] = {}
    for i, code in enumerate(ctx.claim.diagnoses, 1):
        if code in seen:
            yield rule.finding(
                f"Diagnosis {code} is listed twice (positions {seen[code]} and {i}).",
                codes=(code,),
                path=f"diagnoses[{i - 1}]",
            )
        else:
            seen[code] = i


@PACK.rule(
    "structure.frequency",
    title="A replacement or void names the claim it replaces",
    source=X12_837,
    severity=REJECT,
    pack="structure",
    fix="Enter the payer's claim number (ICN/DCN) of the original claim as `payer_claim_number`.",
)
def frequency(ctx: ClaimContext, rule: Rule) -> Iterator[Finding]:
    """Frequency 7 (replacement) and 8 (void) need the payer claim control number of the original
    claim (REF*F8)."""
    claim = ctx.claim
    if claim.frequency in (Frequency.REPLACEMENT, Frequency.VOID) and not claim.payer_claim_number:
        kind = "replacement" if claim.frequency == Frequency.REPLACEMENT else "void"
        yield rule.finding(
            f"Frequency {claim.frequency.value} ({kind}) without the payer claim number of the original claim.",
            path="payer_claim_number",
        )


def register(registry: Registry) -> None:
    registry.extend(PACK)
