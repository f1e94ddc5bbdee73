"""Helpers the repositories share: chunked IN lists, claim id ↔ key mapping, insert-or-ignore, bulk
inserts that return the new keys."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import insert, select
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


def insert_rows(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` into the table of `entity` with one Core executemany (see `insert_returning_ids`)."""
    if rows:
        session.execute(insert(entity.__table__), list(rows))


def insert_returning_ids(session: Session, entity: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """INSERT `rows` into the table of `entity` (whose integer primary key is `id`); the new ids, in
    the order of `rows`.

    Core inserts, not ORM bulk inserts: the ORM splits a list of rows into one statement per run of
    rows with the same columns set to None. PostgreSQL: batched INSERT ... RETURNING sorted by
    parameter order (SQLAlchemy "insertmanyvalues"). SQLite cannot relate the rows RETURNING gives
    back to the parameter sets of a batch, so SQLAlchemy falls back to one INSERT per row and splices
    their results together at a cost that grows with the square of the row count (55 s for the 36,000
    entries of a 10,000-claim 835). Instead: one executemany INSERT, then the highest ids. SQLite gives
    a new row the largest rowid so far plus one, and the unit of work holds the database's write lock
    from its first write to its commit, so the last `len(rows)` ids are the rows just inserted, in order.
    """
    if not rows:
        return []
    table = entity.__table__
    if session.get_bind().dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.scalars(statement, list(rows)))
    session.execute(insert(table), list(rows))
    ids = list(session.scalars(select(table.c.id).order_by(table.c.id.desc()).limit(len(rows))))
    ids.reverse()
    if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:  # pragma: no cover - see above
        raise RuntimeError(f"{table.name}: the ids of the rows just inserted are not consecutive")
    return ids


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
