"""Knowledge-base section `icd10pcs`: ICD-10-PCS codes, tables, index and definitions.

Tables: `pcs_code` (every valid code of a release: from the codes file, or the cross product of the
tables' rows with a title composed from the axis labels), `pcs_table` (first three characters and
their labels), `pcs_axis` (the values allowed in characters 4-7, per table row), `pcs_definition`,
`pcs_index_term`. Search terms: code titles and index paths that lead to a code or a table.
"""

from collections.abc import Sequence

from medbill.codesets.installed import InstalledRelease
from medbill.codesets.pcs import formats
from medbill.codesets.sections import BuildContext, SearchTerm, Section

ARROW = " → "

SCHEMA = """
CREATE TABLE pcs_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL, composed INTEGER NOT NULL,
  row INTEGER, PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
CREATE TABLE pcs_table (
  release_id TEXT NOT NULL, prefix TEXT NOT NULL, section TEXT NOT NULL, body_system TEXT NOT NULL,
  operation TEXT NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (release_id, prefix)
) WITHOUT ROWID;
CREATE TABLE pcs_axis (
  release_id TEXT NOT NULL, prefix TEXT NOT NULL, row INTEGER NOT NULL, pos INTEGER NOT NULL,
  code TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (release_id, prefix, row, pos, code)
) WITHOUT ROWID;
CREATE TABLE pcs_definition (
  release_id TEXT NOT NULL, section TEXT NOT NULL, pos INTEGER NOT NULL, term TEXT NOT NULL,
  definition TEXT NOT NULL, explanation TEXT NOT NULL, includes TEXT NOT NULL
);
CREATE INDEX pcs_definition_term ON pcs_definition (release_id, section, pos, term);
CREATE TABLE pcs_index_term (
  release_id TEXT NOT NULL, id INTEGER NOT NULL, parent INTEGER, level INTEGER NOT NULL, title TEXT NOT NULL,
  code TEXT NOT NULL, tbl TEXT NOT NULL, use TEXT NOT NULL, see TEXT NOT NULL, path TEXT NOT NULL,
  PRIMARY KEY (release_id, id)
) WITHOUT ROWID;
CREATE INDEX pcs_index_term_parent ON pcs_index_term (release_id, parent);
"""


def _load_tables(ctx: BuildContext, item: InstalledRelease) -> int:
    rid = item.release.id
    tables_file = next((name for name in item.paths if "tables" in name.lower()), None)
    tables = formats.read_tables(item.path(tables_file))
    codes = []
    axes = []
    for table in tables:
        ctx.conn.execute(
            "INSERT INTO pcs_table VALUES (?,?,?,?,?,?)", (rid, table.prefix, *table.labels, table.definition)
        )
        for n, row in enumerate(table.rows):
            for pos, values in enumerate(row, start=4):
                axes += [(rid, table.prefix, n, pos, c, label) for c, label in values]
        codes += [(rid, code, title, 1, n) for code, title, n in formats.table_codes(table)]
    ctx.conn.executemany("INSERT OR IGNORE INTO pcs_axis VALUES (?,?,?,?,?,?)", axes)
    ctx.conn.executemany("INSERT OR IGNORE INTO pcs_code VALUES (?,?,?,?,?)", codes)
    ctx.add_terms(SearchTerm("icd10pcs", rid, c[1], "description", c[2], 0.98) for c in codes)
    definitions = [name for name in item.paths if "definitions" in name]
    if definitions:
        ctx.conn.executemany(
            "INSERT INTO pcs_definition VALUES (?,?,?,?,?,?,?)",
            [(rid, *d) for d in formats.read_definitions(item.path(definitions[0]))],
        )
    return len(codes)


def _load_codes(ctx: BuildContext, item: InstalledRelease) -> int:
    rid = item.release.id
    rows = [(rid, code, title, 0, None) for code, title in formats.read_codes_file(item.path())]
    ctx.conn.executemany("INSERT OR IGNORE INTO pcs_code VALUES (?,?,?,?,?)", rows)
    ctx.add_terms(SearchTerm("icd10pcs", rid, r[1], "description", r[2], 1.0) for r in rows)
    return len(rows)


def _load_index(ctx: BuildContext, item: InstalledRelease) -> int:
    rid = item.release.id
    entries = formats.read_index(item.path())
    ctx.conn.executemany(
        "INSERT INTO pcs_index_term VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (rid, e.id, e.parent, e.level, e.title, e.code, e.table, e.use, e.see, ARROW.join(e.path))
            for e in entries
        ],
    )
    ctx.add_terms(
        SearchTerm("icd10pcs", rid, e.code or e.table, "index", ARROW.join(e.path), 0.9)
        for e in entries
        if (e.code or e.table) and e.path
    )
    return len(entries)


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    loaders = {"tables": _load_tables, "codes": _load_codes, "index": _load_index}
    counts = {}
    for item in releases:
        ctx.progress(f"reading {item.release.name}")
        counts[item.release.id] = loaders[item.release.component](ctx, item)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.pcs.lookup import PcsCodes

    return PcsCodes(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="icd10pcs",
    version=1,
    schema=SCHEMA,
    loads=("icd10pcs/tables", "icd10pcs/codes", "icd10pcs/index"),
    load=load,
    accessor=_accessor,
    description="ICD-10-PCS codes, tables, index and definitions",
)
