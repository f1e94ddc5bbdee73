"""The app's seams to the engines: the knowledge base, the note coder and E/M leveling, the claim
scrubber, pricing and the sandbox payer. Each is called through one small function here, so the
services above them stay independent of how an engine is loaded.

The scrubber is loaded once per process; the knowledge base (read-only) is opened once per process,
plus a few handles for concurrent code searches and lookups, whose answers are cached.
"""

import datetime as dt
import os
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from functools import cache, lru_cache
from typing import Any

from medbill.core.claim import Claim
from medbill.core.errors import DataError, InputError
from medbill.core.findings import Finding

SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs")


def plain(value: Any) -> Any:
    """Engine results as JSON-ready data (dataclasses, pydantic models, Decimal, dates, enums)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


# -- knowledge base --------------------------------------------------------------------------------
@cache
def knowledge_base() -> Any:
    """The knowledge base of this process (`DataError` when it is not built)."""
    from medbill.codesets import open_kb  # type: ignore[attr-defined,unused-ignore]

    return open_kb()


class KbPool:
    """Read-only knowledge-base handles for concurrent requests: each handle (its own SQLite
    connection, search index and accessors) serves one thread at a time, so searches run side by
    side instead of queueing on one connection. At most `size` handles are opened; a request that
    finds none free waits for one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free: queue.LifoQueue[Any] = queue.LifoQueue()
        self._opened = 0
        self._lock = threading.Lock()

    @contextmanager
    def handle(self) -> Iterator[Any]:
        kb = self._take()
        try:
            yield kb
        finally:
            self._free.put(kb)

    def _take(self) -> Any:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._opened < self.size:
                kb = self._open()
                self._opened += 1
                return kb
        return self._free.get()

    @staticmethod
    def _open() -> Any:
        from medbill.codesets.kb import KnowledgeBase

        return KnowledgeBase(knowledge_base().path)  # the process's base says where (and that it is built)


_pool = KbPool(size=min(8, (os.cpu_count() or 2) * 2))


def search_codes(text: str, *, system: str | None, limit: int, on: dt.date | None) -> list[dict[str, Any]]:
    """Ranked code search hits: `code`, `system`, `description`, `score`, `matched`. Type-ahead sends
    the same few prefixes again and again: answers are kept (the knowledge base is read-only)."""
    key = " ".join(text.lower().split())
    return [dict(hit) for hit in _search(key, system, limit, on)]


@lru_cache(maxsize=4096)
def _search(text: str, system: str | None, limit: int, on: dt.date | None) -> tuple[dict[str, Any], ...]:
    from medbill.codesets import OutOfRangeError
    from medbill.codesets.query import search  # type: ignore[import-not-found,unused-ignore]

    systems = (system,) if system else ()
    try:
        with _pool.handle() as kb:
            hits = search(kb, text, systems=systems, limit=limit, on=on)
    except OutOfRangeError as exc:  # a date outside every installed release is the caller's input
        raise InputError(str(exc)) from None
    return tuple(plain(h) for h in hits)


def lookup_code(code: str, *, system: str | None, on: dt.date | None) -> dict[str, Any]:
    """A code's record as the knowledge base describes it on `on`."""
    return dict(_lookup(code.strip().upper(), system, on))


@lru_cache(maxsize=4096)
def _lookup(code: str, system: str | None, on: dt.date | None) -> dict[str, Any]:
    accessor = {"icd10cm": "icd10cm", "icd10pcs": "pcs", "hcpcs": "hcpcs"}
    candidates = [system] if system else list(SYSTEMS)
    with _pool.handle() as kb:
        for name in candidates:
            if name not in accessor or not kb.has(name):
                continue
            try:
                found = getattr(kb, accessor[name]).get(code, on=on)
            except DataError:  # not installed, or no release in force on that date
                continue
            if found is not None:
                data = plain(found)
                data.setdefault("system", name)
                return dict(data)
    raise InputError(f"code {code!r} is not in the knowledge base" + (f" ({system})" if system else ""))


# -- the note coder and E/M ------------------------------------------------------------------------
def code_note(text: str, *, setting: str, on: dt.date) -> dict[str, Any]:
    """The coder's answer for a note: `{"codes": [...], "mentions": [...]}` as `medbill code --json`
    prints them (`CodingResult.to_dict()`)."""
    data = note_coder()(text, setting=setting, on=on).to_dict()
    return {"codes": list(data["codes"]), "mentions": list(data["mentions"])}


def note_coder() -> Callable[..., Any]:
    """The note coder's `code_note`."""
    from medbill.coding import code_note as engine

    return engine


def em_from_note(text: str, *, visit_type: str) -> dict[str, Any] | None:
    """The E/M level the note supports (`code`, `reason`, ...), or None when it documents neither
    total time nor MDM elements."""
    from medbill.coding import em

    result = em.level_from_note(text, patient=visit_type)
    return None if result is None else dict(plain(result))


# -- scrubber, pricing, sandbox --------------------------------------------------------------------
def check_claim(claim: Claim, *, today: dt.date | None = None) -> list[Finding]:
    from medbill.rules import check_claim as scrub

    return scrub(claim, today=today)


def price_claim(claim: Claim) -> tuple[dict[str, Any], list[Finding]]:
    from medbill.pricing import price_claim as price

    priced, findings = price(claim, kb=_mpfs())
    return plain(priced), findings


@cache
def _mpfs() -> Any:
    """The MPFS section: the knowledge base's when it carries one, else the data mirror's files."""
    try:
        kb = knowledge_base()
        section = getattr(kb, "mpfs", None)
        if section is not None:
            return section
    except Exception:  # knowledge base not built, or without the MPFS section
        pass
    from medbill.pricing.sources import default_mpfs

    return default_mpfs()


def adjudicate(claims: list[Claim], *, paid_on: dt.date | None = None) -> tuple[list[Any], list[Any]]:
    """The sandbox payer's remittances and decisions for `claims` (paid on `paid_on`, default today)."""
    from medbill.pricing.sandbox import SandboxConfig, adjudicate_claims

    config = SandboxConfig(paid_on=paid_on or dt.date.today())
    return adjudicate_claims(claims, mpfs=_mpfs(), scrub=lambda c: check_claim(c), config=config)
