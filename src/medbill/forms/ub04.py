"""The UB-04 (CMS-1450) institutional claim form: form locators (FL) and how a claim fills them.

The layout follows the UB-04's arrangement of its 81 form locators: provider, patient and stay
(FL 1-41), 22 service lines (FL 42-49) with the totals line 23, payers and insureds (FL 50-65),
diagnoses and procedures (FL 66-75), physicians (FL 76-79) and remarks (FL 80-81). Claims with more
than 22 lines continue on further pages; the totals line shows the page and, on the last page,
the total charges.
"""

import datetime as dt
from collections.abc import Sequence

from medbill.core.claim import Claim, ClaimType, Frequency, OtherPayer, Payer, Relationship, Subscriber
from medbill.core.errors import InputError
from medbill.core.money import ZERO
from medbill.forms.layout import Box, Form, Page, money_text, render
from medbill.x12.values import x12_number

LINES_PER_PAGE = 22
L, END = 24.0, 588.0


def _b(x0: float, x1: float, y0: float, y1: float, label: str = "", **kw: object) -> Box:
    return Box(x0, y0, x1 - x0, y1 - y0, label, **kw)  # type: ignore[arg-type]


_BOXES: dict[str, Box] = {
    "FL1": _b(L, 200, 700, 760, "1 BILLING PROVIDER NAME, ADDRESS, PHONE"),
    "FL2": _b(200, 376, 700, 760, "2 PAY-TO NAME AND ADDRESS"),
    "FL3a": _b(376, 500, 740, 760, "3a PAT. CNTL #"),
    "FL3b": _b(376, 500, 720, 740, "b. MED. REC. #"),
    "FL4": _b(500, END, 720, 760, "4 TYPE OF BILL"),
    "FL5": _b(376, 440, 700, 720, "5 FED. TAX NO."),
    "FL6": _b(440, 545, 700, 720, "6 STATEMENT FROM-THROUGH"),
    "FL7": _b(545, END, 700, 720, "7"),
    "FL8": _b(L, 200, 664, 700, "8 PATIENT NAME  a (ID)  b (NAME)"),
    "FL9": _b(200, END, 664, 700, "9 PATIENT ADDRESS  a STREET  b CITY  c ST  d ZIP"),
    "FL10": _b(L, 84, 640, 664, "10 BIRTHDATE"),
    "FL11": _b(84, 104, 640, 664, "11 SEX"),
    "FL12": _b(104, 150, 640, 664, "12 ADM DATE"),
    "FL13": _b(150, 170, 640, 664, "13 HR"),
    "FL14": _b(170, 190, 640, 664, "14 TYP"),
    "FL15": _b(190, 210, 640, 664, "15 SRC"),
    "FL16": _b(210, 230, 640, 664, "16 DHR"),
    "FL17": _b(230, 250, 640, 664, "17 STAT"),
    "FL18-28": _b(250, 530, 640, 664, "18-28 CONDITION CODES"),
    "FL29": _b(530, 560, 640, 664, "29 ACDT ST"),
    "FL30": _b(560, END, 640, 664, "30"),
    "FL31-34": _b(L, 340, 604, 640, "31-34 OCCURRENCE CODE / DATE"),
    "FL35-36": _b(340, 530, 604, 640, "35-36 OCCURRENCE SPAN CODE / FROM / THROUGH"),
    "FL37": _b(530, END, 604, 640, "37"),
    "FL38": _b(L, 300, 548, 604, "38 RESPONSIBLE PARTY NAME AND ADDRESS"),
    "FL39-41": _b(300, END, 548, 604, "39-41 VALUE CODES  CODE / AMOUNT"),
    "FL66": _b(L, 44, 100, 124, "66 DX"),
    "FL67": _b(44, END, 100, 124, "67 PRINCIPAL DX  A-Q OTHER DIAGNOSIS CODES"),
    "FL69": _b(L, 120, 88, 100, "69 ADMIT DX"),
    "FL70": _b(120, 300, 88, 100, "70 PATIENT REASON DX"),
    "FL71": _b(300, 360, 88, 100, "71 PPS CODE"),
    "FL72": _b(360, 520, 88, 100, "72 ECI"),
    "FL73": _b(520, END, 88, 100, "73"),
    "FL74": _b(L, 330, 40, 88, "74 PRINCIPAL PROCEDURE CODE / DATE   a-e OTHER PROCEDURE CODE / DATE"),
    "FL75": _b(330, 350, 40, 88, "75"),
    "FL76": _b(350, END, 76, 88, "76 ATTENDING  NPI / LAST / FIRST"),
    "FL77": _b(350, END, 64, 76, "77 OPERATING  NPI / LAST / FIRST"),
    "FL78": _b(350, END, 52, 64, "78 OTHER  NPI / LAST / FIRST"),
    "FL79": _b(350, END, 40, 64 - 12, "79 OTHER  NPI / LAST / FIRST"),
    "FL80": _b(L, 300, 20, 40, "80 REMARKS"),
    "FL81": _b(300, END, 20, 40, "81 CC"),
}

_LINE_COLUMNS = {
    "42": (L, 60, "42 REV. CD."),
    "43": (60, 230, "43 DESCRIPTION"),
    "44": (230, 330, "44 HCPCS / RATE / HIPPS CODE"),
    "45": (330, 380, "45 SERV. DATE"),
    "46": (380, 430, "46 SERV. UNITS"),
    "47": (430, 500, "47 TOTAL CHARGES"),
    "48": (500, 570, "48 NON-COVERED"),
    "49": (570, END, "49"),
}
_ROW = 12.0
_LINES_TOP = 528.0
for _fl, (_x0, _x1, _label) in _LINE_COLUMNS.items():
    _BOXES[f"FL{_fl}"] = Box(_x0, _LINES_TOP, _x1 - _x0, 20, _label)
for _row in range(1, LINES_PER_PAGE + 2):
    _top = _LINES_TOP - (_row - 1) * _ROW
    for _fl, (_x0, _x1, _) in _LINE_COLUMNS.items():
        _BOXES[f"FL{_fl}.{_row}"] = Box(
            _x0, _top - _ROW, _x1 - _x0, _ROW, align="right" if _fl in ("46", "47", "48") else "left"
        )
_PAYER_TOP = _LINES_TOP - (LINES_PER_PAGE + 1) * _ROW - 4
_PAYER_COLUMNS = {
    "50": (L, 170, "50 PAYER NAME"),
    "51": (170, 260, "51 HEALTH PLAN ID"),
    "52": (260, 282, "52 REL"),
    "53": (282, 304, "53 ASG"),
    "54": (304, 380, "54 PRIOR PAYMENTS"),
    "55": (380, 450, "55 EST. AMOUNT DUE"),
    "56": (450, END, "56 NPI  57 OTHER PRV ID"),
}
_INSURED_COLUMNS = {
    "58": (L, 190, "58 INSURED'S NAME"),
    "59": (190, 214, "59 P.REL"),
    "60": (214, 340, "60 INSURED'S UNIQUE ID"),
    "61": (340, 460, "61 GROUP NAME"),
    "62": (460, END, "62 INSURANCE GROUP NO."),
}
_AUTH_COLUMNS = {
    "63": (L, 230, "63 TREATMENT AUTHORIZATION CODES"),
    "64": (230, 420, "64 DOCUMENT CONTROL NUMBER"),
    "65": (420, END, "65 EMPLOYER NAME"),
}
_top = _PAYER_TOP
for _columns in (_PAYER_COLUMNS, _INSURED_COLUMNS, _AUTH_COLUMNS):
    for _fl, (_x0, _x1, _label) in _columns.items():
        _BOXES[f"FL{_fl}"] = Box(_x0, _top - 8, _x1 - _x0, 8, _label)
        for _index, _letter in enumerate("ABC"):
            _y = _top - 8 - (_index + 1) * 10
            align = "right" if _fl in ("54", "55") else "left"
            _BOXES[f"FL{_fl}{_letter}"] = Box(_x0, _y, _x1 - _x0, 10, align=align)
    _top -= 40

UB04 = Form(
    name="UB-04 (CMS-1450) institutional claim form",
    title=("UB-04 CMS-1450 LAYOUT", "INSTITUTIONAL CLAIM - FORM LOCATORS AS ON THE NUBC UB-04"),
    boxes=_BOXES,
)

_RELATIONSHIP_CODE = {
    Relationship.SELF: "18",
    Relationship.SPOUSE: "01",
    Relationship.CHILD: "19",
    Relationship.EMPLOYEE: "20",
    Relationship.UNKNOWN: "21",
    Relationship.ORGAN_DONOR: "39",
    Relationship.CADAVER_DONOR: "40",
    Relationship.LIFE_PARTNER: "53",
    Relationship.OTHER: "G8",
}


def _d6(value: dt.date | None) -> str:
    return value.strftime("%m%d%y") if value else ""


def _person(last: str, first: str | None) -> str:
    return f"{last}, {first}" if first else last


def _payer_rows(claim: Claim) -> list[tuple[Payer, Subscriber, Relationship, OtherPayer | None]]:
    """Payers in order of responsibility: prior payers first, then the one this claim goes to."""
    relationship = claim.patient.relationship if claim.patient else Relationship.SELF
    rows: list[tuple[Payer, Subscriber, Relationship, OtherPayer | None]] = [
        (other.payer, other.subscriber, other.relationship, other) for other in claim.other_payers
    ]
    rows.append((claim.payer, claim.subscriber, relationship, None))
    return rows[:3]


def claim_fields(claim: Claim) -> dict[str, list[str]]:
    """The form locators every page repeats (all but the service lines)."""
    person = claim.person
    billing = claim.billing_provider
    address = person.address or claim.subscriber.address
    start = claim.admission.date if claim.admission else claim.first_service_date
    end = claim.discharge.date if claim.discharge else claim.last_service_date
    fields: dict[str, list[str]] = {
        "FL1": [billing.name, billing.address.line1, f"{billing.address.city} {billing.address.state} {billing.address.zip}"],
        "FL3a": [claim.claim_id],
        "FL4": [claim.type_of_bill or ""],
        "FL5": [billing.tax_id],
        "FL6": [f"{_d6(start)} {_d6(end)}"],
        "FL8": [claim.subscriber.member_id if claim.patient is None else "", _person(person.last_name, person.first_name)],
        "FL10": [person.birth_date.strftime("%m%d%Y") if person.birth_date else ""],
        "FL11": [person.sex.value],
        "FL17": [claim.patient_status or ""],
        "FL66": ["0"],
        "FL67": ["   ".join(code.replace(".", "") for code in claim.diagnoses[:9]), "   ".join(code.replace(".", "") for code in claim.diagnoses[9:18])],
        "FL56A": [billing.npi],
    }  # fmt: skip
    if address is not None:
        fields["FL9"] = [address.line1, f"{address.city}  {address.state}  {address.zip}"]
    if claim.admission is not None:
        fields["FL12"] = [_d6(claim.admission.date)]
        fields["FL13"] = [claim.admission.hour.strftime("%H") if claim.admission.hour else ""]
        fields["FL14"] = [claim.admission.type or ""]
        fields["FL15"] = [claim.admission.source or ""]
    if claim.discharge is not None and claim.discharge.hour is not None:
        fields["FL16"] = [claim.discharge.hour.strftime("%H")]
    if claim.accident is not None and claim.accident.state:
        fields["FL29"] = [claim.accident.state]
    for letter, (payer, insured, relationship, prior) in zip("ABC", _payer_rows(claim), strict=False):
        fields[f"FL50{letter}"] = [payer.name]
        fields[f"FL51{letter}"] = [payer.id]
        fields[f"FL52{letter}"] = ["Y"]
        fields[f"FL53{letter}"] = ["Y"]
        if prior is not None:
            fields[f"FL54{letter}"] = [money_text(prior.paid)]
        else:
            paid = sum((o.paid for o in claim.other_payers), ZERO)
            fields[f"FL55{letter}"] = [money_text(claim.total_charge - paid)]
        fields[f"FL58{letter}"] = [_person(insured.last_name, insured.first_name)]
        fields[f"FL59{letter}"] = [_RELATIONSHIP_CODE[relationship]]
        fields[f"FL60{letter}"] = [insured.member_id]
        if insured.group_number:
            fields[f"FL62{letter}"] = [insured.group_number]
    if claim.prior_authorization:
        fields["FL63A"] = [claim.prior_authorization]
    if claim.frequency in (Frequency.REPLACEMENT, Frequency.VOID) and claim.payer_claim_number:
        fields["FL64A"] = [claim.payer_claim_number]
    if claim.admitting_diagnosis:
        fields["FL69"] = [claim.admitting_diagnosis.replace(".", "")]
    if claim.procedures:
        procedures = [f"{p.code} {_d6(p.date)}" for p in claim.procedures[:6]]
        fields["FL74"] = [procedures[0], "  ".join(procedures[1:3]), "  ".join(procedures[3:6])]
    for fl, provider in (
        ("FL76", claim.attending_provider),
        ("FL78", claim.rendering_provider),
        ("FL79", claim.referring_provider),
    ):
        if provider is not None:
            fields[fl] = [f"{provider.npi}  {provider.last_name}  {provider.first_name or ''}".rstrip()]  # fmt: skip
    return fields


def _line(
    row: int, revenue: str, procedure: Sequence[str], date: dt.date, units: str, charge: str
) -> dict[str, list[str]]:
    return {
        f"FL42.{row}": [revenue],
        f"FL44.{row}": [" ".join(p for p in procedure if p)],
        f"FL45.{row}": [_d6(date)],
        f"FL46.{row}": [units],
        f"FL47.{row}": [charge],
    }


def pages(claim: Claim) -> list[Page]:
    """22 service lines a page; line 23 carries the page number and, on the last page, the total."""
    common = claim_fields(claim)
    chunks = [claim.lines[i : i + LINES_PER_PAGE] for i in range(0, len(claim.lines), LINES_PER_PAGE)] or [()]
    out: list[Page] = []
    for index, chunk in enumerate(chunks):
        page = dict(common)
        for row, line in enumerate(chunk, start=1):
            page.update(
                _line(
                    row,
                    line.revenue_code or "",
                    [line.procedure, *line.modifiers],
                    line.service_date,
                    x12_number(line.units),
                    money_text(line.charge),
                )
            )
            if line.ndc:
                page[f"FL43.{row}"] = [
                    f"N4{line.ndc.replace('-', '')} {line.ndc_unit or 'UN'}{x12_number(line.ndc_quantity or line.units)}"
                ]
        total_row = LINES_PER_PAGE + 1
        page[f"FL42.{total_row}"] = ["0001"]
        page[f"FL43.{total_row}"] = [
            f"PAGE {index + 1} OF {len(chunks)}   CREATION DATE {dt.date.today():%m%d%y}"
        ]
        if index == len(chunks) - 1:
            page[f"FL47.{total_row}"] = [money_text(claim.total_charge)]
        out.append(page)
    return out


def render_ub04(claim: Claim) -> bytes:
    """The claim printed on the UB-04 layout, as PDF bytes."""
    if claim.type != ClaimType.INSTITUTIONAL:
        raise InputError(
            f"claim {claim.claim_id} is professional; print it on the CMS-1500 (medbill forms cms1500)"
        )
    return render(UB04, pages(claim), footer=f"claim {claim.claim_id} - ")
