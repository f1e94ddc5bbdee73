"""NUCC Health Care Provider Taxonomy: reader of the NUCC CSV, section `taxonomy` and `kb.taxonomy`.

The CSV (`nucc_taxonomy_NNN.csv`, UTF-8, quoted, header `Code,Grouping,Classification,Specialization,
Definition,Notes,Display Name,Section`) has one row per 10-character code ending in `X`; notes such as
`[7/1/2003: new]` give the date a code was added. NUCC licence: free to use, not public domain.
"""

import csv
import re
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

FORMAT = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
_NEW = re.compile(r"\[(\d{1,2}/\d{1,2}/\d{4}): new\]")
COLUMNS = (
    "Code",
    "Grouping",
    "Classification",
    "Specialization",
    "Definition",
    "Notes",
    "Display Name",
    "Section",
)

SCHEMA = """
CREATE TABLE taxonomy_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, grouping TEXT NOT NULL, classification TEXT NOT NULL,
  specialization TEXT NOT NULL, definition TEXT NOT NULL, notes TEXT NOT NULL, display_name TEXT NOT NULL,
  section TEXT NOT NULL, valid_from TEXT, PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
"""


def read_taxonomy(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DataError(f"{path}: not a NUCC taxonomy CSV (missing columns {', '.join(missing)})")
            rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: not a readable NUCC taxonomy CSV ({exc})") from None
    bad = [r["Code"] for r in rows if not FORMAT.match(r["Code"])]
    if bad or not rows:
        raise DataError(f"{path}: {len(bad)} malformed taxonomy codes (first: {bad[:1]}) or no rows")
    return rows


def _added(notes: str) -> str | None:
    found = _NEW.search(notes)
    return datetime.strptime(found.group(1), "%m/%d/%Y").date().isoformat() if found else None


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        rows = read_taxonomy(item.path())
        ctx.conn.executemany(
            "INSERT INTO taxonomy_code VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(item.release.id, *(r[c] for c in COLUMNS), _added(r["Notes"])) for r in rows],
        )
        counts[item.release.id] = len(rows)
    return counts


@dataclass(frozen=True, slots=True)
class TaxonomyCode:
    code: str
    grouping: str
    classification: str
    specialization: str
    definition: str
    display_name: str
    section: str  # Individual | Non-Individual
    valid_from: date | None
    release: str
    system: str = "taxonomy"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


class Taxonomy:
    """`kb.taxonomy`: NUCC provider taxonomy codes."""

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb

    def get(self, code: str, on: date | None = None) -> TaxonomyCode | None:
        rid = self.kb.release_for("taxonomy", on, what="NUCC provider taxonomy").id
        row = self.kb.conn.execute(
            "SELECT code, grouping, classification, specialization, definition, display_name, section, valid_from"
            " FROM taxonomy_code WHERE release_id=? AND code=?",
            (rid, code.strip().upper()),
        ).fetchone()
        if row is None:
            return None
        return TaxonomyCode(
            code=row[0],
            grouping=row[1],
            classification=row[2],
            specialization=row[3],
            definition=row[4],
            display_name=row[5],
            section=row[6],
            valid_from=date.fromisoformat(row[7]) if row[7] else None,
            release=rid,
        )

    def validate(self, code: str, on: date | None = None) -> CodeValidation:
        if not FORMAT.match(code.strip().upper()):
            return CodeValidation(
                code, "taxonomy", False, False, "malformed: a taxonomy code is 10 characters ending in X"
            )
        record = self.get(code, on)
        if record is None:
            return CodeValidation(code, "taxonomy", False, False, "unknown taxonomy code")
        return CodeValidation(
            record.code,
            "taxonomy",
            True,
            True,
            "valid",
            description=record.display_name,
            release=record.release,
        )


def _accessor(kb: object) -> object:
    return Taxonomy(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="taxonomy",
    version=1,
    schema=SCHEMA,
    loads=("taxonomy",),
    load=load,
    accessor=_accessor,
    description="NUCC Health Care Provider Taxonomy",
)
