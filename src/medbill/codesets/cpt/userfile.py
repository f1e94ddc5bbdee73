"""Reader of a user-supplied CPT file: CSV, TSV or XLSX with a header row, one code per row.

The code column and the descriptor column are named by the user or guessed from the header (`code`,
`cpt`, `hcpcs` / `descriptor`, `description`, `long`). Codes are CPT's five characters (`99213`,
`0001F`, `0002T`, `0001U`).
"""

import csv
import re
from pathlib import Path

from medbill.core.errors import InputError

FORMAT = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU])$")
_CODE_HINTS = ("cpt code", "code", "cpt", "hcpcs")
_TEXT_HINTS = ("long descriptor", "descriptor", "long description", "description", "long", "short")


def _pick(header: list[str], wanted: str | None, hints: tuple[str, ...], what: str, path: Path) -> int:
    lowered = [h.strip().lower() for h in header]
    if wanted is not None:
        if wanted.strip().lower() not in lowered:
            raise InputError(f"{path}: no column {wanted!r} (columns: {', '.join(header)})")
        return lowered.index(wanted.strip().lower())
    for hint in hints:
        for i, name in enumerate(lowered):
            if name == hint or (hint in name and what == "descriptor"):
                return i
    raise InputError(
        f"{path}: cannot tell which column holds the {what}; name it (columns: {', '.join(header)})"
    )


def _rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                ["" if c is None else str(c) for c in row]
                for row in workbook.worksheets[0].iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    dialect = (
        csv.excel_tab
        if path.suffix.lower() in (".tsv", ".txt") or "\t" in text.split("\n", 1)[0]
        else csv.excel
    )
    return list(csv.reader(text.splitlines(), dialect))


def read_cpt_file(
    path: Path, code_column: str | None = None, descriptor_column: str | None = None
) -> list[tuple[str, str]]:
    """(code, descriptor) pairs; `InputError` says which row is wrong."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    rows = _rows(path)
    if len(rows) < 2:
        raise InputError(f"{path}: needs a header row and at least one code")
    header = rows[0]
    code_i = _pick(header, code_column, _CODE_HINTS, "code", path)
    text_i = _pick(header, descriptor_column, _TEXT_HINTS, "descriptor", path)
    out = []
    problems = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        code = row[code_i].strip().upper() if code_i < len(row) else ""
        if not FORMAT.match(code):
            problems.append(f"row {n}: {code!r} is not a CPT code")
            continue
        out.append((code, row[text_i].strip() if text_i < len(row) else ""))
    if problems:
        raise InputError(f"{path}: {len(problems)} rows are not CPT codes", tuple(problems[:10]))
    return out
