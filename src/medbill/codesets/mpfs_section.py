"""The MPFS section of the knowledge base: RVUs, GPCIs, localities, ZIP → locality, anesthesia CFs.

`build_mpfs(conn, files)` loads the official files into SQLite tables (amounts kept as exact
decimal text); `Mpfs(conn)` answers the lookups pricing and the rules need, as of a date of
service, each answer carrying the release it came from and a note when the release is not the
one of that date (see `medbill.codesets.mpfs_releases`).

>>> classify_files([Path("GPCI2025.csv"), Path("ZIP5lyout.txt"), Path("ZIP5_OCT2025.txt")]).zip5
(PosixPath('ZIP5_OCT2025.txt'),)
"""

import datetime as dt
import fnmatch
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from medbill.codesets.mpfs import RvuRecord, RvuRelease, read_rvu_file
from medbill.codesets.mpfs_geo import (
    AnesthesiaCfRecord,
    GeoRelease,
    GpciRecord,
    LocalityRecord,
    Zip5Record,
    read_anesthesia_file,
    read_gpci_file,
    read_locality_file,
    read_zip5_file,
)
from medbill.codesets.mpfs_releases import choose_release
from medbill.codesets.sections import Section
from medbill.core.errors import DataError
from medbill.core.findings import Source

RVU_SOURCE = "CMS Medicare Physician Fee Schedule relative value file"

_RVU_FIELDS = [f.name for f in fields(RvuRecord)]
_DECIMAL_FIELDS = {f.name for f in fields(RvuRecord) if f.type in (Decimal, "Decimal")}
_BOOL_FIELDS = {f.name for f in fields(RvuRecord) if f.type in (bool, "bool")}

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS mpfs_release (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, year INTEGER NOT NULL,
    effective TEXT NOT NULL, variant TEXT NOT NULL DEFAULT '', file TEXT NOT NULL, released TEXT,
    UNIQUE (kind, name, variant)
);
CREATE TABLE IF NOT EXISTS mpfs_rvu (
    release_id INTEGER NOT NULL REFERENCES mpfs_release(id),
    {", ".join(f"{name} TEXT NOT NULL" for name in _RVU_FIELDS)},
    PRIMARY KEY (release_id, hcpcs, modifier)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mpfs_gpci (
    release_id INTEGER NOT NULL, mac TEXT NOT NULL, locality TEXT NOT NULL, state TEXT NOT NULL,
    name TEXT NOT NULL, work TEXT NOT NULL, pe TEXT NOT NULL, mp TEXT NOT NULL,
    PRIMARY KEY (release_id, mac, locality)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mpfs_locality (
    release_id INTEGER NOT NULL, mac TEXT NOT NULL, locality TEXT NOT NULL, state TEXT NOT NULL,
    area TEXT NOT NULL, counties TEXT NOT NULL, PRIMARY KEY (release_id, mac, locality)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mpfs_anesthesia_cf (
    release_id INTEGER NOT NULL, mac TEXT NOT NULL, locality TEXT NOT NULL, name TEXT NOT NULL,
    cf TEXT NOT NULL, PRIMARY KEY (release_id, mac, locality)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mpfs_zip5 (
    release_id INTEGER NOT NULL, zip5 TEXT NOT NULL, state TEXT NOT NULL, mac TEXT NOT NULL,
    locality TEXT NOT NULL, rural TEXT NOT NULL, plus_four INTEGER NOT NULL,
    PRIMARY KEY (release_id, zip5)
) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class MpfsFiles:
    """The official files of one or more MPFS releases."""

    rvu: tuple[Path, ...] = ()
    gpci: tuple[Path, ...] = ()
    locality: tuple[Path, ...] = ()
    anesthesia: tuple[Path, ...] = ()
    zip5: tuple[Path, ...] = ()


_PATTERNS = {
    "rvu": "PPRRVU*.csv",
    "gpci": "GPCI*.csv",
    "locality": "*LOCCO.txt",
    "anesthesia": "ANES*.csv",
    "zip5": "ZIP5_*.txt",
}


def classify_files(paths: Iterable[Path]) -> MpfsFiles:
    """Sort MPFS files by their CMS names (PPRRVU*.csv, GPCI*.csv, *LOCCO.txt, ANES*.csv, ZIP5_*.txt);
    other files (layouts, PDFs, the LOCCO CSV twin) are ignored."""
    found: dict[str, list[Path]] = {kind: [] for kind in _PATTERNS}
    for path in sorted(paths):
        for kind, pattern in _PATTERNS.items():
            if fnmatch.fnmatch(path.name.upper(), pattern.upper()):
                found[kind].append(path)
                break
    return MpfsFiles(**{kind: tuple(files) for kind, files in found.items()})


def mpfs_files(directory: Path) -> MpfsFiles:
    """The MPFS files in a folder, by their CMS names."""
    return classify_files(directory.iterdir() if directory.is_dir() else ())


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the MPFS tables (statement by statement, inside the caller's transaction)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _add_release(conn: sqlite3.Connection, release: RvuRelease | GeoRelease) -> int:
    kind = release.kind if isinstance(release, GeoRelease) else "rvu"
    variant = release.variant if isinstance(release, RvuRelease) else ""
    released = release.released.isoformat() if isinstance(release, RvuRelease) and release.released else None
    cursor = conn.execute(
        "INSERT INTO mpfs_release (kind, name, year, effective, variant, file, released) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, release.name, release.year, release.effective.isoformat(), variant, release.file, released),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def build_mpfs(conn: sqlite3.Connection, files: MpfsFiles) -> dict[Path, int]:
    """Load the files into the MPFS tables (created already, in the caller's transaction); return
    the rows loaded from each file."""
    counts: dict[Path, int] = {}
    for path in files.rvu:
        release, records = read_rvu_file(path)
        rid = _add_release(conn, release)
        placeholders = ", ".join("?" for _ in range(len(_RVU_FIELDS) + 1))
        conn.executemany(
            f"INSERT INTO mpfs_rvu VALUES ({placeholders})",
            ((rid, *(_to_text(getattr(r, name)) for name in _RVU_FIELDS)) for r in records),
        )
        counts[path] = len(records)
    for path in files.gpci:
        g_release, gpcis = read_gpci_file(path)
        rid = _add_release(conn, g_release)
        conn.executemany(
            "INSERT INTO mpfs_gpci VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((rid, g.mac, g.locality, g.state, g.name, str(g.work), str(g.pe), str(g.mp)) for g in gpcis),
        )
        counts[path] = len(gpcis)
    for path in files.locality:
        l_release, localities = read_locality_file(path)
        rid = _add_release(conn, l_release)
        conn.executemany(
            "INSERT OR REPLACE INTO mpfs_locality VALUES (?, ?, ?, ?, ?, ?)",
            ((rid, x.mac, x.locality, x.state, x.area, x.counties) for x in localities),
        )
        counts[path] = len(localities)
    for path in files.anesthesia:
        a_release, factors = read_anesthesia_file(path)
        rid = _add_release(conn, a_release)
        conn.executemany(
            "INSERT INTO mpfs_anesthesia_cf VALUES (?, ?, ?, ?, ?)",
            ((rid, a.mac, a.locality, a.name, str(a.cf)) for a in factors),
        )
        counts[path] = len(factors)
    for path in files.zip5:
        z_release, zips = read_zip5_file(path)
        rid = _add_release(conn, z_release)
        conn.executemany(
            "INSERT OR REPLACE INTO mpfs_zip5 VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((rid, z.zip5, z.state, z.mac, z.locality, z.rural, int(z.plus_four)) for z in zips),
        )
        counts[path] = len(zips)
    return counts


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


def _rvu_from_row(row: sqlite3.Row | tuple[Any, ...]) -> RvuRecord:
    values: dict[str, Any] = {}
    for name, text in zip(_RVU_FIELDS, row, strict=True):
        if name in _DECIMAL_FIELDS:
            values[name] = Decimal(text)
        elif name in _BOOL_FIELDS:
            values[name] = bool(text)
        else:
            values[name] = text
    return RvuRecord(**values)


@dataclass(frozen=True, slots=True)
class SourceRelease:
    """Where a looked-up value came from: release name, file, and a note when it is a fallback."""

    kind: str
    name: str
    file: str
    effective: dt.date
    note: str = ""
    variant: str = ""


@dataclass(frozen=True, slots=True)
class _ReleaseRow:
    id: int
    kind: str
    name: str
    year: int
    effective: dt.date
    variant: str
    file: str


class Mpfs:
    """Lookups in the MPFS section, as of a date of service. Thread-confined like its connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        rows = conn.execute(
            "SELECT id, kind, name, year, effective, variant, file FROM mpfs_release ORDER BY id"
        ).fetchall()
        self._releases = [
            _ReleaseRow(r[0], r[1], r[2], r[3], dt.date.fromisoformat(r[4]), r[5], r[6]) for r in rows
        ]
        self._chosen: dict[tuple[str, dt.date, str], tuple[_ReleaseRow, SourceRelease] | None] = {}
        self._rvu_row = lru_cache(maxsize=65536)(self._rvu_row_uncached)
        self._gpci_row = lru_cache(maxsize=4096)(self._gpci_row_uncached)
        self._zip5_row = lru_cache(maxsize=65536)(self._zip5_row_uncached)

    @classmethod
    def from_files(cls, files: MpfsFiles) -> "Mpfs":
        """An in-memory section built from the given files (tests, one-off tools)."""
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        with conn:
            create_tables(conn)
            build_mpfs(conn, files)
        return cls(conn)

    def releases(self, kind: str | None = None) -> list[SourceRelease]:
        """The installed releases (of one kind: rvu, gpci, locality, anesthesia, zip5)."""
        return [
            SourceRelease(r.kind, r.name, r.file, r.effective, variant=r.variant)
            for r in self._releases
            if kind is None or r.kind == kind
        ]

    def _choose(self, kind: str, on: dt.date, variant: str = "") -> tuple[_ReleaseRow, SourceRelease] | None:
        key = (kind, on, variant)
        if key not in self._chosen:
            candidates = [
                r for r in self._releases if r.kind == kind and (not variant or r.variant == variant)
            ]
            label = {"rvu": "RVU", "gpci": "GPCI", "zip5": "ZIP5", "anesthesia": "anesthesia CF"}.get(
                kind, kind
            )
            release, note = choose_release(candidates, on, label)
            self._chosen[key] = (release, self._source(release, note)) if release else None
        return self._chosen[key]

    @staticmethod
    def _source(release: _ReleaseRow, note: str) -> SourceRelease:
        return SourceRelease(
            release.kind, release.name, release.file, release.effective, note, release.variant
        )

    def release(self, kind: str, on: dt.date, variant: str = "") -> SourceRelease | None:
        """The release of `kind` (rvu, gpci, locality, anesthesia, zip5) that applies on `on`."""
        chosen = self._choose(kind, on, variant)
        return chosen[1] if chosen else None

    def rvu_release(self, on: dt.date, variant: str = "nonQP") -> SourceRelease | None:
        return self.release("rvu", on, variant)

    def rvu(
        self, hcpcs: str, modifier: str, on: dt.date, variant: str = "nonQP"
    ) -> tuple[RvuRecord, SourceRelease] | None:
        """The RVU row of `hcpcs` with `modifier` ('' for the global/only row) in the release of `on`."""
        chosen = self._choose("rvu", on, variant)
        if chosen is None:
            return None
        record = self._rvu_row(chosen[0].id, hcpcs.upper(), modifier.upper())
        return (record, chosen[1]) if record else None

    def _rvu_row_uncached(self, release_id: int, hcpcs: str, modifier: str) -> RvuRecord | None:
        row = self._conn.execute(
            f"SELECT {', '.join(_RVU_FIELDS)} FROM mpfs_rvu WHERE release_id = ? AND hcpcs = ? AND modifier = ?",
            (release_id, hcpcs, modifier),
        ).fetchone()
        return _rvu_from_row(row) if row else None

    def modifiers_of(self, hcpcs: str, on: dt.date, variant: str = "nonQP") -> tuple[str, ...]:
        """The modifiers with their own row for `hcpcs` ('' = the global row), e.g. ('', '26', 'TC')."""
        chosen = self._choose("rvu", on, variant)
        if chosen is None:
            return ()
        rows = self._conn.execute(
            "SELECT modifier FROM mpfs_rvu WHERE release_id = ? AND hcpcs = ? ORDER BY modifier",
            (chosen[0].id, hcpcs.upper()),
        ).fetchall()
        return tuple(r[0] for r in rows)

    def global_days(self, hcpcs: str, on: dt.date) -> tuple[str, Source] | None:
        """The global surgery period of a code ('000', '010', '090', 'MMM', 'XXX', 'YYY', 'ZZZ') and
        the release that says so, or None when the RVU release of `on` does not list the code."""
        found = self.rvu(hcpcs, "", on)
        if found is None:
            found = next((self.rvu(hcpcs, m, on) for m in self.modifiers_of(hcpcs, on)), None)
        if found is None:
            return None
        record, release = found
        return record.global_days, Source(RVU_SOURCE, release.name, release.effective.isoformat())

    def gpci(self, mac: str, locality: str, on: dt.date) -> tuple[GpciRecord, SourceRelease] | None:
        """The GPCIs of a MAC and locality in the GPCI release of `on`."""
        chosen = self._choose("gpci", on)
        if chosen is None:
            return None
        record = self._gpci_row(chosen[0].id, mac, locality)
        return (record, chosen[1]) if record else None

    def _gpci_row_uncached(self, release_id: int, mac: str, locality: str) -> GpciRecord | None:
        row = self._conn.execute(
            "SELECT mac, state, locality, name, work, pe, mp FROM mpfs_gpci "
            "WHERE release_id = ? AND mac = ? AND locality = ?",
            (release_id, mac, locality),
        ).fetchone()
        if row is None:
            return None
        return GpciRecord(row[0], row[1], row[2], row[3], Decimal(row[4]), Decimal(row[5]), Decimal(row[6]))

    def zip5(self, zip5: str, on: dt.date) -> tuple[Zip5Record, SourceRelease] | None:
        """The MAC and locality of a ZIP code in the ZIP5 release of `on`."""
        chosen = self._choose("zip5", on)
        if chosen is None:
            return None
        record = self._zip5_row(chosen[0].id, zip5)
        return (record, chosen[1]) if record else None

    def _zip5_row_uncached(self, release_id: int, zip5: str) -> Zip5Record | None:
        row = self._conn.execute(
            "SELECT state, zip5, mac, locality, rural, plus_four FROM mpfs_zip5 WHERE release_id = ? AND zip5 = ?",
            (release_id, zip5),
        ).fetchone()
        return Zip5Record(row[0], row[1], row[2], row[3], row[4], bool(row[5])) if row else None

    def locality(self, mac: str, locality: str, on: dt.date) -> tuple[LocalityRecord, SourceRelease] | None:
        chosen = self._choose("locality", on)
        if chosen is None:
            return None
        row = self._conn.execute(
            "SELECT mac, locality, state, area, counties FROM mpfs_locality "
            "WHERE release_id = ? AND mac = ? AND locality = ?",
            (chosen[0].id, mac, locality),
        ).fetchone()
        return (LocalityRecord(*row), chosen[1]) if row else None

    def anesthesia_cf(
        self, mac: str, locality: str, on: dt.date
    ) -> tuple[AnesthesiaCfRecord, SourceRelease] | None:
        chosen = self._choose("anesthesia", on)
        if chosen is None:
            return None
        row = self._conn.execute(
            "SELECT mac, locality, name, cf FROM mpfs_anesthesia_cf WHERE release_id = ? AND mac = ? AND locality = ?",
            (chosen[0].id, mac, locality),
        ).fetchone()
        if row is None:
            return None
        return AnesthesiaCfRecord(row[0], row[1], row[2], Decimal(row[3])), chosen[1]


def check_files(files: MpfsFiles) -> Iterable[str]:
    """Problems that make the section unusable for pricing (a kind of file missing)."""
    for kind in ("rvu", "gpci", "zip5"):
        if not getattr(files, kind):
            yield f"no {kind.upper()} file found"


def require_files(files: MpfsFiles) -> None:
    problems = tuple(check_files(files))
    if problems:
        raise DataError("MPFS files missing: " + "; ".join(problems))


def load_installed(conn: sqlite3.Connection, installed: Iterable[Any]) -> dict[str, int]:
    """Load installed MPFS releases (objects with `release.id` and `paths`, as the knowledge-base
    build hands them over) into the tables; rows loaded per release id."""
    owners: dict[Path, str] = {}
    for item in installed:
        for path in item.paths.values():
            owners[Path(path)] = item.release.id
    counts: dict[str, int] = {}
    for path, rows in build_mpfs(conn, classify_files(owners)).items():
        counts[owners[path]] = counts.get(owners[path], 0) + rows
    return counts


def _load_section(ctx: Any, installed: Sequence[Any]) -> dict[str, int]:
    return load_installed(ctx.conn, installed)


SECTION = Section(
    name="mpfs",
    version=1,
    schema=SCHEMA,
    loads=("mpfs",),
    load=_load_section,
    accessor=lambda kb: Mpfs(kb.conn),
    description="CMS physician fee schedule: RVUs and indicators, GPCIs, localities, ZIP5 → locality, anesthesia CFs",
)
"""The knowledge-base section: `kb.mpfs` is an `Mpfs` over the knowledge base's connection."""
