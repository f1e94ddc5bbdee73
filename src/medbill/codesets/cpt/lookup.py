"""`kb.cpt`: CPT codes from the user's licensed file; without one, validation by format only."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from medbill.codesets.cpt.userfile import FORMAT
from medbill.codesets.records import CodeValidation, SearchHit

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

FORMAT_ONLY = "CPT format only: no CPT file installed (see `medbill data add-cpt`); the code was not checked"


@dataclass(frozen=True, slots=True)
class CptCode:
    code: str
    description: str
    valid_from: date
    valid_to: date | None
    release: str
    system: str = "cpt"
    billable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "description": self.description,
            "billable": self.billable,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "release": self.release,
            "notes": {},
        }


class CptCodes:
    system = "cpt"

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb

    @property
    def installed(self) -> bool:
        return self.kb.has("cpt")

    def get(self, code: str, on: date | None = None) -> CptCode | None:
        key = code.strip().upper()
        if not self.installed or not FORMAT.match(key):
            return None
        release = self.kb.release_for("cpt", on, what="CPT (user-supplied)")
        row = self.kb.conn.execute(
            "SELECT descriptor FROM cpt_code WHERE release_id=? AND code=?", (release.id, key)
        ).fetchone()
        if row is None:
            return None
        return CptCode(key, row[0], release.effective.start, release.effective.end, release.id)

    def validate(self, code: str, on: date | None = None) -> CodeValidation:
        key = code.strip().upper()
        if not FORMAT.match(key):
            return CodeValidation(
                code, self.system, False, False, "malformed: not a CPT code (5 digits, or 4 digits and F/T/U)"
            )
        if not self.installed:
            return CodeValidation(key, self.system, True, True, FORMAT_ONLY, format_only=True)
        release = self.kb.release_for("cpt", on, what="CPT (user-supplied)")
        record = self.get(key, on)
        if record is None:
            return CodeValidation(
                key, self.system, False, False, f"unknown: not in {release.name}", release=release.id
            )
        return CodeValidation(
            key, self.system, True, True, "valid", description=record.description, release=release.id
        )

    def description(self, code: str, on: date | None = None) -> str:
        record = self.get(code, on)
        return record.description if record else ""

    def search(self, text: str, *, limit: int = 10, on: date | None = None) -> list[SearchHit]:
        from medbill.codesets.query import search

        return search(self.kb, text, systems=("cpt",), limit=limit, on=on) if self.installed else []
