"""Helpers the repositories share: chunked IN lists, claim id ↔ key mapping, insert-or-ignore."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from medbill.storage.tables import ClaimRow

T = TypeVar("T")

CHUNK = 500
"""Values per IN list (well under SQLite's and PostgreSQL's bind-parameter limits)."""


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_ignoring_conflicts(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    session.execute(module.insert(table).on_conflict_do_nothing(), list(rows))


class ClaimKeys:
    """Maps claim ids (CLM01) to `claims.id` and back, caching what it has looked up."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pk: dict[str, int] = {}
        self._id: dict[int, str] = {}

    def remember(self, claim_id: str, pk: int) -> None:
        self._pk[claim_id] = pk
        self._id[pk] = claim_id

    def pks(self, claim_ids: Iterable[str]) -> dict[str, int]:
        """The keys of the claims that exist (unknown ids are left out)."""
        claim_ids = list(claim_ids)
        wanted = {c for c in claim_ids if c not in self._pk}
        for batch in chunks(sorted(wanted)):
            rows = self._session.execute(
                select(ClaimRow.claim_id, ClaimRow.id).where(ClaimRow.claim_id.in_(batch))
            )
            for claim_id, pk in rows:
                self.remember(claim_id, pk)
        return {c: self._pk[c] for c in claim_ids if c in self._pk}

    def pk(self, claim_id: str) -> int | None:
        return self.pks([claim_id]).get(claim_id)

    def ids(self, pks: Iterable[int | None]) -> dict[int, str]:
        pks = list(pks)
        wanted = {p for p in pks if p is not None and p not in self._id}
        for batch in chunks(sorted(wanted)):
            rows = self._session.execute(select(ClaimRow.id, ClaimRow.claim_id).where(ClaimRow.id.in_(batch)))
            for pk, claim_id in rows:
                self.remember(claim_id, pk)
        return {p: self._id[p] for p in pks if p is not None and p in self._id}
