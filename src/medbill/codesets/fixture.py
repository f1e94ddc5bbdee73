"""A ready knowledge base for test suites (the `kb` pytest fixture of every area).

Reuses the base at `get_settings().kb_path` when it is current and holds every release the mirror
offers; otherwise syncs from the mirror into `<cache>/kb-home` and builds a base there once (a file
lock keeps parallel test runs from building twice).
"""

import fcntl
from pathlib import Path

from medbill.codesets.kb import KnowledgeBase, open_kb
from medbill.codesets.manifest import load_manifest
from medbill.codesets.sections import all_sections
from medbill.core.errors import DataError
from medbill.settings import Settings, get_settings


def _wanted(mirror: Path | None) -> set[str]:
    """Release ids a complete base holds: the embedded ones plus, with a mirror, every mirrored one
    that some registered section loads."""
    sections = all_sections()
    return {
        r.id
        for r in load_manifest().releases
        if (r.embedded or (mirror is not None and r.mirrored)) and any(s.wants_release(r) for s in sections)
    }


def _usable(path: Path, wanted: set[str]) -> KnowledgeBase | None:
    try:
        kb = open_kb(path)
    except DataError:
        return None
    if wanted - {r.id for r in kb.releases}:
        kb.close()
        return None
    return kb


def session_kb(cache: Path, mirror: Path | None) -> KnowledgeBase:
    """The knowledge base for a test session (see the module docstring)."""
    from medbill.codesets.service import build_kb, sync_releases

    wanted = _wanted(mirror)
    kb = _usable(get_settings().kb_path, wanted)
    if kb is not None:
        return kb
    home = cache / "kb-home"
    home.mkdir(parents=True, exist_ok=True)
    settings = Settings(home=home, database_url="", data_mirror=mirror, kb_path=home / "kb.sqlite")
    with (cache / "kb-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kb = _usable(settings.kb_path, wanted)
        if kb is not None:
            return kb
        if mirror is not None:
            outcomes = sync_releases(settings, mirror=mirror)
            failed = [o.detail for o in outcomes if o.status == "failed"]
            if failed:
                raise DataError("; ".join(failed))
        build_kb(settings)
    return open_kb(settings.kb_path)
