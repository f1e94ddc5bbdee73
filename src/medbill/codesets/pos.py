"""Place of Service codes: reader, knowledge-base section `pos` and `kb.pos`.

CMS publishes the POS code set as a web page; the machine-readable release medbill reads is its
transcription as an HL7 FHIR CodeSystem (`cs-CMS-PlaceofServiceCodes.xml`): one `<concept>` per code
with `<code value>`, `<display value>` and `<definition value>`. The date a code took effect is read
from the definition's "(Effective Month D, YYYY)" remark when it has one.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medbill.codesets.installed import InstalledRelease
from medbill.codesets.records import CodeValidation
from medbill.codesets.sections import BuildContext, Section
from medbill.core.errors import DataError

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

FHIR = "{http://hl7.org/fhir}"
_EFFECTIVE = re.compile(r"\(Effective ([A-Z][a-z]+ \d{1,2}, \d{4})", re.IGNORECASE)

SCHEMA = """
CREATE TABLE pos_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, definition TEXT NOT NULL, valid_from TEXT,
  PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
"""


def read_pos(path: Path) -> list[tuple[str, str, str, date | None]]:
    """(code, name, definition, effective date) for every concept of the CodeSystem."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: not a readable FHIR CodeSystem XML file ({exc})") from None
    out = []
    for concept in root.iter(f"{FHIR}concept"):
        code = concept.find(f"{FHIR}code")
        display = concept.find(f"{FHIR}display")
        definition = concept.find(f"{FHIR}definition")
        text = definition.get("value", "") if definition is not None else ""
        found = _EFFECTIVE.search(text)
        effective = datetime.strptime(found.group(1), "%B %d, %Y").date() if found else None
        out.append(
            (
                code.get("value", "").strip() if code is not None else "",
                display.get("value", "").strip() if display is not None else "",
                " ".join(text.split()),
                effective,
            )
        )
    if not out:
        raise DataError(f"{path}: no <concept> found")
    return out


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        rows = read_pos(item.path())
        ctx.conn.executemany(
            "INSERT INTO pos_code VALUES (?,?,?,?,?)",
            [(item.release.id, c, n, d, e.isoformat() if e else None) for c, n, d, e in rows],
        )
        counts[item.release.id] = len(rows)
    return counts


@dataclass(frozen=True, slots=True)
class PlaceOfServiceCode:
    code: str
    name: str
    definition: str
    valid_from: date | None
    release: str
    system: str = "pos"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


class PlaceOfService:
    """`kb.pos`: Place of Service codes (two digits) as of a date."""

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb

    def get(self, code: str, on: date | None = None) -> PlaceOfServiceCode | None:
        rid = self.kb.release_for("pos", on, what="Place of Service codes").id
        row = self.kb.conn.execute(
            "SELECT code, name, definition, valid_from FROM pos_code WHERE release_id=? AND code=?",
            (rid, code.strip().zfill(2)),
        ).fetchone()
        if row is None:
            return None
        return PlaceOfServiceCode(row[0], row[1], row[2], date.fromisoformat(row[3]) if row[3] else None, rid)

    def validate(self, code: str, on: date | None = None) -> CodeValidation:
        if not re.fullmatch(r"\d{1,2}", code.strip()):
            return CodeValidation(code, "pos", False, False, "malformed: a place of service is two digits")
        record = self.get(code, on)
        if record is None:
            return CodeValidation(code, "pos", False, False, "unknown or unassigned place of service")
        if on is not None and record.valid_from is not None and on < record.valid_from:
            return CodeValidation(
                record.code, "pos", False, False, f"not yet in effect: effective {record.valid_from}"
            )
        return CodeValidation(
            record.code, "pos", True, True, "valid", description=record.name, release=record.release
        )

    def all(self, on: date | None = None) -> tuple[PlaceOfServiceCode, ...]:
        rid = self.kb.release_for("pos", on, what="Place of Service codes").id
        codes = [
            r[0]
            for r in self.kb.conn.execute(
                "SELECT code FROM pos_code WHERE release_id=? ORDER BY code", (rid,)
            )
        ]
        return tuple(c for c in (self.get(code, on) for code in codes) if c is not None)


def _accessor(kb: object) -> object:
    return PlaceOfService(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="pos",
    version=1,
    schema=SCHEMA,
    loads=("pos",),
    load=load,
    accessor=_accessor,
    description="CMS Place of Service codes",
)
