"""Parser of the CMS "Definitions of Medicare Code Edits" 508 text file (Windows-1252).

The text is a manual: a table of contents, then Chapter 1 with one numbered heading per edit
(`4. Age conflict`), lettered sub-lists (`A. Perinatal/Newborn diagnoses`), numbered sub-lists
(`1. Cesarean section procedure codes`), short sub-headings (`Procedures`, `Diagnoses list`), prose,
and list lines `CODE<TAB>short description`. Chapter 2 lists the codes added to or removed from each
edit since the previous version. The parser tracks the current heading and assigns every code line to
a list keyed like `4A`, `8B1`, `11D-dx`, `20`; the edit titles come from the manual's own list of
edits at the start of Chapter 1, so a heading is recognised only when it repeats one of them.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from medbill.core.errors import DataError

_NUMBERED = re.compile(r"^(\d{1,2})\. (.+?)\s*$")
_LETTERED = re.compile(r"^([A-G])\. (.+?)\s*$")
_CODE_LINE = re.compile(r"^([0-9A-Z]{3,7})\s*\t\s*(.*?)\s*$")
_AGES = re.compile(r"age (\d+) through (\d+)", re.IGNORECASE)
_DISCHARGE = re.compile(r"^(\d\d) = (.+?)\s*$")
_PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")

#: Edits whose rule is an inpatient admission or payment policy (the MCE edits inpatient claims; the
#: age and manifestation lists also encode ICD-10-CM conventions usable on any claim).
INPATIENT_ONLY = frozenset({8, 9, 11, 17, 18, 19, 20})


@dataclass
class MceList:
    key: str
    edit: int
    edit_title: str
    title: str
    code_type: str  # dx | px
    inpatient_only: bool
    active: bool
    age_low: int | None = None
    age_high: int | None = None
    codes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MceDefinitions:
    version: str
    lists: dict[str, MceList]
    discharge_status: list[tuple[str, str]]
    edits: dict[int, str]


def _code_type(code: str, heading: str) -> str:
    if len(code) != 7:
        return "dx"
    if code[0].isdigit():
        return "px"
    lowered = heading.lower()
    if "procedure" in lowered and "diagnos" not in lowered:
        return "px"
    if "diagnos" in lowered:
        return "dx"
    return "px" if _PCS.match(code) and code[0].isdigit() else "dx"


def parse_mce(path: Path) -> MceDefinitions:
    try:
        lines = path.read_bytes().decode("cp1252").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable MCE definitions text file ({exc})") from None
    version = next((ln.strip() for ln in lines[:10] if ln.strip().startswith("v")), "")
    start = next((i for i, ln in enumerate(lines) if ln.startswith("Below is a list of edits")), None)
    if start is None:
        raise DataError(
            f"{path}: the list of edits of Chapter 1 was not found (not the MCE definitions text?)"
        )
    edits: dict[int, str] = {}
    i = start + 1
    while i < len(lines) and (m := _NUMBERED.match(lines[i])):
        edits[int(m.group(1))] = m.group(2)
        i += 1
    if len(edits) < 10:
        raise DataError(f"{path}: only {len(edits)} edits listed in Chapter 1 (truncated file?)")
    lists: dict[str, MceList] = {}
    discharge: list[tuple[str, str]] = []
    edit = 0
    letter = sub = ""
    heading = subheading = ""
    changes = False
    for raw in lines[i:]:
        line = raw.rstrip()
        if line.startswith("Chapter 2"):
            changes = True
            edit, letter, sub = 0, "", ""
            continue
        if line.strip() == "Index" and changes:
            break
        numbered = _NUMBERED.match(line)
        if not changes and numbered and edits.get(int(numbered.group(1))) == numbered.group(2):
            edit, letter, sub, heading, subheading = int(numbered.group(1)), "", "", numbered.group(2), ""
            continue
        if changes and (m := re.match(r"^(\d{1,2})([A-G]?)\. (.+)$", line)):
            edit, letter, sub, heading, subheading = int(m.group(1)), m.group(2), "", m.group(3), ""
            continue
        if edit and (lettered := _LETTERED.match(line)):
            letter, sub, heading, subheading = lettered.group(1), "", lettered.group(2), ""
            continue
        if edit and numbered:
            sub, heading, subheading = numbered.group(1), numbered.group(2), ""
            continue
        if edit == 16 and (m := _DISCHARGE.match(line)):
            discharge.append((m.group(1), m.group(2)))
            continue
        code_line = _CODE_LINE.match(line)
        if not code_line or not edit:
            if line.strip() and "\t" not in line and len(line) < 60:
                subheading = line.strip()
            continue
        code, description = code_line.groups()
        kind = _code_type(code, subheading or heading)
        key = f"{edit}{letter}{sub}"
        if edit in (8, 11) and letter in ("B", "D") and not sub:
            key += f"-{kind}"
        if changes:
            key = f"changes-{key}-{'removed' if 'removed' in subheading.lower() else 'added'}"
        if key not in lists:
            ages = _AGES.search(heading)
            low, high = (int(ages.group(1)), int(ages.group(2))) if ages else (None, None)
            if edit == 4 and letter == "A":
                low, high = 0, 0
            lists[key] = MceList(
                key=key,
                edit=edit,
                edit_title=edits.get(edit, heading),
                title=subheading or heading,
                code_type=kind,
                inpatient_only=edit in INPATIENT_ONLY,
                active=not changes and "discontinued" not in heading and "deactivated" not in heading,
                age_low=low,
                age_high=high,
            )
        lists[key].codes.append((code, description))
    if not lists:
        raise DataError(f"{path}: no code lists found")
    return MceDefinitions(version=version, lists=lists, discharge_status=discharge, edits=edits)
