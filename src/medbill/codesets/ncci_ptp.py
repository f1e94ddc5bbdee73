"""Loader for the CMS NCCI procedure-to-procedure (PTP) edit files, in their published text layout.

CMS publishes the Medicare PTP edits quarterly as zips of tab-delimited text files:
`ccipra-v321r0-f1.txt` … `-f4.txt` for practitioner services and `ccioph-v321r0-f1.txt` … for
outpatient hospital services (`v321r0` = version 32.1, revision 0; version 32.1 is 2026 Q2: the
major number is the year minus 1994, the minor number the quarter minus one). Each file opens with
a notice and a multi-line heading, then one edit per line::

    Column 1<TAB>Column 2<TAB>*=in existence prior to 1996<TAB>Effective Date<TAB>Deletion Date
    <TAB>Modifier 0=not allowed 1=allowed 9=not applicable<TAB>PTP Edit Rationale

with dates as `YYYYMMDD` and `*` as the deletion date of an edit still in force. Files are
Windows-1252 text. The zips may be read directly.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from medbill.core.errors import DataError

FILE_NAME = re.compile(r"^cci(pra|oph)-v(\d\d)(\d)r(\d+)(?:-f(\d+))?", re.IGNORECASE)
SETTINGS = {"pra": "practitioner", "oph": "outpatient_hospital"}
_CODE = re.compile(r"^[0-9A-Z]{5}$")
_DATE = re.compile(r"^\d{8}$")


@dataclass(frozen=True, slots=True)
class PtpEdit:
    column1: str
    column2: str
    effective: dt.date
    deletion: dt.date | None
    modifier_indicator: int
    rationale: str
    prior_1996: bool = False


@dataclass(frozen=True, slots=True)
class PtpRelease:
    """What a PTP file name says: the setting, the version and the quarter it takes effect."""

    setting: str
    version: str
    effective: dt.date
    part: int | None = None

    @property
    def label(self) -> str:
        quarter = (self.effective.month - 1) // 3 + 1
        return f"version {self.version} ({self.effective.year} Q{quarter})"


def release_of(path: str | Path) -> PtpRelease:
    """The release a PTP file name encodes.

    >>> release_of("ccipra-v321r0-f1.txt")
    PtpRelease(setting='practitioner', version='32.1r0', effective=datetime.date(2026, 4, 1), part=1)
    """
    match = FILE_NAME.match(Path(path).name)
    if not match:
        raise DataError(f"{path}: not a CMS PTP file name (expected ccipra-vNNNrN-fN or ccioph-vNNNrN-fN)")
    kind, major, minor, revision, part = match.groups()
    year = 1994 + int(major)
    quarter = int(minor) + 1
    if not 1 <= quarter <= 4:
        raise DataError(f"{path}: version {major}.{minor} does not name a quarter")
    return PtpRelease(
        setting=SETTINGS[kind.lower()],
        version=f"{int(major)}.{minor}r{int(revision)}",
        effective=dt.date(year, 3 * quarter - 2, 1),
        part=int(part) if part else None,
    )


def read_ptp(path: str | Path) -> Iterator[PtpEdit]:
    """Every edit in one PTP file (`.txt`, or a `.zip` holding the `.txt`)."""
    file = Path(path)
    if file.suffix.lower() == ".zip":
        with zipfile.ZipFile(file) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".txt")]
            if not members:
                raise DataError(f"{file}: no PTP .txt file inside the zip")
            for member in members:
                with archive.open(member) as raw:
                    yield from parse_ptp_lines(
                        io.TextIOWrapper(raw, encoding="cp1252"), source=f"{file}!{member}"
                    )
        return
    with file.open(encoding="cp1252", newline="") as handle:
        yield from parse_ptp_lines(handle, source=str(file))


def parse_ptp_lines(lines: Iterable[str], *, source: str = "<ptp>") -> Iterator[PtpEdit]:
    """Parse PTP text lines; heading lines are skipped, a malformed data line is a `DataError`."""
    seen_heading = False
    for number, raw in enumerate(lines, start=1):
        fields = raw.rstrip("\r\n").split("\t")
        first = fields[0].strip()
        if not _CODE.match(first) or len(fields) < 6:
            if "column 1" in raw.lower() or "column1" in raw.lower():
                seen_heading = True
            if _CODE.match(first):
                raise DataError(
                    f"{source}:{number}: a PTP edit has 7 tab-separated fields, found {len(fields)}"
                )
            continue
        if not seen_heading:
            raise DataError(
                f"{source}: no 'Column 1 / Column 2' heading before the first edit; not a PTP file"
            )
        yield _edit(fields, source=f"{source}:{number}")


def _edit(fields: list[str], *, source: str) -> PtpEdit:
    column2 = fields[1].strip()
    effective = fields[3].strip()
    deletion = fields[4].strip()
    indicator = fields[5].strip()
    if not _CODE.match(column2):
        raise DataError(f"{source}: column 2 code {column2!r} is not a 5-character code")
    if not _DATE.match(effective):
        raise DataError(f"{source}: effective date {effective!r} is not YYYYMMDD")
    if deletion not in ("", "*") and not _DATE.match(deletion):
        raise DataError(f"{source}: deletion date {deletion!r} is not YYYYMMDD or *")
    if indicator not in ("0", "1", "9"):
        raise DataError(f"{source}: modifier indicator {indicator!r} is not 0, 1 or 9")
    return PtpEdit(
        column1=fields[0].strip(),
        column2=column2,
        effective=_ymd(effective),
        deletion=_ymd(deletion) if deletion not in ("", "*") else None,
        modifier_indicator=int(indicator),
        rationale=fields[6].strip() if len(fields) > 6 else "",
        prior_1996=fields[2].strip() == "*",
    )


def _ymd(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def write_ptp(path: str | Path, edits: Iterable[PtpEdit], *, notice: str = "") -> None:
    """Write edits in the CMS text layout (for fixtures and generated benchmark tables)."""
    heading = [
        notice or "CPT only copyright American Medical Association. All rights reserved.",
        "Column1/Column 2 Edits",
        "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale",
        "\t\tprior to 1996\tDate\tDate\t0=not allowed\t",
        "\t\t\t\t*=no data\t1=allowed\t",
        "\t\t\t\t\t9=not applicable\t",
    ]
    file = Path(path)
    tmp = file.with_name(file.name + ".tmp")
    with tmp.open("w", encoding="cp1252", newline="\r\n") as out:
        out.write("\n".join(heading) + "\n")
        for e in edits:
            deletion = e.deletion.strftime("%Y%m%d") if e.deletion else "*"
            flag = "*" if e.prior_1996 else ""
            out.write(
                f"{e.column1}\t{e.column2}\t{flag}\t{e.effective.strftime('%Y%m%d')}\t{deletion}\t"
                f"{e.modifier_indicator}\t{e.rationale}\n"
            )
    tmp.replace(file)
