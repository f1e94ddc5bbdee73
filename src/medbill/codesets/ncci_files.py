"""Build `NcciTables` from the official CMS files (PTP text, MUE CSV, add-on XLSX), by file name.

>>> kind_of("ccipra-v321r0-f2.txt"), kind_of("MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"), kind_of("x.pdf")
('ptp', 'mue', None)
"""

from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from medbill.codesets import ncci_aoc, ncci_mue, ncci_ptp
from medbill.codesets.ncci_tables import SETTING_NAMES, AocTable, MueTable, NcciTables, PtpTable
from medbill.core.errors import DataError
from medbill.core.findings import Source


def kind_of(path: str | Path) -> str | None:
    """`ptp`, `mue` or `aoc` for a CMS NCCI file name, None for anything else."""
    name = Path(path).name
    if ncci_ptp.FILE_NAME.match(name) and name.lower().endswith((".txt", ".zip")):
        return "ptp"
    if ncci_mue.FILE_NAME.search(name) and name.lower().endswith(".csv"):
        return "mue"
    if ncci_aoc.FILE_NAME.search(name) and name.lower().endswith(".xlsx"):
        return "aoc"
    return None


def ptp_source(release: ncci_ptp.PtpRelease) -> Source:
    return Source(
        name=f"CMS NCCI PTP edits, {SETTING_NAMES[release.setting]}",
        release=release.label,
        effective=release.effective.isoformat(),
    )


def mue_source(release: ncci_mue.MueRelease) -> Source:
    return Source(
        name=f"CMS NCCI MUE table, {SETTING_NAMES[release.setting]}",
        release=release.label,
        effective=release.effective.isoformat(),
    )


def aoc_source(path: str | Path) -> Source:
    effective = ncci_aoc.effective_of(path)
    quarter = (effective.month - 1) // 3 + 1
    return Source(
        name="CMS NCCI add-on code edits",
        release=f"{effective.year} Q{quarter}",
        effective=effective.isoformat(),
    )


def load_ptp(paths: Iterable[str | Path]) -> list[PtpTable]:
    """One table per (setting, version): the parts f1…f4 of a release are read together."""
    groups: dict[tuple[str, str], list[Path]] = {}
    releases: dict[tuple[str, str], ncci_ptp.PtpRelease] = {}
    for path in paths:
        release = ncci_ptp.release_of(path)
        key = (release.setting, release.version)
        groups.setdefault(key, []).append(Path(path))
        releases[key] = release
    tables = []
    for key, files in groups.items():
        release = releases[key]
        edits = chain.from_iterable(ncci_ptp.read_ptp(f) for f in sorted(files))
        tables.append(
            PtpTable.from_edits(
                edits, setting=release.setting, source=ptp_source(release), in_force_from=release.effective
            )
        )
    return tables


def load_mue(path: str | Path) -> MueTable:
    release = ncci_mue.release_of(path)
    setting, edits = ncci_mue.read_mue(path)
    if setting != release.setting:
        raise DataError(f"{path}: the file name says {release.setting} but the heading says {setting}")
    return MueTable.from_edits(
        edits, setting=setting, source=mue_source(release), in_force_from=release.effective
    )


def load_aoc(path: str | Path) -> AocTable:
    return AocTable.from_edits(
        ncci_aoc.read_aoc(path), source=aoc_source(path), in_force_from=ncci_aoc.effective_of(path)
    )


def tables_from_files(paths: Iterable[str | Path]) -> NcciTables:
    """NCCI tables from any mix of official PTP, MUE and AOC files (other files are an error)."""
    tables = NcciTables()
    ptp_files = []
    for path in paths:
        kind = kind_of(path)
        if kind == "ptp":
            ptp_files.append(path)
        elif kind == "mue":
            tables.add_mue(load_mue(path))
        elif kind == "aoc":
            tables.add_aoc(load_aoc(path))
        else:
            raise DataError(f"{path}: not a CMS NCCI PTP, MUE or add-on code file name")
    for table in load_ptp(ptp_files):
        tables.add_ptp(table)
    return tables


def tables_from_directory(folder: str | Path) -> NcciTables:
    """NCCI tables from every recognised file in a folder (others are ignored)."""
    files = sorted(p for p in Path(folder).iterdir() if p.is_file() and kind_of(p))
    return tables_from_files(files)
