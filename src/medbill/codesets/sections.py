"""The knowledge-base build is a set of *sections*; this module is their registry.

A section owns some tables of the knowledge base, loads them from some releases of the manifest,
and (optionally) gives the `kb` object an accessor. Built-in sections live in `medbill.codesets`;
other areas add theirs (NCCI edits in `rules`, MPFS in `pricing`) the same way:

1. **Tables.** A `schema` string of `CREATE TABLE` / `CREATE INDEX` statements. Prefix table names
   with the section name (`ncci_mue`, `mpfs_rvu`). Every data row carries `release_id` (the row's
   release) and, where a row has its own dates, `valid_from` / `valid_to` (ISO dates, NULL = open).
2. **Releases.** Entries in `codesets/releases.toml`; the section's `loads` names them by
   selector: `system` (`"ncci"`) or `system/component` (`"ncci/mue-practitioner"`).
3. **Loader.** `load(ctx, releases) -> {release_id: row_count}` fills the tables from the installed
   releases it is given (`InstalledRelease.path(name)` is a member file), inside the build's single
   transaction, and may add search documents with `ctx.add_terms(...)`. It raises `DataError`
   naming the file when a release file cannot be read.
4. **Accessor.** `accessor(kb) -> object`, built once per `KnowledgeBase` and reached as
   `kb.<section name>` (e.g. `kb.ncci.mue("97110", on=...)`). It reads through `kb.conn` and picks
   the release in force with `kb.release_for("ncci/mue-practitioner", on)`.
5. **Register.** Add the module path to `SECTION_MODULES` below; the module defines `SECTION`.
   Bump `version` whenever tables or loader change: the schema fingerprint stored in the base then
   changes, and `open_kb` tells users to rebuild a stale base.
"""

import hashlib
import importlib
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medbill.codesets.installed import InstalledRelease
from medbill.codesets.manifest import Release

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

#: Bump when the shared tables (meta, release, search) change.
FORMAT_VERSION = 4

SECTION_MODULES: tuple[str, ...] = (
    "medbill.codesets.icd10cm.section",
    "medbill.codesets.icd10cm_index.section",
    "medbill.codesets.pcs.section",
    "medbill.codesets.hcpcs.section",
    "medbill.codesets.cpt.section",
    "medbill.codesets.pos",
    "medbill.codesets.taxonomy",
    "medbill.codesets.mce.section",
    # other areas' sections:
    "medbill.rules.ncci.kb_section",
    "medbill.codesets.mpfs_section",
)


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One searchable text: a tabular description, an inclusion term, an index path, a table cell."""

    system: str
    release_id: str
    code: str
    kind: str  # description | inclusion | index | neoplasm | drug | ecause | modifier | ...
    text: str  # what the user sees as `matched`
    weight: float = 1.0


class BuildContext:
    """What a section loader gets: the connection of the base being built and a way to add search terms."""

    def __init__(self, conn: sqlite3.Connection, progress: Callable[[str], None]) -> None:
        self.conn = conn
        self.progress = progress
        self._terms: list[SearchTerm] = []

    def add_terms(self, terms: Iterable[SearchTerm]) -> None:
        self._terms.extend(terms)

    @property
    def terms(self) -> Sequence[SearchTerm]:
        return self._terms


Loader = Callable[[BuildContext, Sequence[InstalledRelease]], Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the knowledge base (see the module docstring)."""

    name: str
    version: int
    schema: str
    loads: tuple[str, ...]
    load: Loader = field(compare=False)
    accessor: "Callable[[KnowledgeBase], Any] | None" = field(default=None, compare=False)
    description: str = ""

    def wants(self, installed: InstalledRelease) -> bool:
        return self.wants_release(installed.release)

    def wants_release(self, release: Release) -> bool:
        return any(release.matches(s) for s in self.loads)


def all_sections() -> tuple[Section, ...]:
    """The registered sections whose modules exist (another area's module may not have landed yet)."""
    found = []
    for name in SECTION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue
            raise
        found.append(module.SECTION)
    names = [s.name for s in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"knowledge-base sections registered twice: {sorted(duplicates)}")
    return tuple(found)


def fingerprint(sections: Sequence[Section]) -> str:
    """A digest of the base's format: changes whenever a section's tables or version change."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    for section in sorted(sections, key=lambda s: s.name):
        digest.update(f"{section.name} {section.version}\n{section.schema}\n".encode())
    return digest.hexdigest()[:16]
