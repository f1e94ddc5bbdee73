"""`kb.mce`: the Medicare Code Editor lists as of a date.

>>> kb.mce.age_range("Z3800")         # doctest: +SKIP
AgeRange(low=0, high=0, list='4A', title='Perinatal/Newborn diagnoses')
"""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from medbill.codesets.icd10cm.refs import undotted

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase, ReleaseInfo

SEX_EDIT_NOTE = (
    "MCE edit 5 (sex conflict) is deactivated as of 10/01/2024: the MCE gives no sex-specific lists"
)


@dataclass(frozen=True, slots=True)
class MceList:
    key: str
    edit: int
    edit_title: str
    title: str
    code_type: str  # dx | px
    inpatient_only: bool
    active: bool
    age_low: int | None
    age_high: int | None
    release: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class AgeRange:
    low: int
    high: int
    list: str
    title: str

    def allows(self, age: int) -> bool:
        return self.low <= age <= self.high


class MceEdits:
    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb
        self.conn = kb.conn

    def release(self, on: date | None = None) -> "ReleaseInfo":
        return self.kb.release_for("mce", on, what="Medicare Code Editor")

    def _list(self, rid: str, row: tuple[Any, ...]) -> MceList:
        return MceList(
            row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]), row[7], row[8], rid
        )

    def lists(self, on: date | None = None, *, include_inactive: bool = False) -> tuple[MceList, ...]:
        rid = self.release(on).id
        rows = self.conn.execute(
            "SELECT key, edit, edit_title, title, code_type, inpatient_only, active, age_low, age_high"
            " FROM mce_list WHERE release_id=? ORDER BY edit, key",
            (rid,),
        )
        found = (self._list(rid, r) for r in rows)
        return tuple(m for m in found if include_inactive or m.active)

    def codes(self, key: str, on: date | None = None) -> tuple[str, ...]:
        rid = self.release(on).id
        return tuple(
            r[0]
            for r in self.conn.execute(
                "SELECT code FROM mce_code WHERE release_id=? AND key=? ORDER BY code", (rid, key)
            )
        )

    def lists_for(self, code: str, on: date | None = None) -> tuple[MceList, ...]:
        """The active lists that name `code` (dots optional)."""
        rid = self.release(on).id
        rows = self.conn.execute(
            "SELECT l.key, l.edit, l.edit_title, l.title, l.code_type, l.inpatient_only, l.active, l.age_low, l.age_high"
            " FROM mce_code c JOIN mce_list l ON l.release_id=c.release_id AND l.key=c.key"
            " WHERE c.release_id=? AND c.code=? AND l.active=1 ORDER BY l.edit, l.key",
            (rid, undotted(code)),
        )
        return tuple(self._list(rid, r) for r in rows)

    def age_range(self, code: str, on: date | None = None) -> AgeRange | None:
        """The age range an age-conflict list allows for a diagnosis (None when no list names it)."""
        for item in self.lists_for(code, on):
            if item.edit == 4 and item.age_low is not None and item.age_high is not None:
                return AgeRange(item.age_low, item.age_high, item.key, item.title)
        return None

    def is_manifestation(self, code: str, on: date | None = None) -> bool:
        return any(item.edit == 6 for item in self.lists_for(code, on))

    def unacceptable_principal(self, code: str, on: date | None = None) -> bool:
        return any(item.edit == 9 for item in self.lists_for(code, on))

    def discharge_statuses(self, on: date | None = None) -> tuple[tuple[str, str], ...]:
        rid = self.release(on).id
        return tuple(
            self.conn.execute("SELECT code, description FROM mce_discharge_status WHERE release_id=?", (rid,))
        )

    @property
    def sex_edit(self) -> str:
        return SEX_EDIT_NOTE
