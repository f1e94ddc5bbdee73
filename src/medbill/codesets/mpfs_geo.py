"""Loaders for the geographic files of the physician fee schedule.

- `GPCIyyyy.csv` (Addendum E): work, practice-expense and malpractice GPCIs per MAC and locality;
- `yyLOCCO.txt`: the counties in each locality (fixed-width; the CSV twin loses leading zeros);
- `ANESyyyy.csv`: anesthesia conversion factors per locality;
- `ZIP5_<MON><yyyy>.txt`: ZIP code → MAC (carrier) and pricing locality, layout in `ZIP5lyout.txt`.

All are read as published; a row that does not fit the layout is a `DataError` naming file and line.
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from medbill.core.errors import DataError


@dataclass(frozen=True, slots=True)
class GeoRelease:
    """One installed geographic file: its kind, label, and first effective day."""

    kind: str
    name: str
    year: int
    effective: dt.date
    file: str


@dataclass(frozen=True, slots=True)
class GpciRecord:
    mac: str
    state: str
    locality: str
    name: str
    work: Decimal
    pe: Decimal
    mp: Decimal


@dataclass(frozen=True, slots=True)
class LocalityRecord:
    mac: str
    locality: str
    state: str
    area: str
    counties: str


@dataclass(frozen=True, slots=True)
class AnesthesiaCfRecord:
    mac: str
    locality: str
    name: str
    cf: Decimal


@dataclass(frozen=True, slots=True)
class Zip5Record:
    state: str
    zip5: str
    mac: str
    locality: str
    rural: str
    plus_four: bool


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig", errors="strict").splitlines()


def _decimal(text: str, where: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise DataError(f"{where}: {text!r} is not a number") from None


def _year_in(text: str, where: str) -> int:
    found = re.search(r"(20\d\d)", text)
    if not found:
        raise DataError(f"{where}: cannot tell the calendar year of this file")
    return int(found.group(1))


def read_gpci_file(path: Path) -> tuple[GeoRelease, list[GpciRecord]]:
    """Read GPCIyyyy.csv: heading row names the year (`2025 PW GPCI ...`), then one row per locality."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    heading = next(
        (i for i, row in enumerate(rows) if any("PE GPCI" in cell.upper() for cell in row)),
        None,
    )
    if heading is None:
        raise DataError(f"{path.name}: no heading row with 'PE GPCI'; not a CMS GPCI file")
    year = _year_in(" ".join(rows[heading]), path.name)
    records = []
    for number, row in enumerate(rows[heading + 1 :], start=heading + 2):
        if len(row) < 7 or not re.fullmatch(r"\d{4,5}", row[0].strip()):
            continue  # notes and blank lines after the table
        where = f"{path.name} line {number}"
        records.append(
            GpciRecord(
                mac=row[0].strip().zfill(5),
                state=row[1].strip(),
                locality=row[2].strip().zfill(2),
                name=row[3].strip().rstrip("*").strip(),
                work=_decimal(row[4], where),
                pe=_decimal(row[5], where),
                mp=_decimal(row[6], where),
            )
        )
    if not records:
        raise DataError(f"{path.name}: no locality rows")
    release = GeoRelease("gpci", f"GPCI{year}", year, dt.date(year, 1, 1), path.name)
    return release, records


def read_locality_file(path: Path) -> tuple[GeoRelease, list[LocalityRecord]]:
    """Read yyLOCCO.txt: fields separated by runs of spaces.

    Records of one state form a block between blank lines; the state name is printed on the first
    record of a block and filled down within it (a block whose first record has no state name, as
    California's in 25LOCCO.txt, keeps an empty state: the GPCI file has the state code).
    """
    lines = _lines(path)
    year = _year_in(next((line for line in lines if "LOCALITIES" in line.upper()), path.name), path.name)
    records: list[LocalityRecord] = []
    state = ""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            state = ""
            continue
        match = re.match(r"^\s*(\d{4,5})\s+(\d{1,2})\s{2,}(.*)$", line)
        if not match:
            continue
        rest = [part.strip() for part in re.split(r"\s{2,}", match.group(3).strip())]
        if len(rest) == 3:
            state, area, counties = rest
        elif len(rest) == 2:
            area, counties = rest
        else:
            raise DataError(f"{path.name} line {number}: expected state, fee schedule area and counties")
        records.append(
            LocalityRecord(
                match.group(1).zfill(5), match.group(2).zfill(2), state, area.rstrip("*"), counties
            )
        )
    if not records:
        raise DataError(f"{path.name}: no locality records")
    unique = list(dict.fromkeys(records))
    return GeoRelease("locality", f"{year % 100:02d}LOCCO", year, dt.date(year, 1, 1), path.name), unique


def read_anesthesia_file(path: Path) -> tuple[GeoRelease, list[AnesthesiaCfRecord]]:
    """Read ANESyyyy.csv: contractor, locality, locality name, anesthesia CF (values padded with spaces)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    year = _year_in(path.stem, path.name)
    records = []
    for number, row in enumerate(rows, start=1):
        if len(row) < 4 or not re.fullmatch(r"\d{4,5}", row[0].strip()):
            continue
        records.append(
            AnesthesiaCfRecord(
                mac=row[0].strip().zfill(5),
                locality=row[1].strip().zfill(2),
                name=row[2].strip().rstrip("*").strip(),
                cf=_decimal(row[3], f"{path.name} line {number}"),
            )
        )
    if not records:
        raise DataError(f"{path.name}: no anesthesia conversion factor rows")
    return GeoRelease("anesthesia", f"ANES{year}", year, dt.date(year, 1, 1), path.name), records


def read_zip5_file(path: Path) -> tuple[GeoRelease, list[Zip5Record]]:
    """Read the ZIP5 carrier-locality file (fixed-width; positions per ZIP5lyout.txt, 1-based)."""
    records = []
    quarter = ""
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        if len(line) < 23 or not line[2:7].isdigit() or not line[7:12].strip().isdigit():
            raise DataError(f"{path.name} line {number}: not a ZIP5 record (state, ZIP, carrier, locality)")
        quarter = quarter or line[75:80].strip()
        records.append(
            Zip5Record(
                state=line[0:2],
                zip5=line[2:7],
                mac=line[7:12],
                locality=line[12:14],
                rural=line[14].strip(),
                plus_four=line[20] == "1",
            )
        )
    if not records:
        raise DataError(f"{path.name}: no ZIP records")
    if not re.fullmatch(r"20\d\d[1-4]", quarter):
        raise DataError(f"{path.name}: year/quarter (columns 76-80) is {quarter!r}, expected YYYYQ")
    year, q = int(quarter[:4]), int(quarter[4])
    effective = dt.date(year, 3 * q - 2, 1)
    return GeoRelease("zip5", f"ZIP5 {year}Q{q}", year, effective, path.name), records
