"""The CMS-1500 (02/12) professional claim form: box layout and how a claim fills it.

Boxes follow the 02/12 form's numbering and arrangement (1-13 patient and insured, 14-23 the claim,
24A-J six service lines with a shaded supplemental row for NDC data, 25-33 the provider). A claim
with more than six lines continues on further pages; every page repeats the claim information, and
the total charge (box 28) is printed on the last page only, the others saying CONTINUED, as the
NUCC instructions ask.
"""

import datetime as dt
from collections.abc import Sequence

from medbill.core.claim import (
    Claim,
    ClaimType,
    Frequency,
    PayerType,
    Relationship,
    ServiceLine,
)
from medbill.core.money import ZERO
from medbill.forms.layout import Box, Form, Page, money_text, render

LINES_PER_PAGE = 6
LETTERS = "ABCDEFGHIJKL"

L, M, R, END = 24.0, 290.0, 414.0, 588.0


def _b(x0: float, x1: float, y0: float, y1: float, label: str = "", **kw: object) -> Box:
    return Box(x0, y0, x1 - x0, y1 - y0, label, **kw)  # type: ignore[arg-type]


_BOXES: dict[str, Box] = {
    "carrier": _b(330, END, 722, 768, "CARRIER (PAYER NAME AND ADDRESS)", frame=False),
    "1": _b(
        L, R, 696, 720, "1. MEDICARE  MEDICAID  TRICARE  CHAMPVA  GROUP HEALTH PLAN  FECA BLK LUNG  OTHER"
    ),
    "1a": _b(R, END, 696, 720, "1a. INSURED'S I.D. NUMBER (For Program in Item 1)"),
    "2": _b(L, M, 672, 696, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
    "3": _b(M, R, 672, 696, "3. PATIENT'S BIRTH DATE / SEX"),
    "4": _b(R, END, 672, 696, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
    "5": _b(L, M, 624, 672, "5. PATIENT'S ADDRESS (No., Street) / CITY STATE / ZIP CODE"),
    "6": _b(M, R, 648, 672, "6. PATIENT RELATIONSHIP TO INSURED"),
    "8": _b(M, R, 624, 648, "8. RESERVED FOR NUCC USE"),
    "7": _b(R, END, 624, 672, "7. INSURED'S ADDRESS (No., Street) / CITY STATE / ZIP CODE"),
    "9": _b(L, M, 600, 624, "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)"),
    "9a": _b(L, M, 576, 600, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
    "9b": _b(L, M, 552, 576, "b. RESERVED FOR NUCC USE"),
    "9c": _b(L, M, 528, 552, "c. RESERVED FOR NUCC USE"),
    "9d": _b(L, M, 504, 528, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
    "10": _b(M, R, 600, 624, "10. IS PATIENT'S CONDITION RELATED TO:"),
    "10a": _b(M, R, 576, 600, "a. EMPLOYMENT? (Current or Previous)"),
    "10b": _b(M, R, 552, 576, "b. AUTO ACCIDENT?   PLACE (State)"),
    "10c": _b(M, R, 528, 552, "c. OTHER ACCIDENT?"),
    "10d": _b(M, R, 504, 528, "10d. CLAIM CODES (Designated by NUCC)"),
    "11": _b(R, END, 600, 624, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
    "11a": _b(R, END, 576, 600, "a. INSURED'S DATE OF BIRTH / SEX"),
    "11b": _b(R, END, 552, 576, "b. OTHER CLAIM ID (Designated by NUCC)"),
    "11c": _b(R, END, 528, 552, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
    "11d": _b(R, END, 504, 528, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?"),
    "12": _b(L, R, 480, 504, "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE"),
    "13": _b(R, END, 480, 504, "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE"),
    "14": _b(L, 210, 456, 480, "14. DATE OF CURRENT ILLNESS, INJURY, OR PREGNANCY (LMP)"),
    "15": _b(210, R, 456, 480, "15. OTHER DATE"),
    "16": _b(R, END, 456, 480, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION"),
    "17": _b(L, 260, 432, 456, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE"),
    "17a": _b(260, R, 444, 456, "17a."),
    "17b": _b(260, R, 432, 444, "17b. NPI"),
    "18": _b(R, END, 432, 456, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES"),
    "19": _b(L, R, 408, 432, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"),
    "20": _b(R, END, 408, 432, "20. OUTSIDE LAB?   $ CHARGES"),
    "21": _b(
        L,
        R,
        360,
        408,
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY (Relate A-L to service line below (24E))",
    ),
    "22": _b(R, END, 384, 408, "22. RESUBMISSION CODE   ORIGINAL REF. NO."),
    "23": _b(R, END, 360, 384, "23. PRIOR AUTHORIZATION NUMBER"),
    "25": _b(L, 170, 168, 192, "25. FEDERAL TAX I.D. NUMBER   SSN EIN"),
    "26": _b(170, M, 168, 192, "26. PATIENT'S ACCOUNT NO."),
    "27": _b(M, 372, 168, 192, "27. ACCEPT ASSIGNMENT?"),
    "28": _b(372, 450, 168, 192, "28. TOTAL CHARGE", align="right"),
    "29": _b(450, 520, 168, 192, "29. AMOUNT PAID", align="right"),
    "30": _b(520, END, 168, 192, "30. Rsvd for NUCC Use"),
    "31": _b(L, 190, 108, 168, "31. SIGNATURE OF PHYSICIAN OR SUPPLIER"),
    "32": _b(190, 390, 120, 168, "32. SERVICE FACILITY LOCATION INFORMATION"),
    "32a": _b(190, 290, 108, 120, "a. NPI"),
    "32b": _b(290, 390, 108, 120, "b."),
    "33": _b(390, END, 120, 168, "33. BILLING PROVIDER INFO & PH #"),
    "33a": _b(390, 490, 108, 120, "a. NPI"),
    "33b": _b(490, END, 108, 120, "b."),
}

# Section 24: column edges and a header row, then six lines (a shaded supplemental half on top).
_COLUMNS = {
    "A": (L, 150, "24. A. DATE(S) OF SERVICE From-To"),
    "B": (150, 175, "B. POS"),
    "C": (175, 195, "C. EMG"),
    "D": (195, 300, "D. PROCEDURES CPT/HCPCS  MODIFIER"),
    "E": (300, 340, "E. DX POINTER"),
    "F": (340, 400, "F. $ CHARGES"),
    "G": (400, 430, "G. UNITS"),
    "H": (430, 448, "H."),
    "I": (448, 470, "I. QUAL"),
    "J": (470, END, "J. RENDERING PROVIDER ID. #"),
}
_LINES_TOP = 336.0
_LINE_HEIGHT = 24.0
_BOXES["24"] = _b(L, END, _LINES_TOP, 360, "")
for _column, (_x0, _x1, _label) in _COLUMNS.items():
    _BOXES[f"24{_column}"] = Box(_x0, _LINES_TOP, _x1 - _x0, 24, _label)
for _row in range(1, LINES_PER_PAGE + 1):
    _top = _LINES_TOP - (_row - 1) * _LINE_HEIGHT
    _BOXES[f"24.{_row}"] = _b(L, END, _top - 12, _top, f"{_row}", shaded=True)
    for _column, (_x0, _x1, _) in _COLUMNS.items():
        align = "right" if _column in ("F", "G") else "left"
        _BOXES[f"24{_column}.{_row}"] = Box(_x0, _top - 24, _x1 - _x0, 12, align=align)

CMS1500 = Form(
    name="CMS-1500 (02/12) health insurance claim form",
    title=(
        "HEALTH INSURANCE CLAIM FORM",
        "CMS-1500 (02/12) LAYOUT - APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
    ),
    boxes=_BOXES,
)


def _date(value: dt.date | None, *, long_year: bool = True) -> str:
    if value is None:
        return ""
    return value.strftime("%m %d %Y" if long_year else "%m %d %y")


def _name(last: str, first: str | None, middle: str | None) -> str:
    parts = [last, first or "", (middle or "")[:1]]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(parts)


def _address(address: object) -> list[str]:
    if address is None:
        return []
    line1 = getattr(address, "line1", "")
    line2 = getattr(address, "line2", None)
    city = f"{address.city}  {address.state}  {address.zip}"  # type: ignore[attr-defined]
    return [f"{line1} {line2}" if line2 else line1, city]


def _checks(options: Sequence[tuple[str, bool]]) -> str:
    return "  ".join(f"[{'X' if chosen else ' '}] {name}" for name, chosen in options)


_PROGRAM = {
    PayerType.MEDICARE: "MEDICARE",
    PayerType.MEDICAID: "MEDICAID",
    PayerType.COMMERCIAL: "GROUP HEALTH PLAN",
    PayerType.OTHER: "OTHER",
}
_RELATIONSHIP = {
    Relationship.SELF: "SELF",
    Relationship.SPOUSE: "SPOUSE",
    Relationship.CHILD: "CHILD",
}


def claim_fields(claim: Claim) -> dict[str, list[str]]:
    """The boxes every page of ``claim`` repeats (1-23, 25-27, 29-33)."""
    subscriber, person = claim.subscriber, claim.person
    relationship = claim.patient.relationship if claim.patient else Relationship.SELF
    fields: dict[str, list[str]] = {
        "carrier": [claim.payer.name, *_address(claim.payer.address)],
        "1": [_checks([(p, p == _PROGRAM[claim.payer.type]) for p in ("MEDICARE", "MEDICAID", "GROUP HEALTH PLAN", "OTHER")])],
        "1a": [subscriber.member_id],
        "2": [_name(person.last_name, person.first_name, person.middle_name)],
        "3": [f"{_date(person.birth_date)}   {'M' if person.sex == 'M' else 'F' if person.sex == 'F' else ''}".strip()],
        "4": [_name(subscriber.last_name, subscriber.first_name, subscriber.middle_name)],
        "5": _address(person.address),
        "6": [
            _checks([(name, _RELATIONSHIP.get(relationship, "OTHER") == name) for name in ("SELF", "SPOUSE")]),
            _checks([(name, _RELATIONSHIP.get(relationship, "OTHER") == name) for name in ("CHILD", "OTHER")]),
        ],
        "7": _address(subscriber.address),
        "11": [subscriber.group_number or "NONE"],
        "11a": [f"{_date(subscriber.birth_date)}   {subscriber.sex.value if subscriber.sex != 'U' else ''}".strip()],
        "11c": [claim.payer.name],
        "11d": [_checks([("YES", bool(claim.other_payers)), ("NO", not claim.other_payers)])],
        "12": ["SIGNATURE ON FILE"],
        "13": ["SIGNATURE ON FILE"],
        "26": [claim.claim_id],
        "27": [_checks([("YES", True), ("NO", False)])],
        "31": ["SIGNATURE ON FILE", *([f"{claim.rendering_provider.first_name or ''} {claim.rendering_provider.last_name}".strip()] if claim.rendering_provider else [])],
    }  # fmt: skip
    if claim.other_payers:
        other = claim.other_payers[0]
        fields["9"] = [
            _name(other.subscriber.last_name, other.subscriber.first_name, other.subscriber.middle_name)
        ]
        fields["9a"] = [other.subscriber.group_number or other.subscriber.member_id]
        fields["9d"] = [other.payer.name]
        fields["29"] = [money_text(sum((o.paid for o in claim.other_payers), ZERO))]
    accident = claim.accident
    fields["10a"] = [
        _checks(
            [
                ("YES", bool(accident and accident.type == "employment")),
                ("NO", not (accident and accident.type == "employment")),
            ]
        )
    ]
    auto = bool(accident and accident.type == "auto")
    fields["10b"] = [
        _checks([("YES", auto), ("NO", not auto)])
        + (f"   {accident.state}" if auto and accident and accident.state else "")
    ]
    fields["10c"] = [_checks([("YES", bool(accident and accident.type == "other")), ("NO", not (accident and accident.type == "other"))])]  # fmt: skip
    if claim.onset_date:
        fields["14"] = [f"{_date(claim.onset_date)}  QUAL 431"]
    if accident is not None and accident.date:
        fields["15"] = [f"QUAL 439  {_date(accident.date)}"]
    if claim.referring_provider is not None:
        referring = claim.referring_provider
        fields["17"] = [f"DN  {referring.first_name or ''} {referring.last_name}".replace("  ", " ", 1)]
        fields["17b"] = [referring.npi]
    if claim.admission is not None:
        end = claim.discharge.date if claim.discharge else None
        fields["18"] = [f"FROM {_date(claim.admission.date)}  TO {_date(end)}".rstrip()]
    fields["21"] = _diagnoses(claim.diagnoses)
    if claim.frequency in (Frequency.REPLACEMENT, Frequency.VOID):
        fields["22"] = [f"{claim.frequency.value}   {claim.payer_claim_number or ''}".rstrip()]
    if claim.prior_authorization:
        fields["23"] = [claim.prior_authorization]
    tax_id = claim.billing_provider.tax_id
    is_ssn = len(tax_id) == 11 and tax_id[3] == "-" and tax_id[6] == "-"
    fields["25"] = [f"{tax_id}   {'[X] SSN [ ] EIN' if is_ssn else '[ ] SSN [X] EIN'}"]
    if claim.service_facility is not None:
        facility = claim.service_facility
        fields["32"] = [facility.name, *_address(facility.address)]
        if facility.npi:
            fields["32a"] = [facility.npi]
    billing = claim.billing_provider
    fields["33"] = [billing.name, *_address(billing.address)]
    fields["33a"] = [billing.npi]
    if billing.taxonomy:
        fields["33b"] = [f"ZZ{billing.taxonomy}"]
    return fields


def _diagnoses(codes: Sequence[str]) -> list[str]:
    cells = [f"{LETTERS[i]}. {code.replace('.', ''):<8}" for i, code in enumerate(codes[:12])]
    rows = ["   ".join(cells[i : i + 4]) for i in range(0, len(cells), 4)]
    return [f"ICD Ind. 0   {rows[0] if rows else ''}".rstrip(), *rows[1:]]


def line_fields(claim: Claim, line: ServiceLine, row: int) -> dict[str, list[str]]:
    """The boxes of service line ``line`` printed in row ``row`` (1-6) of a page."""
    end = line.service_date_end or line.service_date
    fields = {
        f"24A.{row}": [f"{_date(line.service_date, long_year=False)} {_date(end, long_year=False)}"],
        f"24B.{row}": [line.place_of_service or claim.place_of_service or ""],
        f"24D.{row}": [" ".join([line.procedure, *line.modifiers])],
        f"24E.{row}": ["".join(LETTERS[p - 1] for p in line.diagnosis_pointers if 1 <= p <= 12)],
        f"24F.{row}": [money_text(line.charge)],
        f"24G.{row}": [_units(line)],
    }
    rendering = line.rendering_provider or claim.rendering_provider
    if rendering is not None:
        fields[f"24I.{row}"] = ["NPI"]
        fields[f"24J.{row}"] = [rendering.npi]
    if line.ndc:
        quantity = line.ndc_quantity if line.ndc_quantity is not None else line.units
        fields[f"24.{row}"] = [f"N4{line.ndc.replace('-', '')} {line.ndc_unit or 'UN'}{_number(quantity)}"]
    return fields


def _number(value: object) -> str:
    from medbill.x12.values import x12_number

    return x12_number(value)  # type: ignore[arg-type]


def _units(line: ServiceLine) -> str:
    return _number(line.units)


def pages(claim: Claim) -> list[Page]:
    """One page per six service lines; the total charge on the last page, CONTINUED before it."""
    common = claim_fields(claim)
    chunks = [claim.lines[i : i + LINES_PER_PAGE] for i in range(0, len(claim.lines), LINES_PER_PAGE)] or [()]
    out: list[Page] = []
    for index, chunk in enumerate(chunks):
        page = dict(common)
        for row, line in enumerate(chunk, start=1):
            page.update(line_fields(claim, line, row))
        page["28"] = [money_text(claim.total_charge)] if index == len(chunks) - 1 else ["CONTINUED"]
        out.append(page)
    return out


def render_cms1500(claim: Claim) -> bytes:
    """The claim printed on the CMS-1500 layout, as PDF bytes."""
    if claim.type != ClaimType.PROFESSIONAL:
        from medbill.core.errors import InputError

        raise InputError(
            f"claim {claim.claim_id} is institutional; print it on the UB-04 (medbill forms ub04)"
        )
    return render(CMS1500, pages(claim), footer=f"claim {claim.claim_id} - ")
