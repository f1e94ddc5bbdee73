"""Knowledge-base section `cpt`: CPT codes from a user-supplied licensed file (see `medbill data add-cpt`).

Table `cpt_code` (code, descriptor). The descriptors stay in the user's knowledge base; medbill never
ships them. Without a CPT release, CPT codes are validated by format only.
"""

import json
from collections.abc import Sequence

from medbill.codesets.cpt.userfile import read_cpt_file
from medbill.codesets.installed import InstalledRelease
from medbill.codesets.sections import BuildContext, SearchTerm, Section

SCHEMA = """
CREATE TABLE cpt_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, descriptor TEXT NOT NULL, PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
"""


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        path = item.path()
        marker = json.loads((path.parent / "release.json").read_text(encoding="utf-8"))
        columns = marker.get("columns", {})
        rows = read_cpt_file(path, columns.get("code"), columns.get("descriptor"))
        ctx.conn.executemany(
            "INSERT OR REPLACE INTO cpt_code VALUES (?,?,?)", [(item.release.id, c, d) for c, d in rows]
        )
        ctx.add_terms(SearchTerm("cpt", item.release.id, c, "description", d, 1.0) for c, d in rows if d)
        counts[item.release.id] = len(rows)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.cpt.lookup import CptCodes

    return CptCodes(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="cpt",
    version=1,
    schema=SCHEMA,
    loads=("cpt",),
    load=load,
    accessor=_accessor,
    description="CPT codes from a user-supplied file",
)
