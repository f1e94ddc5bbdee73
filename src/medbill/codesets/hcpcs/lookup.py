"""`kb.hcpcs`: HCPCS Level II codes and modifiers, valid by their add and termination dates.

A code is valid on a date when the release in force lists it, its add date is on or before the
date and its termination date (the last day of use) is not before it.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from medbill.codesets.records import CodeValidation, SearchHit

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase, ReleaseInfo

FORMAT = re.compile(r"^[A-V][0-9]{4}$")
MODIFIER_FORMAT = re.compile(r"^[0-9A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class HcpcsCode:
    """An HCPCS Level II code or modifier of one release."""

    code: str
    kind: str  # code | modifier
    description: str
    short_description: str
    valid_from: date | None
    valid_to: date | None
    action_code: str
    coverage: str
    betos: str
    release: str
    system: str = "hcpcs"

    def active_on(self, on: date | None) -> bool:
        """Valid on `on` by its add/termination dates (`None`: not terminated)."""
        if on is None:
            return self.valid_to is None
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    @property
    def billable(self) -> bool:
        return self.kind == "code"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "kind": self.kind,
            "description": self.description,
            "short_description": self.short_description,
            "billable": self.billable,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "action_code": self.action_code,
            "coverage": self.coverage,
            "betos": self.betos,
            "release": self.release,
            "notes": {},
        }


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class HcpcsCodes:
    """HCPCS lookups over an open knowledge base."""

    system = "hcpcs"

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb
        self.conn = kb.conn
        self._get = lru_cache(maxsize=4096)(self._load)

    def release(self, on: date | None = None) -> "ReleaseInfo":
        return self.kb.release_for("hcpcs", on, what="HCPCS Level II")

    def _load(self, rid: str, kind: str, code: str) -> HcpcsCode | None:
        row = self.conn.execute(
            "SELECT code, kind, long_description, short_description, valid_from, valid_to, action_code,"
            " coverage, betos FROM hcpcs_code WHERE release_id=? AND kind=? AND code=?",
            (rid, kind, code),
        ).fetchone()
        if row is None:
            return None
        return HcpcsCode(row[0], row[1], row[2], row[3], _d(row[4]), _d(row[5]), row[6], row[7], row[8], rid)

    def get(self, code: str, on: date | None = None) -> HcpcsCode | None:
        """The code as listed by the release in force on `on` (also when terminated), or None."""
        key = code.strip().upper()
        if not FORMAT.match(key):
            return None
        return self._get(self.release(on).id, "code", key)

    def modifier(self, code: str, on: date | None = None) -> HcpcsCode | None:
        key = code.strip().upper()
        if not MODIFIER_FORMAT.match(key):
            return None
        return self._get(self.release(on).id, "modifier", key)

    def modifiers(self, on: date | None = None) -> tuple[HcpcsCode, ...]:
        rid = self.release(on).id
        found = (
            self._get(rid, "modifier", r[0])
            for r in self.conn.execute(
                "SELECT code FROM hcpcs_code WHERE release_id=? AND kind='modifier' ORDER BY code", (rid,)
            )
        )
        return tuple(m for m in found if m is not None and m.active_on(on))

    def validate(self, code: str, on: date | None = None, *, kind: str = "code") -> CodeValidation:
        key = code.strip().upper()
        pattern = FORMAT if kind == "code" else MODIFIER_FORMAT
        if not pattern.match(key):
            what = (
                "an HCPCS Level II code (letter A-V and 4 digits)"
                if kind == "code"
                else "a 2-character modifier"
            )
            return CodeValidation(code, self.system, False, False, f"malformed: not {what}")
        release = self.release(on)
        record = self._get(release.id, kind, key)
        if record is None:
            return CodeValidation(
                key, self.system, False, False, f"unknown: not in {release.name}", release=release.id
            )
        if not record.active_on(on):
            if record.valid_to is not None and (on is None or on > record.valid_to):
                reason = f"terminated: last day of use {record.valid_to.isoformat()}"
            else:
                reason = f"not yet valid: added {record.valid_from.isoformat() if record.valid_from else '?'}"
            return CodeValidation(
                key, self.system, False, False, reason, description=record.description, release=release.id
            )
        return CodeValidation(
            key,
            self.system,
            True,
            kind == "code",
            "valid",
            description=record.description,
            release=release.id,
        )

    def description(self, code: str, on: date | None = None) -> str:
        record = self.get(code, on) or self.modifier(code, on)
        return record.description if record else ""

    def search(self, text: str, *, limit: int = 10, on: date | None = None) -> list[SearchHit]:
        from medbill.codesets.query import search

        return search(self.kb, text, systems=("hcpcs",), limit=limit, on=on)

    def count(self, on: date | None = None, *, kind: str = "code") -> int:
        rid = self.release(on).id
        return int(
            self.conn.execute(
                "SELECT count(*) FROM hcpcs_code WHERE release_id=? AND kind=?", (rid, kind)
            ).fetchone()[0]
        )
