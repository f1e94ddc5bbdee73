"""Installed releases: where synced release files live under `MEDBILL_HOME` and how they are checked.

Layout: `MEDBILL_HOME/releases/<release id>/<member file>` plus `release.json`, written last, that
records the source and the sha256 of each member. A release folder without `release.json` is not
installed. The ICD-10-CM Tabular is embedded (it ships inside the `simple-icd-10-cm` package) and
is always installed. User-supplied files (CPT) live in `MEDBILL_HOME/user/<release id>/` with the
release description in their `release.json`.
"""

import hashlib
import importlib.util
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from medbill.codesets.manifest import Manifest, Release, ReleaseFile
from medbill.core.dates import EffectiveRange
from medbill.core.errors import DataError

MARKER = "release.json"


@dataclass(frozen=True, slots=True)
class InstalledRelease:
    """A release whose files are on disk and can be loaded."""

    release: Release
    paths: dict[str, Path] = field(hash=False)
    source: str
    checksums: dict[str, str] = field(hash=False)

    def path(self, name: str | None = None) -> Path:
        """The path of member `name` (or of the only member)."""
        if name is None:
            if len(self.paths) != 1:
                raise DataError(f"release {self.release.id} has several files; name one")
            return next(iter(self.paths.values()))
        try:
            return self.paths[name]
        except KeyError:
            raise DataError(f"release {self.release.id} has no file {name!r}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, expected: str, *, release_id: str) -> str:
    """Check one file; `DataError` names the file when it is missing, empty or not the expected one."""
    if not path.is_file():
        raise DataError(f"release {release_id}: file {path} is missing")
    if path.stat().st_size == 0:
        raise DataError(f"release {release_id}: file {path} is empty")
    actual = sha256_of(path)
    if expected and actual != expected:
        raise DataError(
            f"release {release_id}: file {path} is corrupt or not the published file "
            f"(sha256 {actual[:16]}…, expected {expected[:16]}…)"
        )
    return actual


def embedded_path(release: Release, member: ReleaseFile) -> Path:
    """Path of a member file carried inside an installed Python package (`package/sub/folder`).

    The package is located without importing it (importing simple_icd_10_cm parses its XML)."""
    package, _, folder = release.embedded.partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"release {release.id}: the package {package} that carries it is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / folder / (member.embedded_name or member.name)


def read_marker(folder: Path) -> dict[str, Any] | None:
    marker = folder / MARKER
    if not marker.is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def write_marker(folder: Path, data: dict[str, Any]) -> None:
    tmp = folder / (MARKER + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(folder / MARKER)


def release_from_marker(data: dict[str, Any]) -> Release:
    """A user-supplied release described by its own `release.json` (it is not in the manifest)."""
    end = data.get("effective_to")
    return Release(
        id=data["id"],
        system=data["system"],
        component=data["component"],
        name=data["name"],
        publisher=data.get("publisher", "user-supplied"),
        url="",
        page="",
        effective=EffectiveRange(
            date.fromisoformat(data["effective_from"]), date.fromisoformat(end) if end else None
        ),
        mirror="",
        files=tuple(ReleaseFile(name=n, sha256=s) for n, s in data["files"].items()),
        mirrored=False,
    )


def installed_releases(manifest: Manifest, releases_dir: Path, user_dir: Path) -> Iterator[InstalledRelease]:
    """Every release that can be loaded now: embedded, synced, and user-supplied ones."""
    for release in manifest.releases:
        if release.embedded:
            paths = {f.name: embedded_path(release, f) for f in release.files}
            if all(p.is_file() for p in paths.values()):
                sums = {f.name: f.sha256 for f in release.files}
                yield InstalledRelease(release, paths, f"embedded ({release.embedded.split('/')[0]})", sums)
                continue
        folder = releases_dir / release.id
        marker = read_marker(folder)
        if marker is None:
            continue
        paths = {f.name: folder / f.name for f in release.files}
        yield InstalledRelease(release, paths, str(marker.get("source", "?")), dict(marker.get("files", {})))
    if user_dir.is_dir():
        for folder in sorted(user_dir.iterdir()):
            marker = read_marker(folder)
            if marker is None:
                continue
            release = release_from_marker(marker)
            paths = {f.name: folder / f.name for f in release.files}
            yield InstalledRelease(release, paths, "user-supplied", dict(marker["files"]))


def verify_installed(installed: InstalledRelease) -> None:
    """Re-check every file of an installed release against the checksum recorded at sync."""
    for name, path in installed.paths.items():
        expected = installed.checksums.get(name) or next(
            (f.sha256 for f in installed.release.files if f.name == name), ""
        )
        verify_file(path, expected, release_id=installed.release.id)
