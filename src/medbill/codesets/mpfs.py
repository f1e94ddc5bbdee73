"""Loader for the CMS Medicare Physician Fee Schedule relative value file (PPRRVUyy, CSV form).

The file (one of the quarterly `RVUyyX` bundles) has title and copyright lines, column headings
split over several lines, then one row per HCPCS code and modifier. Columns are assigned by
position, as the CMS record layout does: the CY2025 layout has 31 columns, the CY2026 layout 32
(a `PRIC IND` column was inserted after `TEAM SURG`).

CPT descriptors are AMA copyright and dental descriptors ADA copyright: the loader never keeps
the DESCRIPTION column. HCPCS Level II descriptions come from the HCPCS file instead.

>>> release_from_title("2026 National Physician Fee Schedule Relative Value File July Release", "x.csv")
('RVU26C', 2026, datetime.date(2026, 7, 1))
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from medbill.core.errors import DataError

#: Quarterly release letters and the first day each release applies to.
RELEASE_MONTHS = {"january": ("A", 1), "april": ("B", 4), "july": ("C", 7), "october": ("D", 10)}
_MONTH_ABBREVIATIONS = {name[:3]: name for name in RELEASE_MONTHS}


@dataclass(frozen=True, slots=True)
class RvuRelease:
    """One installed RVU file: `RVU26C` is the July 2026 release of CY2026."""

    name: str
    year: int
    effective: dt.date
    variant: str
    file: str
    released: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RvuRecord:
    """One row of the relative value file: the RVUs and payment policy indicators of a code+modifier."""

    hcpcs: str
    modifier: str
    status: str
    not_used_for_medicare: bool
    work: Decimal
    pe_nonfacility: Decimal
    pe_nonfacility_na: bool
    pe_facility: Decimal
    pe_facility_na: bool
    mp: Decimal
    pctc: str
    global_days: str
    pre_op: Decimal
    intra_op: Decimal
    post_op: Decimal
    mult_proc: str
    bilateral: str
    assistant: str
    co_surgeon: str
    team: str
    endo_base: str
    conversion_factor: Decimal
    supervision: str
    imaging_family: str
    opps_pe_nonfacility: Decimal
    opps_pe_facility: Decimal
    opps_mp: Decimal


# Column positions of the 32-column (CY2026) layout; the 31-column layout lacks PRIC IND (23).
_COLUMNS_2026 = {
    "hcpcs": 0, "modifier": 1, "status": 3, "not_used": 4, "work": 5, "pe_nf": 6, "pe_nf_na": 7,
    "pe_f": 8, "pe_f_na": 9, "mp": 10, "pctc": 13, "global": 14, "pre": 15, "intra": 16, "post": 17,
    "mult": 18, "bilat": 19, "asst": 20, "cosurg": 21, "team": 22, "endo": 24, "cf": 25,
    "supervision": 26, "family": 28, "opps_pe_nf": 29, "opps_pe_f": 30, "opps_mp": 31,
}  # fmt: skip
_COLUMNS_2025 = {k: (v - 1 if v > 23 else v) for k, v in _COLUMNS_2026.items()}


def release_from_title(title: str, file_name: str) -> tuple[str, int, dt.date]:
    """Release name, year and first effective day from the title line (or, failing that, the file name)."""
    match = re.search(r"(20\d\d)\D.*?(January|April|July|October)\s+Release", title, re.IGNORECASE)
    if match:
        year, month = int(match.group(1)), match.group(2).lower()
    else:
        named = re.search(r"(?:RVU|PPRRVU)(20\d\d|\d\d)_?([A-Za-z]{3})", file_name, re.IGNORECASE)
        if not named or named.group(2).lower() not in _MONTH_ABBREVIATIONS:
            raise DataError(f"{file_name}: cannot tell which RVU release this is (title {title!r})")
        year = int(named.group(1)) if len(named.group(1)) == 4 else 2000 + int(named.group(1))
        month = _MONTH_ABBREVIATIONS[named.group(2).lower()]
    letter, first_month = RELEASE_MONTHS[month]
    return f"RVU{year % 100:02d}{letter}", year, dt.date(year, first_month, 1)


def _decimal(text: str, where: str) -> Decimal:
    value = text.strip() or "0"
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DataError(f"{where}: {text!r} is not a number") from None


def read_rvu_file(path: Path) -> tuple[RvuRelease, list[RvuRecord]]:
    """Read a PPRRVU CSV file: its release and every code+modifier row (descriptions are dropped)."""
    with path.open(newline="", encoding="utf-8-sig", errors="strict") as handle:
        rows = list(csv.reader(handle))
    heading = next((i for i, row in enumerate(rows) if row and row[0].strip().upper() == "HCPCS"), None)
    if heading is None:
        raise DataError(f"{path.name}: no 'HCPCS' heading row; not a PPRRVU relative value file")
    width = len(rows[heading])
    if width >= 32:
        columns = _COLUMNS_2026
    elif width == 31:
        columns = _COLUMNS_2025
    else:
        raise DataError(
            f"{path.name}: {width} columns in the heading row; expected the 31- or 32-column layout"
        )
    title = next((cell for row in rows[:heading] for cell in row if "Relative Value File" in cell), "")
    name, year, effective = release_from_title(title, path.name)
    released = None
    for row in rows[:heading]:
        for cell in row:
            found = re.search(r"RELEASED\s+(\d\d)/(\d\d)/(\d{4})", cell)
            if found:
                released = dt.date(int(found.group(3)), int(found.group(1)), int(found.group(2)))
    variant = "QP" if re.search(r"(?<!non)QPP?\b", path.stem, re.IGNORECASE) else "nonQP"
    release = RvuRelease(name, year, effective, variant, path.name, released)
    records = list(_records(rows[heading + 1 :], columns, path.name, heading + 2))
    if not records:
        raise DataError(f"{path.name}: no data rows after the heading")
    return release, records


def _records(
    rows: list[list[str]], c: dict[str, int], file_name: str, first_line: int
) -> Iterator[RvuRecord]:
    for offset, row in enumerate(rows):
        if not row or not row[0].strip():
            continue
        where = f"{file_name} line {first_line + offset}"
        if len(row) <= c["opps_mp"]:
            raise DataError(f"{where}: {len(row)} columns, expected at least {c['opps_mp'] + 1}")

        def num(key: str, row: list[str] = row, where: str = where) -> Decimal:
            return _decimal(row[c[key]], f"{where} column {c[key] + 1}")

        def text(key: str, row: list[str] = row) -> str:
            return row[c[key]].strip()

        yield RvuRecord(
            hcpcs=text("hcpcs").upper(),
            modifier=text("modifier").upper(),
            status=text("status").upper(),
            not_used_for_medicare=bool(text("not_used")),
            work=num("work"),
            pe_nonfacility=num("pe_nf"),
            pe_nonfacility_na=text("pe_nf_na").upper() == "NA",
            pe_facility=num("pe_f"),
            pe_facility_na=text("pe_f_na").upper() == "NA",
            mp=num("mp"),
            pctc=text("pctc"),
            global_days=text("global"),
            pre_op=num("pre"),
            intra_op=num("intra"),
            post_op=num("post"),
            mult_proc=text("mult"),
            bilateral=text("bilat"),
            assistant=text("asst"),
            co_surgeon=text("cosurg"),
            team=text("team"),
            endo_base=text("endo").upper(),
            conversion_factor=num("cf"),
            supervision=text("supervision"),
            imaging_family=text("family"),
            opps_pe_nonfacility=num("opps_pe_nf"),
            opps_pe_facility=num("opps_pe_f"),
            opps_mp=num("opps_mp"),
        )
