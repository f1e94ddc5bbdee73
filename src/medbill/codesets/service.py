"""The data use cases behind `medbill data ...`: sync, build, status — tying manifest, installed
releases, sections and settings together."""

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medbill.codesets.build import BuildReport, build
from medbill.codesets.installed import InstalledRelease, installed_releases
from medbill.codesets.manifest import load_manifest
from medbill.codesets.sections import all_sections, fingerprint
from medbill.codesets.sync import SyncOutcome, sync
from medbill.settings import Settings


def user_dir(settings: Settings) -> Path:
    """Where user-supplied releases (CPT) are kept."""
    return settings.home / "user"


def installed(settings: Settings) -> list[InstalledRelease]:
    return list(installed_releases(load_manifest(), settings.releases_dir, user_dir(settings)))


def sync_releases(
    settings: Settings,
    *,
    mirror: Path | None,
    only: Sequence[str] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> list[SyncOutcome]:
    return sync(load_manifest(), settings.releases_dir, mirror=mirror, only=only, progress=progress)


def build_kb(settings: Settings, *, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
    return build(settings.kb_path, all_sections(), installed(settings), progress=progress)


@dataclass(frozen=True, slots=True)
class ReleaseStatus:
    id: str
    system: str
    component: str
    name: str
    effective_from: str
    effective_to: str | None
    installed: bool
    source: str
    in_kb: bool
    rows: int | None
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _kb_state(path: Path) -> tuple[dict[str, int], str]:
    if not path.is_file():
        return {}, "not built"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute("SELECT id, row_count FROM release").fetchall())
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return {}, f"unreadable ({exc})"
    state = (
        "current" if meta.get("format") == fingerprint(all_sections()) else "stale (run `medbill data build`)"
    )
    return rows, f"{state}, built {meta.get('built_at', '?')}"


def status(settings: Settings) -> dict[str, Any]:
    """Installed releases, their dates and row counts in the base, and what is missing."""
    manifest = load_manifest()
    present = {i.release.id: i for i in installed(settings)}
    rows, kb_state = _kb_state(settings.kb_path)
    items = []
    for release in manifest.releases:
        item = present.get(release.id)
        if item is not None:
            note = ""
        elif not release.mirrored:
            note = f"not mirrored; publisher: {release.url or release.page}"
        else:
            note = "not synced: run `medbill data sync`"
        items.append(
            ReleaseStatus(
                id=release.id,
                system=release.system,
                component=release.component,
                name=release.name,
                effective_from=release.effective.start.isoformat(),
                effective_to=release.effective.end.isoformat() if release.effective.end else None,
                installed=item is not None,
                source=item.source if item else "",
                in_kb=release.id in rows,
                rows=rows.get(release.id),
                note=note,
            )
        )
    for item in present.values():
        if item.release.id not in {r.id for r in manifest.releases}:
            r = item.release
            items.append(
                ReleaseStatus(
                    r.id,
                    r.system,
                    r.component,
                    r.name,
                    r.effective.start.isoformat(),
                    r.effective.end.isoformat() if r.effective.end else None,
                    True,
                    item.source,
                    r.id in rows,
                    rows.get(r.id),
                    "user-supplied",
                )
            )
    return {
        "kb": {"path": str(settings.kb_path), "state": kb_state},
        "releases": [i.to_dict() for i in items],
        "missing": [i.id for i in items if not i.installed],
    }


def dump(value: Any) -> str:
    return json.dumps(value, indent=2)
