"""The knowledge base, opened read-only: `open_kb()` → `KnowledgeBase`.

One SQLite connection per `KnowledgeBase`; accessors per code system (`kb.icd10cm`, `kb.hcpcs`,
`kb.pcs`, `kb.cpt`, `kb.pos`, `kb.taxonomy`, `kb.mce`, `kb.index`) and, for sections other areas
register, `kb.<section name>`. Every lookup takes `on=` (a `datetime.date`): the release of the
system in force on that date answers; `on=None` means the newest installed release.

>>> kb = open_kb()                                   # doctest: +SKIP
>>> kb.icd10cm.get("E1165", on=date(2026, 5, 1)).description    # doctest: +SKIP
'Type 2 diabetes mellitus with hyperglycemia'
"""

import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medbill.codesets.sections import all_sections, fingerprint
from medbill.core.dates import EffectiveRange
from medbill.core.errors import DataError
from medbill.settings import get_settings

if TYPE_CHECKING:
    from medbill.codesets.cpt.lookup import CptCodes
    from medbill.codesets.hcpcs.lookup import HcpcsCodes
    from medbill.codesets.icd10cm.lookup import Icd10cmCodes
    from medbill.codesets.icd10cm_index.lookup import IndexLookup
    from medbill.codesets.mce.lookup import MceEdits
    from medbill.codesets.pcs.lookup import PcsCodes
    from medbill.codesets.pos import PlaceOfService
    from medbill.codesets.search import SearchIndex
    from medbill.codesets.taxonomy import Taxonomy


class NotInstalledError(DataError):
    """No release of the asked code system is in the knowledge base."""


class OutOfRangeError(DataError):
    """The date asked for falls outside every installed release of the code system."""


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A release as recorded in the knowledge base."""

    id: str
    system: str
    component: str
    name: str
    publisher: str
    url: str
    effective: EffectiveRange
    source: str
    section: str
    row_count: int

    @property
    def selector(self) -> str:
        return f"{self.system}/{self.component}"

    def matches(self, selector: str) -> bool:
        return selector in (self.system, self.selector)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only=ON")
    conn.execute("PRAGMA cache_size=-64000")
    conn.execute("PRAGMA mmap_size=268435456")
    return conn


class KnowledgeBase:
    """A read-only view of the knowledge base file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise DataError(f"the knowledge base {path} is not built yet: run `medbill data build`")
        try:
            self.conn = _connect(path)
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise DataError(
                f"{path} is not a readable knowledge base ({exc}): run `medbill data build`"
            ) from None
        self.meta = meta
        self.sections = {s.name: s for s in all_sections()}
        expected = fingerprint(tuple(self.sections.values()))
        if meta.get("format") != expected:
            built = set(meta.get("sections", "").split())
            now = set(self.sections)
            changes = [f"+{n}" for n in sorted(now - built)] + [f"-{n}" for n in sorted(built - now)]
            detail = f" (sections changed: {' '.join(changes)})" if changes else ""
            raise DataError(
                f"the knowledge base {path} was built by another version of medbill{detail}: "
                "run `medbill data build`"
            )
        self._accessors: dict[str, Any] = {}
        self.releases = tuple(
            ReleaseInfo(
                id=r[0],
                system=r[1],
                component=r[2],
                name=r[3],
                publisher=r[4],
                url=r[5],
                effective=EffectiveRange(
                    date.fromisoformat(r[6]), date.fromisoformat(r[7]) if r[7] else None
                ),
                source=r[8],
                section=r[9],
                row_count=r[10],
            )
            for r in self.conn.execute(
                "SELECT id, system, component, name, publisher, url, effective_from, effective_to, source,"
                " section, row_count FROM release ORDER BY effective_from"
            )
        )
        self._release_cache: dict[tuple[str, date | None], ReleaseInfo] = {}

    def close(self) -> None:
        self.conn.close()

    def __reduce__(self) -> tuple[Any, tuple[Path]]:
        """Pickles as its path: a worker process (Dask) reopens the read-only file."""
        return (KnowledgeBase, (self.path,))

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---------------------------------------------------------------- releases
    def has(self, selector: str) -> bool:
        return any(r.matches(selector) for r in self.releases)

    def releases_of(self, selector: str) -> tuple[ReleaseInfo, ...]:
        """Releases named by `selector`: `system`, `system/component`, or alternatives joined by `|`."""
        options = selector.split("|")
        return tuple(r for r in self.releases if any(r.matches(o) for o in options))

    def release_for(self, selector: str, on: date | None = None, *, what: str | None = None) -> ReleaseInfo:
        """The release of `selector` in force on `on` (the newest when `on` is None)."""
        key = (selector, on)
        cached = self._release_cache.get(key)
        if cached is not None:
            return cached
        candidates = self.releases_of(selector)
        label = what or selector
        if not candidates:
            raise NotInstalledError(
                f"{label} is not in the knowledge base: run `medbill data sync` then `medbill data build`"
            )
        if on is None:
            found = max(candidates, key=lambda r: r.effective.start)
        else:
            in_force = [r for r in candidates if r.effective.contains(on)]
            if not in_force:
                ranges = "; ".join(f"{r.name} ({r.effective})" for r in candidates)
                raise OutOfRangeError(
                    f"no {label} release in force on {on.isoformat()} (installed: {ranges})"
                )
            found = max(in_force, key=lambda r: r.effective.start)
        self._release_cache[key] = found
        return found

    def releases_on(self, on: date | None, systems: tuple[str, ...] = ()) -> set[str]:
        """Ids of the releases that answer on `on` (one per system/component)."""
        out = set()
        for selector in {r.selector for r in self.releases if not systems or r.system in systems}:
            try:
                out.add(self.release_for(selector, on).id)
            except OutOfRangeError:
                continue
        return out

    # ---------------------------------------------------------------- accessors
    @cached_property
    def search_index(self) -> "SearchIndex":
        from medbill.codesets.search import SearchIndex

        return SearchIndex(self.conn)

    def _section_accessor(self, name: str) -> Any:
        if name not in self._accessors:
            section = self.sections.get(name)
            if section is None or section.accessor is None:
                raise NotInstalledError(f"the knowledge-base section {name!r} is not part of this medbill")
            self._accessors[name] = section.accessor(self)
        return self._accessors[name]

    @property
    def icd10cm(self) -> "Icd10cmCodes":
        return self._section_accessor("icd10cm")

    @property
    def index(self) -> "IndexLookup":
        return self._section_accessor("icd10cm_index")

    @property
    def pcs(self) -> "PcsCodes":
        return self._section_accessor("icd10pcs")

    @property
    def hcpcs(self) -> "HcpcsCodes":
        return self._section_accessor("hcpcs")

    @property
    def cpt(self) -> "CptCodes":
        return self._section_accessor("cpt")

    @property
    def pos(self) -> "PlaceOfService":
        return self._section_accessor("pos")

    @property
    def taxonomy(self) -> "Taxonomy":
        return self._section_accessor("taxonomy")

    @property
    def mce(self) -> "MceEdits":
        return self._section_accessor("mce")

    def __getattr__(self, name: str) -> Any:
        """`kb.<section name>`: the accessor of a section registered by another area (e.g. `kb.ncci`)."""
        sections = self.__dict__.get("sections", {})
        if name.startswith("_") or name not in sections:
            raise AttributeError(f"{type(self).__name__!r} has no attribute or section {name!r}")
        return self._section_accessor(name)


def open_kb(path: Path | None = None) -> KnowledgeBase:
    """Open the knowledge base (default `get_settings().kb_path`); `DataError` when not built or stale."""
    return KnowledgeBase(path or get_settings().kb_path)
