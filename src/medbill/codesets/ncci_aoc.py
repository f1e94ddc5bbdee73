"""Loader for the CMS NCCI add-on code (AOC) edit file, in its published XLSX layout.

`AOC_V2026Q2-MCR.xlsx`: one sheet; row 1 is the AMA notice, row 2 the heading `AOC_Edit_Type`,
`Add-On_Code`, `AOC_DelDT`, `Primary_Code`, `Primary_Code_DelDT`, `AOC_Edit_EffDT`,
`AOC_Edit_DelDT`, `Special_Instruction_Notes`; then one add-on/primary pair per row. Dates are
Julian `YYYYDDD` (2013091 = 1 April 2013); empty means not deleted. Edit types as CMS defines them:

1. the add-on has a fixed list of primary codes; claims without one are denied;
2. no primary codes are listed (`CCCCC`): each contractor defines them;
3. some primary codes are listed, and a contractor may accept others.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medbill.core.errors import DataError

FILE_NAME = re.compile(r"AOC_V(\d{4})Q([1-4])", re.IGNORECASE)
CONTRACTOR_DEFINED = "CCCCC"
HEADING = (
    "AOC_Edit_Type",
    "Add-On_Code",
    "AOC_DelDT",
    "Primary_Code",
    "Primary_Code_DelDT",
    "AOC_Edit_EffDT",
    "AOC_Edit_DelDT",
    "Special_Instruction_Notes",
)


@dataclass(frozen=True, slots=True)
class AocEdit:
    edit_type: int
    addon: str
    primary: str
    effective: dt.date
    deletion: dt.date | None
    addon_deletion: dt.date | None = None
    primary_deletion: dt.date | None = None
    notes: str = ""


def julian(text: Any) -> dt.date | None:
    """A CMS Julian date `YYYYDDD` as a date (None when empty).

    >>> julian("2013091"), julian("2023365"), julian(None)
    (datetime.date(2013, 4, 1), datetime.date(2023, 12, 31), None)
    """
    if text is None or str(text).strip() == "":
        return None
    value = str(text).strip()
    if not re.fullmatch(r"\d{7}", value):
        raise ValueError(f"{value!r} is not a Julian date YYYYDDD")
    year, day = int(value[:4]), int(value[4:])
    return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)


def effective_of(path: str | Path) -> dt.date:
    """The quarter an AOC file name encodes.

    >>> effective_of("AOC_V2026Q2-MCR.xlsx")
    datetime.date(2026, 4, 1)
    """
    match = FILE_NAME.search(Path(path).name)
    if not match:
        raise DataError(f"{path}: not a CMS AOC file name (expected AOC_VyyyyQn-MCR.xlsx)")
    return dt.date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def read_aoc(path: str | Path) -> Iterator[AocEdit]:
    """Every add-on/primary row of the AOC workbook."""
    import openpyxl

    file = Path(path)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DataError(f"{file}: no such AOC file") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        heading_seen = False
        for number, row in enumerate(rows, start=1):
            cells = tuple("" if c is None else str(c).strip() for c in row[:8])
            if not heading_seen:
                heading_seen = cells[:2] == HEADING[:2]
                continue
            if not any(cells):
                continue
            yield _edit(cells, source=f"{file}:row {number}")
        if not heading_seen:
            raise DataError(f"{file}: no AOC_Edit_Type / Add-On_Code heading row; not a CMS AOC file")
    finally:
        workbook.close()


def _edit(cells: tuple[str, ...], *, source: str) -> AocEdit:
    cells = cells + ("",) * (8 - len(cells))
    kind, addon, addon_del, primary, primary_del, effective, deletion, notes = cells
    if kind not in ("1", "2", "3"):
        raise DataError(f"{source}: AOC edit type {kind!r} is not 1, 2 or 3")
    try:
        start = julian(effective)
        return AocEdit(
            edit_type=int(kind),
            addon=addon,
            primary=primary,
            effective=start if start is not None else dt.date(1900, 1, 1),
            deletion=julian(deletion),
            addon_deletion=julian(addon_del),
            primary_deletion=julian(primary_del),
            notes=notes,
        )
    except ValueError as exc:
        raise DataError(f"{source}: {exc}") from None


def write_aoc(path: str | Path, edits: list[AocEdit]) -> None:
    """Write edits in the CMS XLSX layout (for test fixtures)."""
    import openpyxl

    def jul(day: dt.date | None) -> str | None:
        return None if day is None else f"{day.year}{day.timetuple().tm_yday:03d}"

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["CPT codes, descriptions and other data only are copyright American Medical Association."])
    sheet.append(list(HEADING))
    for e in edits:
        sheet.append(
            [
                str(e.edit_type),
                e.addon,
                jul(e.addon_deletion),
                e.primary,
                jul(e.primary_deletion),
                jul(e.effective),
                jul(e.deletion),
                e.notes or None,
            ]
        )
    file = Path(path)
    tmp = file.with_name(file.name + ".tmp.xlsx")
    workbook.save(tmp)
    tmp.replace(file)
