"""The NCCI section of the knowledge base: PTP, MUE and add-on code edits, one row set per release.

`load_release(conn, release_id, files)` reads the official files of one release (PTP text/zip,
MUE CSV, AOC XLSX) into SQLite; `load_ncci(conn)` returns the in-memory `NcciTables` the scrubber
uses. MUE and add-on edits are ordinary tables (a billing analyst can query them); a PTP release
(millions of pairs) is stored as the sorted arrays the scrubber searches, so loading it takes
a second, not minutes. `build_ncci(conn, files)` loads loose files (tests, benchmarks).

>>> import sqlite3
>>> conn = sqlite3.connect(":memory:")
>>> build_ncci(conn, [])
{'ptp': 0, 'mue': 0, 'aoc': 0}
>>> load_ncci(conn).ptp
{}
"""

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from medbill.codesets import ncci_aoc, ncci_mue, ncci_ptp
from medbill.codesets.ncci_files import aoc_source, kind_of, load_ptp, mue_source
from medbill.codesets.ncci_tables import AocTable, MueTable, MueValue, NcciTables, PtpTable
from medbill.core.errors import DataError
from medbill.core.findings import Source

SECTION = "ncci"

SCHEMA = """
CREATE TABLE IF NOT EXISTS ncci_release (
    release_id TEXT PRIMARY KEY, kind TEXT NOT NULL, setting TEXT NOT NULL, name TEXT NOT NULL,
    release TEXT NOT NULL, effective TEXT NOT NULL, files TEXT NOT NULL, rows INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ncci_ptp_arrays (
    release_id TEXT PRIMARY KEY REFERENCES ncci_release(release_id),
    codes TEXT NOT NULL, rationales TEXT NOT NULL,
    keys BLOB NOT NULL, effective BLOB NOT NULL, deletion BLOB NOT NULL,
    indicator BLOB NOT NULL, rationale BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ncci_mue (
    release_id TEXT NOT NULL REFERENCES ncci_release(release_id), code TEXT NOT NULL,
    value INTEGER NOT NULL, mai INTEGER NOT NULL, rationale TEXT NOT NULL,
    PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ncci_aoc (
    release_id TEXT NOT NULL REFERENCES ncci_release(release_id), edit_type INTEGER NOT NULL,
    addon TEXT NOT NULL, primary_code TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT,
    addon_deletion TEXT, primary_deletion TEXT, notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ncci_aoc_addon ON ncci_aoc (addon);
"""


def ncci_files(directory: Path) -> list[Path]:
    """The official NCCI files in a folder (by their CMS names), sorted."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and kind_of(p))


def release_groups(files: Iterable[Path]) -> list[tuple[str, list[Path]]]:
    """Group loose official files into releases, each with an id made from its file names.

    >>> [rid for rid, _ in release_groups([Path("ccipra-v321r0-f2.txt"), Path("ccipra-v321r0-f1.txt")])]
    ['ncci-ptp-practitioner-v321r0']
    """
    groups: dict[str, list[Path]] = {}
    for path in files:
        kind = kind_of(path)
        if kind == "ptp":
            release = ncci_ptp.release_of(path)
            rid = f"ncci-ptp-{release.setting}-v{release.version.replace('.', '')}"
        elif kind == "mue":
            mue = ncci_mue.release_of(path)
            rid = f"ncci-mue-{mue.setting}-{mue.effective.isoformat()}"
        elif kind == "aoc":
            rid = f"ncci-aoc-{ncci_aoc.effective_of(path).isoformat()}"
        else:
            raise DataError(f"{path}: not a CMS NCCI PTP, MUE or add-on code file name")
        groups.setdefault(rid, []).append(Path(path))
    return [(rid, sorted(paths)) for rid, paths in groups.items()]


def build_ncci(conn: sqlite3.Connection, files: Iterable[Path]) -> dict[str, int]:
    """Load loose official files (grouped by `release_groups`); returns row counts by kind."""
    conn.executescript(SCHEMA)
    counts = {"ptp": 0, "mue": 0, "aoc": 0}
    for rid, paths in release_groups(files):
        counts[str(kind_of(paths[0]))] += load_release(conn, rid, paths)
    return counts


def load_release(conn: sqlite3.Connection, release_id: str, paths: list[Path]) -> int:
    """Load one release (one MUE table, one add-on file, or the parts of one PTP version) in the
    caller's transaction (the section's tables must exist); returns its row count."""
    kinds = {kind_of(p) for p in paths}
    if len(kinds) != 1 or None in kinds:
        names = [p.name for p in paths]
        raise DataError(f"release {release_id}: expected the files of one NCCI table, got {names}")
    kind = kinds.pop()
    if kind == "mue":
        return _load_mue(conn, release_id, paths)
    if kind == "aoc":
        return _load_aoc(conn, release_id, paths)
    return _load_ptp(conn, release_id, paths)


def _load_mue(conn: sqlite3.Connection, release_id: str, paths: list[Path]) -> int:
    (path,) = paths
    mue = ncci_mue.release_of(path)
    setting, edits = ncci_mue.read_mue(path)
    if setting != mue.setting:
        raise DataError(f"{path}: the file name says {mue.setting} but the heading says {setting}")
    _release(conn, release_id, "mue", mue_source(mue), setting, paths, len(edits))
    conn.executemany(
        "INSERT INTO ncci_mue VALUES (?, ?, ?, ?, ?)",
        ((release_id, e.code, e.value, e.mai, e.rationale) for e in edits),
    )
    return len(edits)


def _load_aoc(conn: sqlite3.Connection, release_id: str, paths: list[Path]) -> int:
    (path,) = paths
    edits = list(ncci_aoc.read_aoc(path))
    _release(conn, release_id, "aoc", aoc_source(path), "all", paths, len(edits))
    conn.executemany(
        "INSERT INTO ncci_aoc VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                release_id,
                e.edit_type,
                e.addon,
                e.primary,
                e.effective.isoformat(),
                _iso(e.deletion),
                _iso(e.addon_deletion),
                _iso(e.primary_deletion),
                e.notes,
            )
            for e in edits
        ),
    )
    return len(edits)


def _load_ptp(conn: sqlite3.Connection, release_id: str, paths: list[Path]) -> int:
    tables = load_ptp(paths)
    if len(tables) != 1:
        raise DataError(
            f"release {release_id}: the PTP files name {len(tables)} settings/versions; expected one"
        )
    table = tables[0]
    _release(conn, release_id, "ptp", table.source, table.setting, paths, len(table))
    codes = [""] * len(table.code_ids)
    for code, index in table.code_ids.items():
        codes[index] = code
    conn.execute(
        "INSERT INTO ncci_ptp_arrays VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            release_id,
            json.dumps(codes),
            json.dumps(list(table.rationales)),
            table.keys.tobytes(),
            table.effective.tobytes(),
            table.deletion.tobytes(),
            table.indicator.tobytes(),
            table.rationale.tobytes(),
        ),
    )
    return len(table)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _release(
    conn: sqlite3.Connection,
    release_id: str,
    kind: str,
    source: Source,
    setting: str,
    files: list[Path],
    rows: int,
) -> None:
    names = json.dumps([p.name for p in files])
    conn.execute(
        "INSERT INTO ncci_release VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (release_id, kind, setting, source.name, source.release, source.effective, names, rows),
    )


def load_ncci(conn: sqlite3.Connection) -> NcciTables:
    """Every NCCI release in the section, as the scrubber's in-memory tables."""
    tables = NcciTables()
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ncci_release'").fetchone():
        return tables
    releases = conn.execute(
        "SELECT release_id, kind, setting, name, release, effective FROM ncci_release"
    ).fetchall()
    for rid, kind, setting, name, release, effective in releases:
        source = Source(name=name, release=release, effective=effective)
        start = dt.date.fromisoformat(effective)
        if kind == "mue":
            rows = conn.execute(
                "SELECT code, value, mai, rationale FROM ncci_mue WHERE release_id = ?", (rid,)
            )
            values = {code: MueValue(value, mai, rationale) for code, value, mai, rationale in rows}
            tables.add_mue(MueTable(setting, source, start, values))
        elif kind == "aoc":
            rows = conn.execute(
                "SELECT edit_type, addon, primary_code, valid_from, valid_to, addon_deletion, primary_deletion, notes "
                "FROM ncci_aoc WHERE release_id = ?",
                (rid,),
            )
            edits = (
                ncci_aoc.AocEdit(t, a, p, dt.date.fromisoformat(e), _date(d), _date(ad), _date(pd), n)
                for t, a, p, e, d, ad, pd, n in rows
            )
            tables.add_aoc(AocTable.from_edits(edits, source=source, in_force_from=start))
        elif kind == "ptp":
            row = conn.execute(
                "SELECT codes, rationales, keys, effective, deletion, indicator, rationale "
                "FROM ncci_ptp_arrays WHERE release_id = ?",
                (rid,),
            ).fetchone()
            codes, rationales, keys, eff, dele, ind, rat = row
            tables.add_ptp(
                PtpTable(
                    setting=setting,
                    source=source,
                    in_force_from=start,
                    code_ids={code: i for i, code in enumerate(json.loads(codes))},
                    keys=np.frombuffer(keys, dtype=np.int64),
                    effective=np.frombuffer(eff, dtype=np.int32),
                    deletion=np.frombuffer(dele, dtype=np.int32),
                    indicator=np.frombuffer(ind, dtype=np.int8),
                    rationale=np.frombuffer(rat, dtype=np.int16),
                    rationales=tuple(json.loads(rationales)),
                )
            )
    return tables


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
