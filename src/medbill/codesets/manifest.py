"""The release manifest: every official release medbill knows, read from `releases.toml`.

A release is one publication of one code system component (the ICD-10-CM Tabular of April 2026,
the HCPCS file of October 2025, ...): its publisher URL, the member files with their sha256, and
the dates it is in force. Releases are content; this module only reads the list.

>>> manifest = load_manifest()
>>> manifest.get("hcpcs-2025-10").system
'hcpcs'
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from medbill.core.dates import EffectiveRange
from medbill.core.errors import DataError


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """One member file of a release; `sha256` is empty when no reference copy was available."""

    name: str
    sha256: str
    embedded_name: str = ""


@dataclass(frozen=True, slots=True)
class Release:
    """One official release of one code-system component."""

    id: str
    system: str
    component: str
    name: str
    publisher: str
    url: str
    page: str
    effective: EffectiveRange
    mirror: str
    files: tuple[ReleaseFile, ...]
    mirrored: bool = True
    embedded: str = ""
    keep_archive: bool = False
    urls: tuple[str, ...] = ()

    @property
    def selector(self) -> str:
        """`system/component`, the form sections use to say which releases they load."""
        return f"{self.system}/{self.component}"

    def matches(self, selector: str) -> bool:
        """Whether `selector` (`system` or `system/component`) names this release."""
        return selector in (self.system, self.selector)

    def in_force(self, on: date) -> bool:
        return self.effective.contains(on)


@dataclass(frozen=True, slots=True)
class Manifest:
    releases: tuple[Release, ...]

    def get(self, release_id: str) -> Release:
        for release in self.releases:
            if release.id == release_id:
                return release
        known = ", ".join(r.id for r in self.releases)
        raise DataError(f"unknown release {release_id!r} (the manifest knows: {known})")

    def select(self, selector: str) -> tuple[Release, ...]:
        return tuple(r for r in self.releases if r.matches(selector))


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    raise DataError(f"release manifest: {where} must be a TOML date, got {value!r}")


def parse_manifest(text: str, *, source: str = "releases.toml") -> Manifest:
    """Parse a manifest document; `DataError` names the release and field that is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{source}: not valid TOML: {exc}") from None
    releases = []
    seen: set[str] = set()
    for n, item in enumerate(data.get("release", []), start=1):
        where = f"{source}: release #{n} ({item.get('id', '?')})"
        try:
            files = tuple(
                ReleaseFile(
                    name=f["name"], sha256=f.get("sha256", ""), embedded_name=f.get("embedded_name", "")
                )
                for f in item["files"]
            )
            end = item.get("effective_to")
            release = Release(
                id=item["id"],
                system=item["system"],
                component=item["component"],
                name=item["name"],
                publisher=item["publisher"],
                url=item.get("url", ""),
                page=item.get("page", ""),
                effective=EffectiveRange(
                    _as_date(item["effective_from"], f"{where} effective_from"),
                    _as_date(end, f"{where} effective_to") if end is not None else None,
                ),
                mirror=item.get("mirror", ""),
                files=files,
                mirrored=bool(item.get("mirrored", True)),
                embedded=item.get("embedded", ""),
                keep_archive=item.get("archive") == "keep",
                urls=tuple(item.get("urls", ())),
            )
        except KeyError as exc:
            raise DataError(f"{where}: missing field {exc.args[0]!r}") from None
        if release.id in seen:
            raise DataError(f"{where}: duplicate release id")
        seen.add(release.id)
        releases.append(release)
    return Manifest(tuple(releases))


@cache
def load_manifest(path: Path | None = None) -> Manifest:
    """The manifest shipped with medbill (or the one at `path`)."""
    if path is not None:
        return parse_manifest(path.read_text(encoding="utf-8"), source=str(path))
    text = resources.files("medbill.codesets").joinpath("releases.toml").read_text(encoding="utf-8")
    return parse_manifest(text)
