"""Global surgery days from the MPFS relative value files, held in memory for the scrubber.

One dict per RVU release (code → `000`, `010`, `090`, `XXX`, `YYY`, `ZZZ`, `MMM`), the release
for a date of service chosen as pricing chooses it (`medbill.codesets.mpfs_releases`). Built from
the official PPRRVU files or from the MPFS section of the knowledge base; plain data, so it pickles.
"""

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from medbill.codesets.mpfs import RvuRelease, read_rvu_file
from medbill.codesets.mpfs_releases import choose_release
from medbill.core.findings import Source

NAME = "CMS MPFS relative value file (global surgery days)"


@dataclass
class GlobalDaysTable:
    """Implements `medbill.rules.reference.GlobalDaysLookup`."""

    releases: list[RvuRelease] = field(default_factory=list)
    days: dict[str, dict[str, str]] = field(default_factory=dict)
    _chosen: dict[dt.date, tuple[RvuRelease | None, Source | None]] = field(default_factory=dict, repr=False)

    def add(self, release: RvuRelease, days: dict[str, str]) -> None:
        self.releases.append(release)
        self.days[release.name] = days
        self._chosen.clear()

    def global_days(self, code: str, on: dt.date) -> tuple[str, Source] | None:
        chosen = self._chosen.get(on)
        if chosen is None:
            release, note = choose_release(self.releases, on, "RVU")
            source = None
            if release is not None:
                text = f"{release.name} {release.variant}".strip() + (f" ({note})" if note else "")
                source = Source(name=NAME, release=text, effective=release.effective.isoformat())
            chosen = self._chosen[on] = (release, source)
        release, source = chosen
        if release is None or source is None:
            return None
        value = self.days[release.name].get(code)
        return None if value is None else (value, source)

    @classmethod
    def from_rvu_files(cls, paths: Iterable[Path]) -> "GlobalDaysTable":
        table = cls()
        for path in paths:
            release, records = read_rvu_file(path)
            if release.variant not in ("", "nonQP"):
                continue  # global days do not differ between the QP and non-QP files
            days: dict[str, str] = {}
            for record in sorted(records, key=lambda r: r.modifier != ""):
                days.setdefault(record.hcpcs, record.global_days)
            table.add(release, days)
        return table

    @classmethod
    def from_mpfs_section(cls, conn: sqlite3.Connection) -> "GlobalDaysTable":
        """From the `mpfs_release` / `mpfs_rvu` tables of the knowledge base's MPFS section."""
        table = cls()
        releases = conn.execute(
            "SELECT id, name, year, effective, variant, file FROM mpfs_release WHERE kind = 'rvu' ORDER BY id"
        ).fetchall()
        for rid, name, year, effective, variant, file in releases:
            if variant not in ("", "nonQP"):
                continue
            rows = conn.execute(
                "SELECT hcpcs, global_days FROM mpfs_rvu WHERE release_id = ? ORDER BY modifier != ''", (rid,)
            )
            days: dict[str, str] = {}
            for hcpcs, value in rows:
                days.setdefault(hcpcs, value)
            table.add(RvuRelease(name, year, dt.date.fromisoformat(effective), variant, file), days)
        return table
