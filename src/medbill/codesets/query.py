"""Search across code systems as of a date: the terms come from the FTS index, the descriptions from
each system's accessor."""

from datetime import date
from typing import TYPE_CHECKING

from medbill.codesets.records import SearchHit

if TYPE_CHECKING:
    from medbill.codesets.kb import KnowledgeBase

SEARCHABLE = ("icd10cm", "icd10pcs", "hcpcs")


def describe(kb: "KnowledgeBase", system: str, code: str, on: date | None) -> str:
    """The description of `code` in `system` as of `on` ("" when unknown there)."""
    accessor = {"icd10cm": "icd10cm", "icd10pcs": "pcs", "hcpcs": "hcpcs", "cpt": "cpt"}.get(system)
    if accessor is None or not kb.has(system):
        return ""
    try:
        return str(getattr(kb, accessor).description(code, on))
    except Exception:  # a release of another component may not be in force on `on`
        return ""


def search(
    kb: "KnowledgeBase",
    text: str,
    *,
    systems: tuple[str, ...] = (),
    limit: int = 10,
    on: date | None = None,
) -> list[SearchHit]:
    """Ranked hits for `text` over the releases in force on `on` (newest releases when `on` is None)."""
    wanted = systems or SEARCHABLE
    releases = kb.releases_on(on, wanted)
    if on is not None and not releases:
        for system in wanted:
            if kb.has(system):
                kb.release_for(system, on)  # raises the out-of-range error naming the system
    matches = kb.search_index.search(text, systems=wanted, releases=releases, limit=limit)
    return [
        SearchHit(
            code=m.code,
            system=m.system,
            description=describe(kb, m.system, m.code, on) or m.matched,
            score=m.score,
            matched=m.matched,
            kind=m.kind,
            release=m.release_id,
        )
        for m in matches
    ]
