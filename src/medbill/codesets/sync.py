"""`medbill data sync`: put the official release files under `MEDBILL_HOME/releases`.

From a mirror folder laid out like the workplace's shared/data (`<mirror>/<release.mirror>/<file>`),
or downloaded from the publisher's URL (a zip is unpacked and its named members kept). Every file is
checked against the manifest's sha256 before the release is installed; each release is copied into
a temporary folder and renamed into place, so a failure never leaves a half-copied release.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medbill.codesets.installed import read_marker, sha256_of, verify_file, write_marker
from medbill.codesets.manifest import Manifest, Release
from medbill.core.errors import DataError

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    release_id: str
    status: str  # installed | unchanged | skipped | failed
    detail: str


def _noop(_: str) -> None:
    return None


def _install(release: Release, staged: Path, releases_dir: Path, source: str, sums: dict[str, str]) -> None:
    write_marker(
        staged,
        {
            "id": release.id,
            "source": source,
            "files": sums,
            "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    target = releases_dir / release.id
    old = None
    if target.exists():
        old = releases_dir / f".old-{release.id}-{datetime.now(UTC).strftime('%H%M%S%f')}"
        target.replace(old)
    staged.replace(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _unchanged(release: Release, releases_dir: Path, sums: dict[str, str]) -> bool:
    marker = read_marker(releases_dir / release.id)
    if marker is None or marker.get("files") != sums:
        return False
    return all((releases_dir / release.id / name).is_file() for name in sums)


def sync_from_mirror(release: Release, mirror: Path, releases_dir: Path) -> SyncOutcome:
    folder = mirror / release.mirror
    sums: dict[str, str] = {}
    for member in release.files:
        sums[member.name] = verify_file(folder / member.name, member.sha256, release_id=release.id)
    if _unchanged(release, releases_dir, sums):
        return SyncOutcome(release.id, "unchanged", f"already installed from {folder}")
    releases_dir.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".sync-{release.id}-", dir=releases_dir))
    try:
        for member in release.files:
            shutil.copyfile(folder / member.name, staged / member.name)
            verify_file(staged / member.name, sums[member.name], release_id=release.id)
        _install(release, staged, releases_dir, f"mirror {folder}", sums)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return SyncOutcome(release.id, "installed", f"from {folder}")


def _download(url: str, dest: Path) -> None:
    import httpx

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=120) as response:
            response.raise_for_status()
            with dest.open("wb") as out:
                for chunk in response.iter_bytes(1 << 20):
                    out.write(chunk)
    except httpx.HTTPError as exc:
        raise DataError(f"download of {url} failed: {exc}") from None


def _extract(archive: Path, wanted: set[str], staged: Path) -> set[str]:
    found: set[str] = set()
    lower = {name.lower(): name for name in wanted}
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                base = Path(info.filename).name
                name = lower.get(base.lower())
                if name is None:
                    continue
                with zf.open(info) as src, (staged / name).open("wb") as out:
                    shutil.copyfileobj(src, out)
                found.add(name)
    except zipfile.BadZipFile:
        raise DataError(f"{archive.name}: the downloaded file is not a valid zip") from None
    return found


def sync_from_publisher(release: Release, releases_dir: Path) -> SyncOutcome:
    urls = release.urls or ((release.url,) if release.url else ())
    if not urls:
        raise DataError(f"release {release.id}: no direct download link is known; get it from {release.page}")
    releases_dir.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".sync-{release.id}-", dir=releases_dir))
    try:
        wanted = {f.name for f in release.files}
        found: set[str] = set()
        for n, url in enumerate(urls):
            download = staged / f".download-{n}"
            _download(url, download)
            if release.keep_archive or not zipfile.is_zipfile(download):
                download.replace(staged / release.files[min(n, len(release.files) - 1)].name)
                found.add(release.files[min(n, len(release.files) - 1)].name)
            else:
                found |= _extract(download, wanted, staged)
                download.unlink()
        missing = wanted - found
        if missing:
            raise DataError(
                f"release {release.id}: {', '.join(sorted(missing))} not found in {', '.join(urls)}"
            )
        sums = {f.name: verify_file(staged / f.name, f.sha256, release_id=release.id) for f in release.files}
        _install(release, staged, releases_dir, " ".join(urls), sums)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    unverified = [f.name for f in release.files if not f.sha256]
    note = (
        f" (no reference checksum for {', '.join(unverified)}: recorded, not verified)" if unverified else ""
    )
    return SyncOutcome(release.id, "installed", f"from the publisher{note}")


def sync(
    manifest: Manifest,
    releases_dir: Path,
    *,
    mirror: Path | None,
    only: Sequence[str] = (),
    progress: Progress = _noop,
) -> list[SyncOutcome]:
    """Sync every release of the manifest (or those whose id/selector is in `only`).

    Each release is all-or-nothing. Problems are collected; the outcome list says what happened
    to each release (`failed` outcomes carry the message naming the file).
    """
    if mirror is not None and not mirror.is_dir():
        raise DataError(f"data mirror {mirror} is not a folder")
    outcomes = []
    for release in manifest.releases:
        if only and not any(release.id == o or release.matches(o) for o in only):
            continue
        progress(f"{release.id}")
        if release.embedded:
            outcomes.append(
                SyncOutcome(release.id, "unchanged", f"embedded in {release.embedded.split('/')[0]}")
            )
            continue
        try:
            if mirror is not None:
                if not release.mirrored:
                    outcomes.append(
                        SyncOutcome(
                            release.id,
                            "skipped",
                            f"not in the mirror; the publisher serves it at {release.url}",
                        )
                    )
                    continue
                outcomes.append(sync_from_mirror(release, mirror, releases_dir))
            elif not (release.urls or release.url):
                outcomes.append(
                    SyncOutcome(
                        release.id,
                        "skipped",
                        f"no direct download link is known: download it from {release.page} into a folder "
                        f"{release.mirror}/ and run `medbill data sync --mirror FOLDER`",
                    )
                )
            else:
                outcomes.append(sync_from_publisher(release, releases_dir))
        except DataError as exc:
            outcomes.append(SyncOutcome(release.id, "failed", str(exc)))
    return outcomes


def verify_sums(paths: dict[str, Path]) -> dict[str, str]:
    """sha256 of each file (used when a user supplies a release)."""
    return {name: sha256_of(path) for name, path in paths.items()}
