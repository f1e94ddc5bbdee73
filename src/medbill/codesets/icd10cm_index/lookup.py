"""`kb.index`: walk the ICD-10-CM Index and tables like a coder, and stream their terms.

`walk("Neoplasm, lung")` finds the main term (a part may name the whole title, `Neoplasm, neoplastic`,
or one of its comma-separated words, `Neoplasm`) and then each subterm in turn (`lung`), and returns
the matching entries with their subtrees, codes and table cells.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from medbill.codesets.icd10cm_index.section import ARROW, TABLES
from medbill.codesets.records import Term
from medbill.codesets.text import fold
from medbill.core.errors import InputError

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

TABLE_NAMES = tuple(TABLES.values())
_COMPONENT = {table: component for component, table in TABLES.items()}
_COLUMNS = "id, parent, level, title, nemod, code, manif, see, see_also, subcat, seecat, path"


@dataclass(frozen=True, slots=True)
class IndexNode:
    """An Index entry with its subtree."""

    table: str
    release: str
    id: int
    level: int
    title: str
    nemod: str
    code: str
    manif: str
    see: str
    see_also: str
    subcat: str
    seecat: str
    path: tuple[str, ...]
    cells: tuple[tuple[str, str], ...] = ()  # (column heading, code)
    children: tuple["IndexNode", ...] = field(default=())

    def label(self) -> str:
        parts = [f"{self.title} {self.nemod}".strip()]
        if self.code:
            parts.append(self.code + (f" [{self.manif}]" if self.manif else ""))
        if self.subcat:
            parts.append(f"(subcategory {self.subcat})")
        if self.see:
            parts.append(f"— see {self.see}")
        if self.see_also:
            parts.append(f"— see also {self.see_also}")
        if self.seecat:
            parts.append(f"— see category {self.seecat}")
        if self.cells:
            parts.append("  " + "; ".join(f"{h}: {c}" for h, c in self.cells))
        return " ".join(parts)

    def to_dict(self, depth: int = 50) -> dict[str, Any]:
        out: dict[str, Any] = {
            "table": self.table,
            "title": self.title,
            "nonessential": self.nemod,
            "path": list(self.path),
            "code": self.code or None,
            "manifestation": self.manif or None,
            "see": self.see or None,
            "see_also": self.see_also or None,
            "subcategory": self.subcat or None,
            "see_category": self.seecat or None,
            "cells": {h: c for h, c in self.cells},
            "release": self.release,
        }
        out["children"] = [c.to_dict(depth - 1) for c in self.children] if depth > 0 else []
        return out


def _match_rank(title: str, part: str) -> int:
    """0 = the whole title, 1 = one of its comma-separated words, 2 = a prefix of it, 3 = no match."""
    title = fold(title).strip()
    part = fold(part).strip()
    if title == part:
        return 0
    if part in {v.strip() for v in title.split(",")}:
        return 1
    return 2 if title.startswith(part) else 3


def _best(rows: list[tuple[Any, ...]], part: str) -> list[tuple[Any, ...]]:
    """The rows whose title matches `part` best (whole title before a word before a prefix)."""
    ranked = [(_match_rank(r[3], part), r) for r in rows]
    top = min((rank for rank, _ in ranked), default=3)
    return [r for rank, r in ranked if rank == top and rank < 3]


class IndexLookup:
    """The Index and tables of the releases in force on a date."""

    def __init__(self, kb: "KnowledgeBase") -> None:
        self.kb = kb
        self.conn = kb.conn

    def tables(self, on: date | None = None) -> dict[str, str]:
        """Installed tables → the release id answering on `on`."""
        found = {}
        for table in TABLE_NAMES:
            selector = f"icd10cm/{_COMPONENT[table]}"
            if self.kb.has(selector):
                found[table] = self.kb.release_for(selector, on, what=f"ICD-10-CM {table} index").id
        return found

    def _node(self, table: str, rid: str, row: tuple[Any, ...], depth: int) -> IndexNode:
        cells = tuple(
            (h, c)
            for h, c in self.conn.execute(
                "SELECT heading, code FROM icd10cm_index_cell WHERE release_id=? AND term_id=? ORDER BY col",
                (rid, row[0]),
            )
        )
        children: tuple[IndexNode, ...] = ()
        if depth > 0:
            children = tuple(self._node(table, rid, r, depth - 1) for r in self._children(rid, row[0]))
        return IndexNode(
            table, rid, row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10],
            tuple(row[11].split(ARROW)), cells, children,
        )  # fmt: skip

    def _children(self, rid: str, parent: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            f"SELECT {_COLUMNS} FROM icd10cm_index_term WHERE release_id=? AND parent=? ORDER BY id",
            (rid, parent),
        ).fetchall()

    def walk(
        self, path: str, *, table: str | None = None, on: date | None = None, depth: int = 20
    ) -> list[IndexNode]:
        """Entries reached by `MAINTERM[, SUBTERM...]`, with their subtrees (`depth` levels)."""
        parts = [p.strip() for p in path.split(",") if p.strip()]
        if not parts:
            raise InputError("index path is empty: give 'MAINTERM[, SUBTERM...]'")
        if table is not None and table not in TABLE_NAMES:
            raise InputError(f"--table: {table!r} is not one of {', '.join(TABLE_NAMES)}")
        installed = self.tables(on)
        if table is not None and table not in installed:
            raise InputError(
                f"the {table} index is not installed (installed: {', '.join(installed) or 'none'})"
            )
        results = []
        for name, rid in installed.items():
            if table is not None and name != table:
                continue
            mains = self.conn.execute(
                f"SELECT {_COLUMNS} FROM icd10cm_index_term WHERE release_id=? AND level=0 ORDER BY id",
                (rid,),
            ).fetchall()
            for consumed in range(len(parts), 0, -1):
                head = ", ".join(parts[:consumed])
                level = _best(mains, head)
                if level:
                    break
            else:
                continue
            for part in parts[consumed:]:
                level = _best([c for r in level for c in self._children(rid, r[0])], part)
            results += [self._node(name, rid, r, depth) for r in level]
        return results

    def neoplasm(self, path: str, *, on: date | None = None) -> list[IndexNode]:
        return self.walk(
            path if fold(path).startswith("neoplasm") else f"Neoplasm, {path}", table="neoplasm", on=on
        )

    def drug(self, path: str, *, on: date | None = None) -> list[IndexNode]:
        return self.walk(path, table="drug", on=on)

    def ecause(self, path: str, *, on: date | None = None) -> list[IndexNode]:
        return self.walk(path, table="ecause", on=on)

    def disease(self, path: str, *, on: date | None = None) -> list[IndexNode]:
        return self.walk(path, table="disease", on=on)

    def iter_terms(self, *, table: str | None = None, on: date | None = None) -> Iterator[Term]:
        """Every path that leads to a code: (text, code, path) for a multi-pattern matcher.

        Table cells yield one term per column, with the column heading as the last path element.
        """
        for name, rid in self.tables(on).items():
            if table is not None and name != table:
                continue
            for term_id, title, code, path in self.conn.execute(
                "SELECT id, title, code, path FROM icd10cm_index_term WHERE release_id=? ORDER BY id",
                (rid,),
            ):
                steps = tuple(path.split(ARROW))
                if code:
                    yield Term(title, code, "icd10cm", name, steps)
                for heading, cell in self.conn.execute(
                    "SELECT heading, code FROM icd10cm_index_cell WHERE release_id=? AND term_id=? ORDER BY col",
                    (rid, term_id),
                ):
                    yield Term(title, cell, "icd10cm", name, (*steps, heading))
