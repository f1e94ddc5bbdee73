"""Knowledge-base section `icd10cm`: the Tabular List (codes, hierarchy, notes, 7th characters).

Tables (every row keyed by `release_id`; codes stored without dots in `code`, as printed in `dotted`):
`icd10cm_chapter`, `icd10cm_block`, `icd10cm_code`, `icd10cm_note` (owner = code, `chapter:N` or
`block:A00-A09`), `icd10cm_note_ref` (code ranges parsed from a note), `icd10cm_seventh`
(7th-character definitions at the code that gives them). Search terms: every code's description,
inclusion terms and Includes notes.
"""

from collections.abc import Mapping, Sequence

from medbill.codesets.icd10cm.refs import parse_refs, undotted
from medbill.codesets.icd10cm.tabular_xml import parse_tabular
from medbill.codesets.installed import InstalledRelease
from medbill.codesets.sections import BuildContext, SearchTerm, Section

SCHEMA = """
CREATE TABLE icd10cm_chapter (
  release_id TEXT NOT NULL, chapter TEXT NOT NULL, description TEXT NOT NULL, first TEXT, last TEXT,
  PRIMARY KEY (release_id, chapter)
);
CREATE TABLE icd10cm_block (
  release_id TEXT NOT NULL, block TEXT NOT NULL, description TEXT NOT NULL, first TEXT, last TEXT,
  chapter TEXT NOT NULL, PRIMARY KEY (release_id, block)
);
CREATE TABLE icd10cm_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, dotted TEXT NOT NULL, description TEXT NOT NULL,
  billable INTEGER NOT NULL, parent TEXT, chapter TEXT NOT NULL, block TEXT NOT NULL,
  depth INTEGER NOT NULL, seq INTEGER NOT NULL, seventh_from TEXT, placeholder INTEGER NOT NULL,
  PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
CREATE INDEX icd10cm_code_parent ON icd10cm_code (release_id, parent);
CREATE TABLE icd10cm_note (
  release_id TEXT NOT NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (release_id, owner, kind, seq)
) WITHOUT ROWID;
CREATE TABLE icd10cm_note_ref (
  release_id TEXT NOT NULL, owner TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL,
  first TEXT NOT NULL, last TEXT NOT NULL
);
CREATE INDEX icd10cm_note_ref_owner ON icd10cm_note_ref (release_id, owner, kind);
CREATE TABLE icd10cm_seventh (
  release_id TEXT NOT NULL, owner TEXT NOT NULL, seq INTEGER NOT NULL, char TEXT NOT NULL,
  meaning TEXT NOT NULL, PRIMARY KEY (release_id, owner, seq)
) WITHOUT ROWID;
"""


def _notes_rows(
    release_id: str, owner: str, notes: Mapping[str, tuple[str, ...]]
) -> tuple[list[tuple[str, str, str, int, str]], list[tuple[str, str, str, int, str, str]]]:
    note_rows = []
    ref_rows = []
    for kind, texts in notes.items():
        for seq, body in enumerate(texts):
            note_rows.append((release_id, owner, kind, seq, body))
            for ref in parse_refs(body):
                ref_rows.append((release_id, owner, kind, seq, ref.first, ref.last))
    return note_rows, ref_rows


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    conn = ctx.conn
    for item in releases:
        rid = item.release.id
        ctx.progress(f"parsing {item.release.name}")
        tabular = parse_tabular(item.path())
        notes: list[tuple[str, str, str, int, str]] = []
        refs: list[tuple[str, str, str, int, str, str]] = []
        for chapter in tabular.chapters:
            conn.execute(
                "INSERT INTO icd10cm_chapter VALUES (?,?,?,?,?)",
                (rid, chapter.number, chapter.description, chapter.first, chapter.last),
            )
            n, r = _notes_rows(rid, f"chapter:{chapter.number}", chapter.notes)
            notes += n
            refs += r
        for block in tabular.blocks:
            conn.execute(
                "INSERT INTO icd10cm_block VALUES (?,?,?,?,?,?)",
                (rid, block.id, block.description, block.first, block.last, block.chapter),
            )
            n, r = _notes_rows(rid, f"block:{block.id}", block.notes)
            notes += n
            refs += r
        code_rows = []
        sevenths = []
        terms = []
        for seq, code in enumerate(tabular.codes):
            key = undotted(code.code)
            code_rows.append(
                (
                    rid,
                    key,
                    code.code,
                    code.description,
                    int(code.billable),
                    undotted(code.parent) if code.parent else None,
                    code.chapter,
                    code.block,
                    code.depth,
                    seq,
                    undotted(code.seventh_from) if code.seventh_from else None,
                    int(code.placeholder),
                )
            )
            n, r = _notes_rows(rid, key, code.notes)
            notes += n
            refs += r
            sevenths += [(rid, key, n, char, meaning) for n, (char, meaning) in enumerate(code.seventh)]
            terms.append(
                SearchTerm(
                    "icd10cm", rid, code.code, "description", code.description, 1.0 if code.billable else 0.97
                )
            )
            terms += [
                SearchTerm("icd10cm", rid, code.code, "inclusion", t, 0.96)
                for t in code.notes.get("inclusion_terms", ())
            ]
            terms += [
                SearchTerm("icd10cm", rid, code.code, "includes", t, 0.93)
                for t in code.notes.get("includes", ())
            ]
        conn.executemany("INSERT INTO icd10cm_code VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", code_rows)
        conn.executemany("INSERT INTO icd10cm_note VALUES (?,?,?,?,?)", notes)
        conn.executemany("INSERT INTO icd10cm_note_ref VALUES (?,?,?,?,?,?)", refs)
        conn.executemany("INSERT INTO icd10cm_seventh VALUES (?,?,?,?,?)", sevenths)
        ctx.add_terms(terms)
        counts[rid] = len(code_rows)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.icd10cm.lookup import Icd10cmCodes

    return Icd10cmCodes(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="icd10cm",
    version=2,
    schema=SCHEMA,
    loads=("icd10cm/tabular",),
    load=load,
    accessor=_accessor,
    description="ICD-10-CM Tabular List: codes, hierarchy, notes, 7th characters",
)
