"""Knowledge-base section `mce`: the Medicare Code Editor edit lists.

Tables: `mce_list` (one row per list: edit number and title, list title, dx/px, inpatient-only, active,
age range for the age-conflict lists), `mce_code` (list → code), `mce_discharge_status`.
"""

from collections.abc import Sequence

from medbill.codesets.installed import InstalledRelease
from medbill.codesets.mce.definitions import parse_mce
from medbill.codesets.sections import BuildContext, Section

SCHEMA = """
CREATE TABLE mce_list (
  release_id TEXT NOT NULL, key TEXT NOT NULL, edit INTEGER NOT NULL, edit_title TEXT NOT NULL,
  title TEXT NOT NULL, code_type TEXT NOT NULL, inpatient_only INTEGER NOT NULL, active INTEGER NOT NULL,
  age_low INTEGER, age_high INTEGER, PRIMARY KEY (release_id, key)
) WITHOUT ROWID;
CREATE TABLE mce_code (
  release_id TEXT NOT NULL, key TEXT NOT NULL, code TEXT NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (release_id, key, code)
) WITHOUT ROWID;
CREATE INDEX mce_code_code ON mce_code (release_id, code);
CREATE TABLE mce_discharge_status (release_id TEXT NOT NULL, code TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE mce_edit (release_id TEXT NOT NULL, edit INTEGER NOT NULL, title TEXT NOT NULL);
"""


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        rid = item.release.id
        parsed = parse_mce(item.path())
        ctx.conn.executemany(
            "INSERT INTO mce_list VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid,
                    m.key,
                    m.edit,
                    m.edit_title,
                    m.title,
                    m.code_type,
                    int(m.inpatient_only),
                    int(m.active),
                    m.age_low,
                    m.age_high,
                )
                for m in parsed.lists.values()
            ],
        )
        rows = [(rid, m.key, code, text) for m in parsed.lists.values() for code, text in m.codes]
        ctx.conn.executemany("INSERT OR IGNORE INTO mce_code VALUES (?,?,?,?)", rows)
        ctx.conn.executemany(
            "INSERT INTO mce_discharge_status VALUES (?,?,?)",
            [(rid, c, d) for c, d in parsed.discharge_status],
        )
        ctx.conn.executemany(
            "INSERT INTO mce_edit VALUES (?,?,?)", [(rid, n, t) for n, t in parsed.edits.items()]
        )
        counts[rid] = len(rows)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.mce.lookup import MceEdits

    return MceEdits(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="mce",
    version=1,
    schema=SCHEMA,
    loads=("mce",),
    load=load,
    accessor=_accessor,
    description="CMS Medicare Code Editor edit lists",
)
