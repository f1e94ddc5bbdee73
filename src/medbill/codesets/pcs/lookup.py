"""`kb.pcs`: ICD-10-PCS codes as of a date, with the meaning of each character from the tables.

The codes in force come from the tables release (FY2026) or the codes file (FY2025), whichever is in
force on the date; `on=None` means the newest.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from medbill.codesets.kb import OutOfRangeError
from medbill.codesets.pcs.formats import AXES
from medbill.codesets.records import CodeValidation, SearchHit, Term

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase, ReleaseInfo

FORMAT = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
CODE_SOURCES = "icd10pcs/tables|icd10pcs/codes"


@dataclass(frozen=True, slots=True)
class PcsCode:
    code: str
    description: str
    composed: bool  # the title was composed from the table's axis labels
    axes: tuple[tuple[str, str, str], ...]  # (axis name, character, label)
    operation_definition: str
    valid_from: date
    valid_to: date | None
    release: str
    system: str = "icd10pcs"
    billable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "description": self.description,
            "description_composed": self.composed,
            "billable": self.billable,
            "axes": [{"axis": a, "char": c, "label": label} for a, c, label in self.axes],
            "notes": {"operation_definition": [self.operation_definition]}
            if self.operation_definition
            else {},
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "release": self.release,
        }


class PcsCodes:
    system = "icd10pcs"

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb
        self.conn = kb.conn
        self._get = lru_cache(maxsize=4096)(self._load)

    def release(self, on: date | None = None) -> "ReleaseInfo":
        return self.kb.release_for(CODE_SOURCES, on, what="ICD-10-PCS")

    def _axes(self, code: str, on: date | None) -> tuple[tuple[tuple[str, str, str], ...], str]:
        """Axis labels from the tables release in force (or the newest tables when none is)."""
        if not self.kb.has("icd10pcs/tables"):
            return (), ""
        try:
            rid = self.kb.release_for("icd10pcs/tables", on).id
        except OutOfRangeError:
            rid = self.kb.release_for("icd10pcs/tables").id
        head = self.conn.execute(
            "SELECT section, body_system, operation, definition FROM pcs_table WHERE release_id=? AND prefix=?",
            (rid, code[:3]),
        ).fetchone()
        if head is None:
            return (), ""
        axes = [(AXES[i], code[i], head[i]) for i in range(3)]
        for pos in range(4, 8):
            row = self.conn.execute(
                "SELECT label FROM pcs_axis WHERE release_id=? AND prefix=? AND pos=? AND code=? LIMIT 1",
                (rid, code[:3], pos, code[pos - 1]),
            ).fetchone()
            axes.append((AXES[pos - 1], code[pos - 1], row[0] if row else ""))
        return tuple(axes), head[3]

    def _load(self, rid: str, code: str, on: date | None) -> PcsCode | None:
        row = self.conn.execute(
            "SELECT title, composed FROM pcs_code WHERE release_id=? AND code=?", (rid, code)
        ).fetchone()
        if row is None:
            return None
        release = next(r for r in self.kb.releases if r.id == rid)
        axes, definition = self._axes(code, on)
        return PcsCode(
            code, row[0], bool(row[1]), axes, definition, release.effective.start, release.effective.end, rid
        )

    def get(self, code: str, on: date | None = None) -> PcsCode | None:
        key = code.strip().upper()
        if not FORMAT.match(key):
            return None
        return self._get(self.release(on).id, key, on)

    def validate(self, code: str, on: date | None = None) -> CodeValidation:
        key = code.strip().upper()
        if not FORMAT.match(key):
            return CodeValidation(
                code, self.system, False, False, "malformed: not a 7-character ICD-10-PCS code"
            )
        release = self.release(on)
        record = self._get(release.id, key, on)
        if record is not None:
            return CodeValidation(
                key, self.system, True, True, "valid", description=record.description, release=release.id
            )
        near = [
            r[0]
            for r in self.conn.execute(
                "SELECT code FROM pcs_code WHERE release_id=? AND code BETWEEN ? AND ? ORDER BY code LIMIT 10",
                (release.id, key[:4], key[:4] + "~"),
            )
        ]
        return CodeValidation(
            key,
            self.system,
            False,
            False,
            f"unknown: not in {release.name}",
            suggestions=tuple(near),
            release=release.id,
        )

    def description(self, code: str, on: date | None = None) -> str:
        record = self.get(code, on)
        if record is not None:
            return record.description
        head = self.conn.execute(
            "SELECT section || ', ' || body_system || ', ' || operation FROM pcs_table WHERE prefix=? LIMIT 1",
            (code[:3],),
        ).fetchone()
        return f"table {code}: {head[0]}" if head and len(code) < 7 else ""

    def search(self, text: str, *, limit: int = 10, on: date | None = None) -> list[SearchHit]:
        from medbill.codesets.query import search

        return search(self.kb, text, systems=("icd10pcs",), limit=limit, on=on)

    def definitions(self, term: str, on: date | None = None) -> tuple[dict[str, str], ...]:
        """Official definitions of an axis value (`Resection`, `Percutaneous Endoscopic`, ...)."""
        if not self.kb.has("icd10pcs/tables"):
            return ()
        rid = self.kb.release_for("icd10pcs/tables", on, what="ICD-10-PCS tables").id
        rows = self.conn.execute(
            "SELECT section, pos, term, definition, explanation, includes FROM pcs_definition"
            " WHERE release_id=? AND term=? COLLATE NOCASE ORDER BY section, pos",
            (rid, term.strip()),
        )
        keys = ("section", "axis", "term", "definition", "explanation", "includes")
        return tuple(dict(zip(keys, (str(v) for v in row), strict=True)) for row in rows)

    def iter_terms(self, on: date | None = None) -> Iterator[Term]:
        """Index paths that lead to a code or a table, and code titles: (text, code, path) for a matcher."""
        for selector, sql in (
            ("icd10pcs/index", "SELECT title, CASE WHEN code != '' THEN code ELSE tbl END, path FROM pcs_index_term"
             " WHERE release_id=? AND (code != '' OR tbl != '') ORDER BY id"),
            (CODE_SOURCES, "SELECT title, code, code FROM pcs_code WHERE release_id=? ORDER BY code"),
        ):  # fmt: skip
            if not any(self.kb.has(s) for s in selector.split("|")):
                continue
            try:
                rid = self.kb.release_for(selector, on).id
            except OutOfRangeError:
                continue
            for title, code, path in self.conn.execute(sql, (rid,)):
                yield Term(
                    title,
                    code,
                    self.system,
                    "index" if selector.endswith("index") else "title",
                    tuple(path.split(" → ")),
                )

    def count(self, on: date | None = None) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM pcs_code WHERE release_id=?", (self.release(on).id,)
            ).fetchone()[0]
        )
