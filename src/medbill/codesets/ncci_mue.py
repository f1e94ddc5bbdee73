"""Loader for the CMS NCCI Medically Unlikely Edit (MUE) tables, in their published CSV layout.

Three tables per quarter: `MCR_MUE_PractitionerServices_Eff_04-01-2026.csv`,
`MCR_MUE_OutpatientHospitalServices_Eff_…csv` and `MCR_MUE_DMESupplierServices_Eff_…csv`.
Windows-1252 text; row 1 is a quoted multi-line AMA/CMS notice, row 2 the heading
(`HCPCS/CPT Code`, `<Setting> Services MUE Values`, `MUE Adjudication Indicator`, `MUE Rationale`),
then one code per row. The adjudication indicator (MAI) is the leading digit of text such as
`2 Date of Service Edit: Policy`.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from medbill.core.errors import DataError

FILE_NAME = re.compile(
    r"MUE_(Practitioner|OutpatientHospital|DMESupplier)Services?_Eff_(\d\d)-(\d\d)-(\d{4})", re.IGNORECASE
)
SETTINGS = {"practitioner": "practitioner", "outpatienthospital": "outpatient_hospital", "dmesupplier": "dme"}
HEADING_SETTINGS = {
    "practitioner": "practitioner",
    "outpatient hospital": "outpatient_hospital",
    "dme": "dme",
}
_CODE = re.compile(r"^[0-9A-Z]{5}$")


@dataclass(frozen=True, slots=True)
class MueEdit:
    code: str
    value: int
    mai: int
    rationale: str


@dataclass(frozen=True, slots=True)
class MueRelease:
    setting: str
    effective: dt.date

    @property
    def label(self) -> str:
        return f"{self.effective.year} Q{(self.effective.month - 1) // 3 + 1}"


def release_of(path: str | Path) -> MueRelease:
    """The setting and effective date a MUE file name encodes.

    >>> release_of("MCR_MUE_DMESupplierServices_Eff_04-01-2026.csv")
    MueRelease(setting='dme', effective=datetime.date(2026, 4, 1))
    """
    match = FILE_NAME.search(Path(path).name)
    if not match:
        raise DataError(
            f"{path}: not a CMS MUE file name (expected MCR_MUE_<Setting>Services_Eff_MM-DD-YYYY.csv)"
        )
    kind, month, day, year = match.groups()
    return MueRelease(SETTINGS[kind.lower()], dt.date(int(year), int(month), int(day)))


def read_mue(path: str | Path) -> tuple[str, list[MueEdit]]:
    """(setting from the heading, edits) of one MUE CSV file; malformed rows are a `DataError`."""
    file = Path(path)
    try:
        handle = file.open(encoding="cp1252", newline="")
    except FileNotFoundError:
        raise DataError(f"{file}: no such MUE file") from None
    with handle:
        rows = csv.reader(handle)
        setting = None
        edits: list[MueEdit] = []
        for row in rows:
            number = rows.line_num  # the physical line (quoted cells span several lines)
            if not row or not any(cell.strip() for cell in row):
                continue
            first = row[0].strip()
            if setting is None:
                if "HCPCS" in first.upper() and len(row) >= 3:
                    setting = _heading_setting(row[1], source=f"{file}:{number}")
                continue
            edits.append(_edit(row, source=f"{file}:{number}"))
    if setting is None:
        raise DataError(f"{file}: no `HCPCS/CPT Code` heading row; not a CMS MUE table")
    return setting, edits


def iter_mue(path: str | Path) -> Iterator[MueEdit]:
    yield from read_mue(path)[1]


def _heading_setting(cell: str, *, source: str) -> str:
    text = " ".join(cell.split()).lower()
    for key, setting in HEADING_SETTINGS.items():
        if text.startswith(key):
            return setting
    raise DataError(f"{source}: unknown MUE value column {cell!r}")


def _edit(row: list[str], *, source: str) -> MueEdit:
    if len(row) < 3:
        raise DataError(f"{source}: a MUE row has code, value, adjudication indicator and rationale")
    code, value, indicator = (cell.strip() for cell in row[:3])
    if not _CODE.match(code):
        raise DataError(f"{source}: {code!r} is not a 5-character HCPCS/CPT code")
    if not value.isdigit():
        raise DataError(f"{source}: MUE value {value!r} is not a whole number")
    mai = indicator[:1]
    if mai not in ("1", "2", "3"):
        raise DataError(f"{source}: adjudication indicator {indicator!r} does not start with 1, 2 or 3")
    return MueEdit(code, int(value), int(mai), row[3].strip() if len(row) > 3 else "")


def write_mue(path: str | Path, setting: str, edits: list[MueEdit]) -> None:
    """Write a table in the CMS CSV layout (for test fixtures)."""
    column = {
        "practitioner": "Practitioner",
        "outpatient_hospital": "Outpatient Hospital",
        "dme": "DME Supplier",
    }
    labels = {1: "1 Line Edit", 2: "2 Date of Service Edit: Policy", 3: "3 Date of Service Edit: Clinical"}
    file = Path(path)
    tmp = file.with_name(file.name + ".tmp")
    with tmp.open("w", encoding="cp1252", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            [
                "CPT codes, descriptions and other data only are copyright American Medical Association.\n",
                "",
                "",
                "",
            ]
        )
        out.writerow(
            [
                "HCPCS/\nCPT Code",
                f"{column[setting]} Services MUE Values",
                "MUE Adjudication Indicator",
                "MUE Rationale",
            ]
        )
        for e in edits:
            out.writerow([e.code, e.value, labels[e.mai], e.rationale])
    tmp.replace(file)
