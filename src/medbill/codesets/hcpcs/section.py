"""Knowledge-base section `hcpcs`: HCPCS Level II codes and modifiers with their add/termination dates.

Table `hcpcs_code` (`kind` = code | modifier); `valid_from` = the add date, `valid_to` = the
termination date (last day of use; NULL while active). Search terms: long descriptions.
"""

from collections.abc import Sequence

from medbill.codesets.hcpcs.anweb import read_anweb
from medbill.codesets.installed import InstalledRelease
from medbill.codesets.sections import BuildContext, SearchTerm, Section

SCHEMA = """
CREATE TABLE hcpcs_code (
  release_id TEXT NOT NULL, code TEXT NOT NULL, kind TEXT NOT NULL, long_description TEXT NOT NULL,
  short_description TEXT NOT NULL, valid_from TEXT, action_effective TEXT, valid_to TEXT,
  action_code TEXT NOT NULL, coverage TEXT NOT NULL, betos TEXT NOT NULL,
  PRIMARY KEY (release_id, kind, code)
) WITHOUT ROWID;
"""


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def load(ctx: BuildContext, releases: Sequence[InstalledRelease]) -> dict[str, int]:
    counts = {}
    for item in releases:
        rid = item.release.id
        ctx.progress(f"reading {item.release.name}")
        rows = list(read_anweb(item.path()))
        ctx.conn.executemany(
            "INSERT OR REPLACE INTO hcpcs_code VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid,
                    r.code,
                    r.kind,
                    r.long_description,
                    r.short_description,
                    _iso(r.added),
                    _iso(r.action_effective),
                    _iso(r.terminated),
                    r.action_code,
                    r.coverage,
                    r.betos,
                )
                for r in rows
            ],
        )
        ctx.add_terms(
            SearchTerm("hcpcs", rid, r.code, r.kind, r.long_description, 1.0 if r.terminated is None else 0.9)
            for r in rows
            if r.kind == "code"
        )
        counts[rid] = len(rows)
    return counts


def _accessor(kb: object) -> object:
    from medbill.codesets.hcpcs.lookup import HcpcsCodes

    return HcpcsCodes(kb)  # type: ignore[arg-type]


SECTION = Section(
    name="hcpcs",
    version=1,
    schema=SCHEMA,
    loads=("hcpcs",),
    load=load,
    accessor=_accessor,
    description="HCPCS Level II codes and modifiers",
)
