"""The code sets the coder reads, taken from the knowledge base as of a date.

`Terminology` wraps `medbill.codesets.open_kb()` for one date of service: it streams the terms the
dictionary is built from (Tabular descriptions and inclusion terms, Neoplasm/Drug/External-cause
table paths, ICD-10-PCS Index paths, HCPCS Level II descriptions) and answers the code lookups code
assembly needs (records, children, 7th characters, Excludes1 conflicts, "use additional code"
references), with a per-instance cache.

The ICD-10-PCS Index and the HCPCS code list have no iterator in `kb.pcs` / `kb.hcpcs` yet, so this
module reads their knowledge-base tables (`pcs_index_term`, `pcs_axis`, `hcpcs_code`) directly,
read-only; it is the only place in `coding` that knows those table names.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from medbill.codesets.icd10cm.lookup import Icd10cmCode
from medbill.codesets.records import Term

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

PCS_ARROW = " → "
# HCPCS Level II sections that name supplies, equipment and drugs (A transport/supplies, B enteral
# and parenteral, E durable equipment, J drugs, K temporary DME, L orthotics/prosthetics, Q
# temporary codes incl. biologicals, V vision/hearing); G and M quality-reporting codes and the
# other administrative sections are not read from notes
HCPCS_SUPPLY_AND_DRUG_SECTIONS = frozenset("ABEJKLQV")


@dataclass(frozen=True, slots=True)
class PcsIndexTerm:
    """One ICD-10-PCS Index entry: its path (main term first) and the code or table it gives."""

    path: tuple[str, ...]
    code: str
    table: str
    use: str
    see: str


class Terminology:
    """Code-set lookups for one date of service (`on=None`: the newest installed releases)."""

    def __init__(self, kb: "KnowledgeBase", on: date | None = None) -> None:
        self.kb = kb
        self.on = on
        self._icd = lru_cache(maxsize=65536)(self._load_icd)

    # ------------------------------------------------------------------ identity
    def releases(self) -> tuple[str, ...]:
        """Ids of the releases that answer on this date (the dictionary cache key)."""
        return tuple(sorted(self.kb.releases_on(self.on, ("icd10cm", "icd10pcs", "hcpcs"))))

    # ------------------------------------------------------------------ ICD-10-CM
    def _load_icd(self, code: str) -> Icd10cmCode | None:
        return self.kb.icd10cm.get(code, self.on)

    def icd(self, code: str) -> Icd10cmCode | None:
        """The ICD-10-CM record of `code` (dots and case free), or None."""
        return self._icd(code.strip().upper())

    def icd_children(self, code: str) -> tuple[Icd10cmCode, ...]:
        record = self.icd(code)
        if record is None:
            return ()
        return tuple(c for c in (self.icd(child) for child in record.children) if c is not None)

    def excludes1_conflict(self, first: str, second: str) -> str | None:
        """The text of the Excludes1 note that forbids `first` with `second`, or None."""
        note = self.kb.icd10cm.excludes1_conflict(first, second, self.on)
        return f"{note.owner} Excludes1: {note.text}" if note else None

    def use_additional(self, code: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """ "Use additional code" notes at the code or its ancestors: (note text, billable codes it names)."""
        out = []
        for note in self.kb.icd10cm.applicable_notes(code, "use_additional_code", self.on):
            if note.ranges:
                codes = tuple(self.kb.icd10cm.in_range(note.ranges, self.on))
                out.append((f"{note.owner}: use additional {note.text}", codes))
        return tuple(out)

    def icd_terms(self) -> Iterator[Term]:
        """Tabular descriptions and inclusion terms, and the "Includes" notes of codes (I10:
        "hypertension (arterial) (benign) (essential) ...", "high blood pressure") as inclusion terms."""
        yield from self.kb.icd10cm.iter_terms(self.on)
        rid = self.kb.icd10cm.release(self.on).id
        for code, text in self.kb.conn.execute(
            "SELECT c.dotted, n.text FROM icd10cm_note n JOIN icd10cm_code c"
            " ON c.release_id=n.release_id AND c.code=n.owner"
            " WHERE n.release_id=? AND n.kind='includes' ORDER BY c.seq, n.seq",
            (rid,),
        ):
            yield Term(text, code, "icd10cm", "inclusion", (code,))

    def index_terms(self) -> Iterator[Term]:
        """Neoplasm, Drug and External-cause table terms (when installed)."""
        if not self.kb.has("icd10cm/neoplasm") and not self.kb.has("icd10cm"):
            return
        try:
            yield from self.kb.index.iter_terms(on=self.on)
        except Exception:  # the index section is optional in a knowledge base
            return

    # ------------------------------------------------------------------ ICD-10-PCS
    def _pcs_release(self, component: str) -> str | None:
        if not self.kb.has(f"icd10pcs/{component}"):
            return None
        try:
            return self.kb.release_for(f"icd10pcs/{component}", self.on).id
        except Exception:
            return self.kb.release_for(f"icd10pcs/{component}").id

    def pcs_index_terms(self) -> Iterator[PcsIndexTerm]:
        rid = self._pcs_release("index")
        if rid is None:
            return
        for path, code, table, use, see in self.kb.conn.execute(
            "SELECT path, code, tbl, use, see FROM pcs_index_term WHERE release_id=? ORDER BY id", (rid,)
        ):
            yield PcsIndexTerm(tuple(path.split(PCS_ARROW)), code, table, use, see)

    def pcs_table_rows(self, prefix: str) -> list[dict[int, dict[str, str]]]:
        """The rows of the table `prefix` (3 characters): per row, axis position → {char: label}."""
        rid = self._pcs_release("tables")
        if rid is None:
            return []
        rows: dict[int, dict[int, dict[str, str]]] = {}
        for row, pos, char, label in self.kb.conn.execute(
            "SELECT row, pos, code, label FROM pcs_axis WHERE release_id=? AND prefix=?",
            (rid, prefix.upper()),
        ):
            rows.setdefault(row, {}).setdefault(pos, {})[char] = label
        return [rows[k] for k in sorted(rows)]

    def pcs_title(self, prefix: str) -> tuple[str, str, str] | None:
        """(section, body system, operation) labels of a table."""
        rid = self._pcs_release("tables")
        if rid is None:
            return None
        row = self.kb.conn.execute(
            "SELECT section, body_system, operation FROM pcs_table WHERE release_id=? AND prefix=?",
            (rid, prefix[:3].upper()),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def pcs_description(self, code: str) -> str:
        """Title of a 7-character code, or the composed label of a 4-character table root."""
        if len(code) == 7:
            return self.kb.pcs.description(code, self.on)
        title = self.pcs_title(code)
        if title is None:
            return ""
        part = ""
        for row in self.pcs_table_rows(code[:3]):
            part = row.get(4, {}).get(code[3].upper(), "")
            if part:
                break
        return f"{title[2]}, {part} ({title[0]}, {title[1]})" if part else ""

    def pcs_valid(self, code: str) -> bool:
        if len(code) == 7:
            return self.kb.pcs.get(code, self.on) is not None
        return bool(self.pcs_description(code))

    # ------------------------------------------------------------------ HCPCS
    def hcpcs_terms(self) -> Iterator[Term]:
        """Long descriptions of the HCPCS Level II codes active on the date."""
        if not self.kb.has("hcpcs"):
            return
        rid = self.kb.hcpcs.release(self.on).id
        on = (self.on or date.today()).isoformat()
        for code, text in self.kb.conn.execute(
            "SELECT code, long_description FROM hcpcs_code WHERE release_id=? AND kind='code'"
            " AND (valid_to IS NULL OR valid_to='' OR valid_to >= ?)",
            (rid, on),
        ):
            if code[:1] in HCPCS_SUPPLY_AND_DRUG_SECTIONS:
                yield Term(text, code, "hcpcs", "hcpcs", (code,))

    def hcpcs_description(self, code: str) -> str:
        return self.kb.hcpcs.description(code, self.on) if self.kb.has("hcpcs") else ""
