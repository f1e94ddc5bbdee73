"""The NCCI section of the knowledge base: PTP, MUE and add-on code edits, one row set per release.

`build_ncci(conn, files)` reads the official files (PTP text/zip, MUE CSV, AOC XLSX) into SQLite;
`load_ncci(conn)` returns the in-memory `NcciTables` the scrubber uses. MUE and add-on edits are
ordinary tables (a billing analyst can query them); a PTP release (millions of pairs) is stored as
the sorted arrays the scrubber searches, so loading it takes milliseconds, not a minute.

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
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, setting TEXT NOT NULL, name TEXT NOT NULL,
    release TEXT NOT NULL, effective TEXT NOT NULL, files TEXT NOT NULL, rows INTEGER NOT NULL,
    UNIQUE (kind, setting, effective)
);
CREATE TABLE IF NOT EXISTS ncci_ptp_arrays (
    release_id INTEGER PRIMARY KEY REFERENCES ncci_release(id),
    codes TEXT NOT NULL, rationales TEXT NOT NULL,
    keys BLOB NOT NULL, effective BLOB NOT NULL, deletion BLOB NOT NULL,
    indicator BLOB NOT NULL, rationale BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS ncci_mue (
    release_id INTEGER NOT NULL REFERENCES ncci_release(id), code TEXT NOT NULL,
    value INTEGER NOT NULL, mai INTEGER NOT NULL, rationale TEXT NOT NULL,
    PRIMARY KEY (release_id, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ncci_aoc (
    release_id INTEGER NOT NULL REFERENCES ncci_release(id), edit_type INTEGER NOT NULL,
    addon TEXT NOT NULL, primary_code TEXT NOT NULL, effective TEXT NOT NULL, deletion TEXT,
    addon_deletion TEXT, primary_deletion TEXT, notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ncci_aoc_addon ON ncci_aoc (addon);
"""


def ncci_files(directory: Path) -> list[Path]:
    """The official NCCI files in a folder (by their CMS names), sorted."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and kind_of(p))


def build_ncci(conn: sqlite3.Connection, files: Iterable[Path]) -> dict[str, int]:
    """Load the files into the section's tables (in the caller's transaction); returns row counts."""
    conn.executescript(SCHEMA)
    counts = {"ptp": 0, "mue": 0, "aoc": 0}
    ptp_files: list[Path] = []
    for path in files:
        kind = kind_of(path)
        if kind == "ptp":
            ptp_files.append(Path(path))
        elif kind == "mue":
            release = ncci_mue.release_of(path)
            setting, edits = ncci_mue.read_mue(path)
            if setting != release.setting:
                raise DataError(
                    f"{path}: the file name says {release.setting} but the heading says {setting}"
                )
            rid = _release(conn, "mue", mue_source(release), setting, [path], len(edits))
            conn.executemany(
                "INSERT INTO ncci_mue VALUES (?, ?, ?, ?, ?)",
                ((rid, e.code, e.value, e.mai, e.rationale) for e in edits),
            )
            counts["mue"] += len(edits)
        elif kind == "aoc":
            edits_aoc = list(ncci_aoc.read_aoc(path))
            rid = _release(conn, "aoc", aoc_source(path), "all", [path], len(edits_aoc))
            conn.executemany(
                "INSERT INTO ncci_aoc VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        rid,
                        e.edit_type,
                        e.addon,
                        e.primary,
                        e.effective.isoformat(),
                        _iso(e.deletion),
                        _iso(e.addon_deletion),
                        _iso(e.primary_deletion),
                        e.notes,
                    )
                    for e in edits_aoc
                ),
            )
            counts["aoc"] += len(edits_aoc)
        else:
            raise DataError(f"{path}: not a CMS NCCI PTP, MUE or add-on code file name")
    for table in load_ptp(ptp_files):
        parts = [p for p in ptp_files if ncci_ptp.release_of(p).setting == table.setting]
        rid = _release(conn, "ptp", table.source, table.setting, parts, len(table))
        codes = [""] * len(table.code_ids)
        for code, index in table.code_ids.items():
            codes[index] = code
        conn.execute(
            "INSERT INTO ncci_ptp_arrays VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rid,
                json.dumps(codes),
                json.dumps(list(table.rationales)),
                table.keys.tobytes(),
                table.effective.tobytes(),
                table.deletion.tobytes(),
                table.indicator.tobytes(),
                table.rationale.tobytes(),
            ),
        )
        counts["ptp"] += len(table)
    return counts


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _release(
    conn: sqlite3.Connection, kind: str, source: Source, setting: str, files: list[Path], rows: int
) -> int:
    cursor = conn.execute(
        "INSERT INTO ncci_release (kind, setting, name, release, effective, files, rows) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            setting,
            source.name,
            source.release,
            source.effective,
            json.dumps([p.name for p in files]),
            rows,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def load_ncci(conn: sqlite3.Connection) -> NcciTables:
    """Every NCCI release in the section, as the scrubber's in-memory tables."""
    tables = NcciTables()
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ncci_release'").fetchone():
        return tables
    releases = conn.execute("SELECT id, kind, setting, name, release, effective FROM ncci_release").fetchall()
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
                "SELECT edit_type, addon, primary_code, effective, deletion, addon_deletion, primary_deletion, notes "
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
