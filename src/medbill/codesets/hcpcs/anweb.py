"""Reader of the CMS HCPCS Level II alpha-numeric file (`HCPCyyyy_MON_ANWEB.xlsx`).

One sheet, header row first, one row per code: `HCPC` (5-character code; modifiers are 2 characters
right-justified with spaces), `RECID` (3 = procedure/code, 7 = modifier; 4 and 8 are continuation
records of the fixed-width TXT variant, absent from the XLSX), `LONG DESCRIPTION`, `SHORT
DESCRIPTION`, `ADD DT`, `ACT EFF DT`, `TERM DT` (`YYYYMMDD`, the last day the code may be used),
`ACTION CD`, `COV`, `BETOS`, ... Columns are found by header name, not position.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from medbill.core.errors import DataError

REQUIRED = (
    "HCPC",
    "RECID",
    "LONG DESCRIPTION",
    "SHORT DESCRIPTION",
    "ADD DT",
    "ACT EFF DT",
    "TERM DT",
    "ACTION CD",
)


@dataclass(frozen=True, slots=True)
class HcpcsRow:
    code: str
    kind: str  # code | modifier
    long_description: str
    short_description: str
    added: date | None
    action_effective: date | None
    terminated: date | None
    action_code: str
    coverage: str
    betos: str


def _date(value: object, *, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise DataError(f"{where}: {text!r} is not a YYYYMMDD date") from None


def read_anweb(path: Path) -> Iterator[HcpcsRow]:
    """Rows of the file; `DataError` names the file (and row) when it is not the expected layout."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(f"{path}: not a readable HCPCS XLSX file ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DataError(f"{path}: not an HCPCS alpha-numeric file (missing columns {', '.join(missing)})")
        col = {name: header.index(name) for name in header if name}
        for n, row in enumerate(rows, start=2):
            if not row or row[col["HCPC"]] is None:
                continue

            def cell(name: str, row: tuple[object, ...] = row) -> str:
                i = col.get(name)
                value = row[i] if i is not None and i < len(row) else None
                return "" if value is None else str(value).strip()

            recid = cell("RECID")
            if recid not in ("3", "7"):
                continue
            where = f"{path.name} row {n}"
            yield HcpcsRow(
                code=cell("HCPC").upper(),
                kind="modifier" if recid == "7" else "code",
                long_description=cell("LONG DESCRIPTION"),
                short_description=cell("SHORT DESCRIPTION"),
                added=_date(row[col["ADD DT"]], where=where),
                action_effective=_date(row[col["ACT EFF DT"]], where=where),
                terminated=_date(row[col["TERM DT"]], where=where),
                action_code=cell("ACTION CD"),
                coverage=cell("COV"),
                betos=cell("BETOS"),
            )
    finally:
        workbook.close()
