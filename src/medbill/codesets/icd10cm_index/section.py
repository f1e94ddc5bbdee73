"""Knowledge-base section `icd10cm_index`: the ICD-10-CM Index and tables, one tree per release.

Tables: `icd10cm_index_term` (one row per main term / subterm: `tbl` = disease | ecause | neoplasm |
drug, parent, level, title, nonessential modifiers, code, manifestation code, see / see also) and
`icd10cm_index_cell` (Neoplasm and Drug table cells: term, column, heading, code). Search terms:
every term path that leads to a code (`Neoplasm, neoplastic → lung → Malignant Primary`).
"""

from collections.abc import Sequence

from medbill.codesets.icd10cm_index.index_xml import IndexEntry, parse_index
from medbill.codesets.installed import InstalledRelease
from medbill.codesets.sections import BuildContext, SearchTerm, Section

#: manifest component → table name used by the API and the CLI (`--table`)
TABLES = {"index": "disease", "ecause": "ecause", "neoplasm": "neoplasm", "drug": "drug"}
ARROW = " → "

SCHEMA = """
CREATE TABLE icd10cm_index_term (
  release_id TEXT NOT NULL, tbl TEXT NOT NULL, id INTEGER NOT NULL, parent INTEGER, level INTEGER NOT NULL,
  title TEXT NOT NULL, nemod TEXT NOT NULL, code TEXT NOT NULL, manif TEXT NOT NULL, see TEXT NOT NULL,
  see_also TEXT NOT NULL, subcat TEXT NOT NULL, seecat TEXT NOT NULL, path TEXT NOT NULL,
  PRIMARY KEY (release_id, id)
) WITHOUT ROWID;
CREATE INDEX icd10cm_index_term_parent ON icd10cm_index_term (release_id, parent);
CREATE INDEX icd10cm_index_term_main ON icd10cm_index_term (release_id, level, title COLLATE NOCASE);
CREATE TABLE icd10cm_index_cell (
  release_id TEXT NOT NULL, term_id INTEGER NOT NULL, col INTEGER NOT NULL, heading TEXT NOT NULL,
  code TEXT NOT NULL, PRIMARY KEY (release_id, term_id, col)
) WITHOUT ROWID;
"""


def display(entry: IndexEntry) -> str:
    """A title as printed in the Index: essential words, then the nonessential modifiers."""
    return f"{entry.title} {entry.nemod}".strip()


def _terms(table: str, rid: str, entries: list[IndexEntry]) -> list[SearchTerm]:
    shown: dict[int, str] = {}
    terms = []
    for entry in entries:
        shown[entry.id] = (shown[entry.parent] + ARROW if entry.parent else "") + display(entry)
        if entry.code:
            terms.append(
                SearchTerm("icd10cm", rid, entry.code.rstrip("-").rstrip("."), table, shown[entry.id], 1.0)
            )
        for col, heading, code in entry.cells:
            # the first column (Malignant Primary; Poisoning Accidental, the default when the intent
            # is not documented) wins ties
            weight = 1.0 if col == 2 else 0.995
            path = shown[entry.id] + ARROW + heading
            terms.append(SearchTerm("icd10cm", rid, code.rstrip("-").rstrip("."), table, path, weight))
    return terms


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        rid = item.release.id
        table = TABLES[item.release.component]
        ctx.progress(f"parsing {item.release.name}")
        _, entries = parse_index(item.path())
        ctx.conn.executemany(
            "INSERT INTO icd10cm_index_term VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid, table, e.id, e.parent, e.level, e.title, e.nemod, e.code, e.manif, e.see,
                    e.see_also, e.subcat, e.seecat, ARROW.join(e.path),
                )
                for e in entries
            ],
        )  # fmt: skip
        ctx.conn.executemany(
            "INSERT INTO icd10cm_index_cell VALUES (?,?,?,?,?)",
            [(rid, e.id, col, heading, code) for e in entries for col, heading, code in e.cells],
        )
        ctx.add_terms(_terms(table, rid, entries))
        counts[rid] = len(entries)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.icd10cm_index.lookup import IndexLookup

    return IndexLookup(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="icd10cm_index",
    version=2,
    schema=SCHEMA,
    loads=tuple(f"icd10cm/{component}" for component in TABLES),
    load=load,
    accessor=_accessor,
    description="ICD-10-CM Alphabetic Index, External Cause index, Neoplasm and Drug tables",
)
