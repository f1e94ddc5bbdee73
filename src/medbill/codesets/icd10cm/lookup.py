"""`kb.icd10cm`: ICD-10-CM Tabular lookups as of a date.

>>> code = kb.icd10cm.get("E1165", on=date(2026, 5, 1))        # doctest: +SKIP
>>> code.code, code.billable, code.parent                        # doctest: +SKIP
('E11.65', True, 'E11.6')
"""

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from medbill.codesets.icd10cm.refs import CodeRange, dotted, undotted
from medbill.codesets.icd10cm.tabular_xml import NOTE_TYPES
from medbill.codesets.records import CodeValidation, SearchHit, Term

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase, ReleaseInfo

FORMAT = re.compile(r"^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.?[0-9A-Z]{1,4})?$")
SELECTOR = "icd10cm/tabular"
PLACEHOLDER_RULE = (
    "A code that needs a 7th character but has fewer than six characters takes the placeholder X "
    "in each empty position before the 7th character (e.g. T07 + A = T07.XXXA)."
)


@dataclass(frozen=True, slots=True)
class SeventhCharacter:
    char: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An Excludes1/Excludes2 note that applies to a code (given at the code, an ancestor, its block
    or chapter), with the code ranges it cites."""

    kind: str
    owner: str
    text: str
    ranges: tuple[CodeRange, ...]

    def covers(self, code: str) -> bool:
        return any(r.contains(code) for r in self.ranges)


@dataclass(frozen=True, slots=True)
class Icd10cmCode:
    """One ICD-10-CM code (or header) of one release."""

    code: str
    description: str
    billable: bool
    kind: str  # category | subcategory | code
    parent: str | None
    parents: tuple[str, ...]
    children: tuple[str, ...]
    chapter: str
    chapter_description: str
    block: str
    block_description: str
    notes: dict[str, tuple[str, ...]] = field(hash=False)
    references: dict[str, tuple[str, ...]] = field(hash=False)
    seventh_characters: tuple[SeventhCharacter, ...]
    seventh_from: str | None
    placeholder: bool
    valid_from: date
    valid_to: date | None
    release: str
    system: str = "icd10cm"

    @property
    def header(self) -> bool:
        return not self.billable

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "description": self.description,
            "billable": self.billable,
            "kind": self.kind,
            "parent": self.parent,
            "parents": list(self.parents),
            "children": list(self.children),
            "chapter": {"number": self.chapter, "description": self.chapter_description},
            "block": {"id": self.block, "description": self.block_description},
            "notes": {k: list(v) for k, v in self.notes.items()},
            "references": {k: list(v) for k, v in self.references.items()},
            "seventh_characters": [{"char": s.char, "meaning": s.meaning} for s in self.seventh_characters],
            "seventh_from": self.seventh_from,
            "placeholder": self.placeholder,
            "placeholder_rule": PLACEHOLDER_RULE if self.placeholder or self.seventh_characters else None,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "release": self.release,
        }


class Icd10cmCodes:
    """ICD-10-CM lookups over an open knowledge base."""

    system = "icd10cm"

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb
        self.conn = kb.conn
        self._get = lru_cache(maxsize=4096)(self._load)
        self._heading_cache: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    def release(self, on: date | None = None) -> "ReleaseInfo":
        return self.kb.release_for(SELECTOR, on, what="ICD-10-CM Tabular")

    @staticmethod
    def normalize(code: str) -> str:
        return undotted(code.strip())

    # ---------------------------------------------------------------- single codes
    def _row(self, rid: str, key: str) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.conn.execute(
            "SELECT dotted, description, billable, parent, chapter, block, depth, seventh_from, placeholder,"
            " parents, seventh_owner FROM icd10cm_code WHERE release_id=? AND code=?",
            (rid, key),
        ).fetchone()
        return row

    def _headings(self, rid: str) -> tuple[dict[str, str], dict[str, str]]:
        """Chapter and block descriptions of a release (small; read once)."""
        if rid not in self._heading_cache:
            chapters = dict(
                self.conn.execute(
                    "SELECT chapter, description FROM icd10cm_chapter WHERE release_id=?", (rid,)
                )
            )
            blocks = dict(
                self.conn.execute("SELECT block, description FROM icd10cm_block WHERE release_id=?", (rid,))
            )
            self._heading_cache[rid] = (chapters, blocks)
        return self._heading_cache[rid]

    def _load(self, rid: str, key: str) -> Icd10cmCode | None:
        row = self._row(rid, key)
        if row is None:
            return None
        (
            code,
            description,
            billable,
            parent,
            chapter,
            block,
            depth,
            seventh_from,
            placeholder,
            parents,
            owner,
        ) = row
        release = next(r for r in self.kb.releases if r.id == rid)
        children = tuple(
            r[0]
            for r in self.conn.execute(
                "SELECT dotted FROM icd10cm_code WHERE release_id=? AND parent=? ORDER BY seq", (rid, key)
            )
        )
        notes: dict[str, list[str]] = {}
        for kind, text in self.conn.execute(
            "SELECT kind, text FROM icd10cm_note WHERE release_id=? AND owner=? ORDER BY kind, seq",
            (rid, key),
        ):
            notes.setdefault(kind, []).append(text)
        references: dict[str, list[str]] = {}
        if notes:
            for kind, first, last in self.conn.execute(
                "SELECT kind, first, last FROM icd10cm_note_ref WHERE release_id=? AND owner=? ORDER BY kind, seq",
                (rid, key),
            ):
                references.setdefault(kind, []).append(str(CodeRange(first, last)))
        chapters, blocks = self._headings(rid)
        seventh: tuple[SeventhCharacter, ...] = ()
        if owner:
            seventh = tuple(
                SeventhCharacter(c, m)
                for c, m in self.conn.execute(
                    "SELECT char, meaning FROM icd10cm_seventh WHERE release_id=? AND owner=? ORDER BY seq",
                    (rid, owner),
                )
            )
        return Icd10cmCode(
            code=code,
            description=description,
            billable=bool(billable),
            kind="category" if depth == 1 else ("code" if billable else "subcategory"),
            parent=dotted(parent) if parent else None,
            parents=tuple(parents.split()) if parents else (),
            children=children,
            chapter=chapter,
            chapter_description=chapters.get(chapter, ""),
            block=block,
            block_description=blocks.get(block, ""),
            notes={k: tuple(v) for k, v in notes.items()},
            references={k: tuple(v) for k, v in references.items()},
            seventh_characters=seventh,
            seventh_from=dotted(seventh_from) if seventh_from else (dotted(owner) if owner else None),
            placeholder=bool(placeholder),
            valid_from=release.effective.start,
            valid_to=release.effective.end,
            release=rid,
        )

    def get(self, code: str, on: date | None = None) -> Icd10cmCode | None:
        """The code as of `on` (dots optional), or None when that release does not have it."""
        key = self.normalize(code)
        if not FORMAT.match(key):
            return None
        return self._get(self.release(on).id, key)

    def __contains__(self, code: str) -> bool:
        return self.get(code) is not None

    def children(self, code: str, on: date | None = None) -> tuple[Icd10cmCode, ...]:
        record = self.get(code, on)
        if record is None:
            return ()
        return tuple(c for c in (self.get(child, on) for child in record.children) if c is not None)

    def billable_descendants(
        self, code: str, on: date | None = None, *, limit: int | None = None
    ) -> tuple[str, ...]:
        """The billable codes under a header, in Tabular order."""
        rid = self.release(on).id
        key = self.normalize(code)
        rows = self.conn.execute(
            "SELECT dotted FROM icd10cm_code WHERE release_id=? AND billable=1 AND code > ? AND code < ?"
            " ORDER BY seq LIMIT ?",
            (rid, key, key + "~", -1 if limit is None else limit),
        )
        return tuple(r[0] for r in rows)

    def in_range(
        self, ranges: tuple[CodeRange, ...], on: date | None = None, *, billable_only: bool = True
    ) -> Iterator[str]:
        """Expand code ranges (from notes) into the concrete codes of the release."""
        rid = self.release(on).id
        for item in ranges:
            low, high = item.sql_bounds
            sql = "SELECT dotted FROM icd10cm_code WHERE release_id=? AND code BETWEEN ? AND ?"
            if billable_only:
                sql += " AND billable=1"
            for (found,) in self.conn.execute(sql + " ORDER BY seq", (rid, low, high)):
                yield found

    # ---------------------------------------------------------------- conventions
    def owners(self, code: str, on: date | None = None) -> tuple[str, ...]:
        """Where notes that apply to `code` can sit: the code, its ancestors, its block and chapter."""
        record = self.get(code, on)
        if record is None:
            return ()
        return (
            undotted(record.code),
            *(undotted(p) for p in reversed(record.parents)),
            f"block:{record.block}",
            f"chapter:{record.chapter}",
        )

    def applicable_notes(self, code: str, kind: str, on: date | None = None) -> tuple[Exclusion, ...]:
        """Notes of one kind (`excludes1`, `code_first`, ...) that apply to `code` through the hierarchy."""
        if kind not in NOTE_TYPES:
            raise ValueError(f"unknown note type {kind!r}; one of {', '.join(NOTE_TYPES)}")
        rid = self.release(on).id
        out = []
        for owner in self.owners(code, on):
            refs: dict[int, list[CodeRange]] = {}
            for seq, first, last in self.conn.execute(
                "SELECT seq, first, last FROM icd10cm_note_ref WHERE release_id=? AND owner=? AND kind=?",
                (rid, owner, kind),
            ):
                refs.setdefault(seq, []).append(CodeRange(first, last))
            for seq, text in self.conn.execute(
                "SELECT seq, text FROM icd10cm_note WHERE release_id=? AND owner=? AND kind=? ORDER BY seq",
                (rid, owner, kind),
            ):
                shown = owner if ":" in owner else dotted(owner)
                out.append(Exclusion(kind, shown, text, tuple(refs.get(seq, ()))))
        return tuple(out)

    def excludes1(self, code: str, on: date | None = None) -> tuple[Exclusion, ...]:
        """The Excludes1 notes that apply to `code`, each with the code ranges it excludes."""
        return self.applicable_notes(code, "excludes1", on)

    def excludes1_conflict(self, first: str, second: str, on: date | None = None) -> Exclusion | None:
        """The Excludes1 note that forbids reporting `first` with `second` (either way), or None."""
        for a, b in ((first, second), (second, first)):
            for note in self.excludes1(a, on):
                if note.covers(b):
                    return note
        return None

    # ---------------------------------------------------------------- validation
    def validate(self, code: str, on: date | None = None) -> CodeValidation:
        key = self.normalize(code)
        if not FORMAT.match(key):
            return CodeValidation(
                code,
                self.system,
                False,
                False,
                "malformed: not an ICD-10-CM code (a letter, 2 more characters, then up to 4)",
            )
        release = self.release(on)
        record = self._get(release.id, key)
        if record is None:
            return CodeValidation(
                dotted(key),
                self.system,
                False,
                False,
                f"unknown: not in {release.name}",
                suggestions=self.closest(key, on),
                release=release.id,
            )
        if record.billable:
            return CodeValidation(
                record.code,
                self.system,
                True,
                True,
                "valid and billable",
                description=record.description,
                release=release.id,
            )
        reason = "header: not billable; report one of its billable codes"
        if record.seventh_characters and all(len(undotted(c)) == 7 for c in record.children):
            chars = ", ".join(s.char for s in record.seventh_characters)
            reason = f"header: needs a 7th character ({chars}); {PLACEHOLDER_RULE}"
        return CodeValidation(
            record.code,
            self.system,
            True,
            False,
            reason,
            suggestions=self.billable_descendants(key, on, limit=25),
            description=record.description,
            release=release.id,
        )

    def closest(self, code: str, on: date | None = None, *, limit: int = 5) -> tuple[str, ...]:
        """Valid codes nearest to an unknown code: the billable codes under its longest known prefix,
        else codes of the same category or chapter letter ranked by similarity."""
        rid = self.release(on).id
        key = self.normalize(code)
        for cut in range(len(key) - 1, 2, -1):
            if self._row(rid, key[:cut]) is not None:
                below = self.billable_descendants(key[:cut], on, limit=200)
                return tuple(
                    sorted(below, key=lambda c: -difflib.SequenceMatcher(None, undotted(c), key).ratio())[
                        :limit
                    ]
                )
        pool = [
            r[0]
            for r in self.conn.execute(
                "SELECT code FROM icd10cm_code WHERE release_id=? AND billable=1 AND code BETWEEN ? AND ?",
                (rid, key[:2], key[:2] + "~"),
            )
        ] or [
            r[0]
            for r in self.conn.execute(
                "SELECT code FROM icd10cm_code WHERE release_id=? AND billable=1 AND code BETWEEN ? AND ?",
                (rid, key[:1], key[:1] + "~"),
            )
        ]
        return tuple(dotted(c) for c in difflib.get_close_matches(key, pool, n=limit, cutoff=0.5))

    # ---------------------------------------------------------------- search and terms
    def search(self, text: str, *, limit: int = 10, on: date | None = None) -> list[SearchHit]:
        """Ranked codes for a free-text query (Tabular descriptions, inclusion terms and, when
        installed, the Index, Neoplasm and Drug tables)."""
        from medbill.codesets.query import search

        return search(self.kb, text, systems=("icd10cm",), limit=limit, on=on)

    def iter_terms(self, on: date | None = None, *, billable_only: bool = False) -> Iterator[Term]:
        """Every description and inclusion term of the release: (text, code, path) for a matcher."""
        rid = self.release(on).id
        billable = " AND c.billable=1" if billable_only else ""
        for code, description in self.conn.execute(
            f"SELECT c.dotted, c.description FROM icd10cm_code c WHERE c.release_id=?{billable} ORDER BY c.seq",
            (rid,),
        ):
            yield Term(description, code, self.system, "description", (code,))
        for code, text in self.conn.execute(
            "SELECT c.dotted, n.text FROM icd10cm_note n JOIN icd10cm_code c"
            " ON c.release_id=n.release_id AND c.code=n.owner"
            f" WHERE n.release_id=? AND n.kind='inclusion_terms'{billable} ORDER BY c.seq, n.seq",
            (rid,),
        ):
            yield Term(text, code, self.system, "inclusion", (code,))

    def description(self, code: str, on: date | None = None) -> str:
        record = self.get(code, on)
        return record.description if record else ""

    def count(self, on: date | None = None, *, billable_only: bool = False) -> int:
        rid = self.release(on).id
        sql = "SELECT count(*) FROM icd10cm_code WHERE release_id=?" + (
            " AND billable=1" if billable_only else ""
        )
        return int(self.conn.execute(sql, (rid,)).fetchone()[0])

    def codes(self, on: date | None = None, *, billable_only: bool = False) -> Iterator[str]:
        rid = self.release(on).id
        sql = "SELECT dotted FROM icd10cm_code WHERE release_id=?" + (
            " AND billable=1" if billable_only else ""
        )
        for (code,) in self.conn.execute(sql + " ORDER BY seq", (rid,)):
            yield code
