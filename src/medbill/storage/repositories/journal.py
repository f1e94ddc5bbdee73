"""The journal in the database: append entries in bulk, read them back, sum postings into balances.

Balances are always computed here with SUM over `journal_postings`; nothing stores a balance.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from medbill.ar.accounts import Account, AccountKind
from medbill.ar.assertions import BalanceAssertion
from medbill.ar.entries import Carc, Entry, EntryKind, Posting
from medbill.core.claim import AdjustmentGroup
from medbill.core.money import ZERO
from medbill.storage.repositories._common import (
    ClaimKeys,
    chunks,
    insert_ignoring_conflicts,
    insert_returning_ids,
    insert_rows,
)
from medbill.storage.tables import AccountRow, BalanceAssertionRow, ClaimRow, EntryRow, PostingRow

ANY = object()
"""`line=ANY`: postings of every line (and of the claim as a whole)."""


class AlreadyReversed(Exception):
    """The entry has been reversed already (an entry is reversed at most once)."""


@dataclass(frozen=True, slots=True)
class Receivable:
    """An open balance: what `account` is owed on `claim_id` (the claim's patient and first date of service)."""

    claim_id: str
    account: Account
    amount: Decimal
    patient_key: str
    first_service_date: dt.date | None
    billed_on: dt.date


class JournalRepository:
    def __init__(self, session: Session, keys: ClaimKeys) -> None:
        self._session = session
        self._keys = keys
        self._account_ids: dict[Account, int] = {}
        self._accounts: dict[int, Account] = {}

    # --- writing -----------------------------------------------------------------------------

    def add_entries(
        self, entries: Sequence[Entry], *, at: dt.datetime, remittance_id: int | None = None
    ) -> list[int]:
        """Append entries and their postings (bulk inserts); returns the new entry ids in order."""
        if not entries:
            return []
        claim_ids = {e.claim_id for e in entries} | {p.claim_id for e in entries for p in e.postings}
        claim_ids.discard(None)
        pks = self._keys.pks(c for c in claim_ids if c is not None)
        unknown = sorted(c for c in claim_ids if c is not None and c not in pks)
        if unknown:
            raise KeyError(f"claims not recorded in the journal: {', '.join(unknown[:5])}")
        accounts = self.account_ids({p.account for e in entries for p in e.postings})
        rows = [
            {
                "kind": e.kind.value,
                "date": e.date,
                "claim_pk": pks.get(e.claim_id) if e.claim_id else None,
                "narration": e.narration[:500],
                "carc_group": e.carc.group.value if e.carc else None,
                "carc_reason": e.carc.reason if e.carc else None,
                "remittance_id": remittance_id if remittance_id is not None else e.remittance_id,
                "reverses_id": e.reverses,
                "recorded_at": at,
            }
            for e in entries
        ]
        try:
            ids = insert_returning_ids(self._session, EntryRow, rows)
        except IntegrityError as exc:
            if any(e.reverses is not None for e in entries):
                raise AlreadyReversed(str(exc.orig)) from exc
            raise
        postings = [
            {
                "entry_id": entry_id,
                "account_id": accounts[p.account],
                "claim_pk": pks.get(p.claim_id) if p.claim_id else None,
                "line": p.line,
                "amount": p.amount,
            }
            for entry_id, e in zip(ids, entries, strict=True)
            for p in e.postings
        ]
        insert_rows(self._session, PostingRow, postings)
        return ids

    def account_ids(self, accounts: Iterable[Account]) -> dict[Account, int]:
        """The ids of these accounts, creating the ones that do not exist yet."""
        wanted = set(accounts)
        missing = wanted - self._account_ids.keys()
        if missing:
            self._load_accounts(missing)
            still = [a for a in missing if a not in self._account_ids]
            rows = [{"kind": a.kind.value, "party": a.party} for a in still]
            insert_ignoring_conflicts(self._session, AccountRow.__table__, rows)
            self._load_accounts(still)
        return {a: self._account_ids[a] for a in wanted}

    def _load_accounts(self, accounts: Iterable[Account]) -> None:
        for batch in chunks(sorted(accounts)):
            keys = [(a.kind.value, a.party) for a in batch]
            for row in self._session.execute(
                select(AccountRow.id, AccountRow.kind, AccountRow.party).where(
                    tuple_(AccountRow.kind, AccountRow.party).in_(keys)
                )
            ):
                self._remember(row.id, Account(AccountKind(row.kind), row.party))

    def _remember(self, account_id: int, account: Account) -> None:
        self._account_ids[account] = account_id
        self._accounts[account_id] = account

    def _account(self, account_id: int) -> Account:
        if account_id not in self._accounts:
            row = self._session.get_one(AccountRow, account_id)
            self._remember(row.id, Account(AccountKind(row.kind), row.party))
        return self._accounts[account_id]

    def add_assertion(self, assertion: BalanceAssertion, *, at: dt.datetime) -> int:
        account_id = self.account_ids([assertion.account])[assertion.account]
        claim_pk = self._keys.pk(assertion.claim_id) if assertion.claim_id else None
        if assertion.claim_id and claim_pk is None:
            raise KeyError(assertion.claim_id)
        row = BalanceAssertionRow(
            date=assertion.date,
            account_id=account_id,
            claim_pk=claim_pk,
            amount=assertion.amount,
            narration=assertion.narration[:500],
            recorded_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    # --- reading entries ---------------------------------------------------------------------

    def entries(
        self,
        *,
        claim_id: str | None = None,
        entry_ids: Sequence[int] | None = None,
        remittance_id: int | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Entries with their postings, oldest first (filtered by claim, ids or remittance)."""
        query = select(EntryRow).order_by(EntryRow.id)
        if claim_id is not None:
            pk = self._keys.pk(claim_id)
            if pk is None:
                return []
            query = query.where(EntryRow.claim_pk == pk)
        if entry_ids is not None:
            query = query.where(EntryRow.id.in_(list(entry_ids)))
        if remittance_id is not None:
            query = query.where(EntryRow.remittance_id == remittance_id)
        if limit is not None:
            query = query.limit(limit)
        rows = list(self._session.scalars(query))
        legs: dict[int, list[PostingRow]] = defaultdict(list)
        for batch in chunks([r.id for r in rows]):
            for posting in self._session.scalars(
                select(PostingRow).where(PostingRow.entry_id.in_(batch)).order_by(PostingRow.id)
            ):
                legs[posting.entry_id].append(posting)
        claim_ids = self._keys.ids(
            [r.claim_pk for r in rows] + [p.claim_pk for ps in legs.values() for p in ps]
        )
        return [
            Entry(
                kind=EntryKind(r.kind),
                date=r.date,
                postings=tuple(
                    Posting(
                        self._account(p.account_id),
                        p.amount,
                        claim_ids.get(p.claim_pk) if p.claim_pk else None,
                        p.line,
                    )
                    for p in legs[r.id]
                ),
                claim_id=claim_ids.get(r.claim_pk) if r.claim_pk else None,
                narration=r.narration,
                carc=Carc(AdjustmentGroup(r.carc_group), r.carc_reason)
                if r.carc_group and r.carc_reason
                else None,
                reverses=r.reverses_id,
                id=r.id,
                remittance_id=r.remittance_id,
            )
            for r in rows
        ]

    def entry(self, entry_id: int) -> Entry | None:
        found = self.entries(entry_ids=[entry_id])
        return found[0] if found else None

    def reversal_of(self, entry_id: int) -> int | None:
        """The id of the entry that reversed `entry_id`, if any."""
        return self._session.scalar(select(EntryRow.id).where(EntryRow.reverses_id == entry_id))

    def assertions(self) -> list[BalanceAssertion]:
        rows = self._session.execute(
            select(BalanceAssertionRow, AccountRow.kind, AccountRow.party)
            .join(AccountRow, AccountRow.id == BalanceAssertionRow.account_id)
            .order_by(BalanceAssertionRow.date, BalanceAssertionRow.id)
        ).all()
        claim_ids = self._keys.ids(r[0].claim_pk for r in rows)
        return [
            BalanceAssertion(
                date=row.date,
                account=Account(AccountKind(kind), party),
                amount=row.amount,
                claim_id=claim_ids.get(row.claim_pk) if row.claim_pk else None,
                narration=row.narration,
                id=row.id,
            )
            for row, kind, party in rows
        ]

    # --- balances (sums of postings) ---------------------------------------------------------

    def _sum(self, *columns: Any) -> Select[Any]:
        return (
            select(*columns, func.sum(PostingRow.amount))
            .select_from(PostingRow)
            .join(AccountRow, AccountRow.id == PostingRow.account_id)
        )

    def balance(
        self,
        *,
        account: Account | None = None,
        kind: AccountKind | None = None,
        claim_id: str | None = None,
        line: object = ANY,
        before: dt.date | None = None,
    ) -> Decimal:
        """The sum of the postings matching every filter (`line=None`: claim-level postings only)."""
        query = self._sum()
        if account is not None:
            query = query.where(AccountRow.kind == account.kind.value, AccountRow.party == account.party)
        if kind is not None:
            query = query.where(AccountRow.kind == kind.value)
        if claim_id is not None:
            pk = self._keys.pk(claim_id)
            if pk is None:
                return ZERO
            query = query.where(PostingRow.claim_pk == pk)
        if line is not ANY:
            query = query.where(PostingRow.line.is_(None) if line is None else PostingRow.line == line)
        if before is not None:
            query = query.join(EntryRow, EntryRow.id == PostingRow.entry_id).where(EntryRow.date < before)
        value = self._session.execute(query).scalar()
        return value if isinstance(value, Decimal) else ZERO

    def account_balances(self, *, before: dt.date | None = None) -> dict[Account, Decimal]:
        query = self._sum(AccountRow.kind, AccountRow.party).group_by(AccountRow.kind, AccountRow.party)
        if before is not None:
            query = query.join(EntryRow, EntryRow.id == PostingRow.entry_id).where(EntryRow.date < before)
        return {
            Account(AccountKind(str(kind)), str(party)): amount
            for kind, party, amount in self._session.execute(query)
        }

    def claim_balances(
        self, claim_ids: Iterable[str], *, receivable_only: bool = True
    ) -> dict[str, dict[Account, Decimal]]:
        """Per claim, the balance of each account it has postings on."""
        pks = self._keys.pks(claim_ids)
        by_pk = {pk: claim_id for claim_id, pk in pks.items()}
        result: dict[str, dict[Account, Decimal]] = {c: {} for c in pks}
        for batch in chunks(sorted(by_pk)):
            query = (
                self._sum(PostingRow.claim_pk, AccountRow.kind, AccountRow.party)
                .where(PostingRow.claim_pk.in_(batch))
                .group_by(PostingRow.claim_pk, AccountRow.kind, AccountRow.party)
            )
            if receivable_only:
                query = query.where(
                    AccountRow.kind.in_([AccountKind.AR_INSURANCE.value, AccountKind.AR_PATIENT.value])
                )
            for pk, kind, party, amount in self._session.execute(query):
                result[by_pk[pk]][Account(AccountKind(kind), party)] = amount
        return result

    def line_balances(self, claim_id: str) -> dict[tuple[Account, int | None], Decimal]:
        pk = self._keys.pk(claim_id)
        if pk is None:
            return {}
        query = (
            self._sum(AccountRow.kind, AccountRow.party, PostingRow.line)
            .where(PostingRow.claim_pk == pk)
            .group_by(AccountRow.kind, AccountRow.party, PostingRow.line)
        )
        return {
            (Account(AccountKind(str(kind)), str(party)), line): amount
            for kind, party, line, amount in self._session.execute(query)
        }

    def receivables(self, *, before: dt.date | None = None) -> list[Receivable]:
        """Every non-zero receivable balance by claim and account (entries dated before `before`)."""
        query = (
            self._sum(
                ClaimRow.claim_id,
                AccountRow.kind,
                AccountRow.party,
                ClaimRow.patient_key,
                ClaimRow.first_service_date,
                ClaimRow.billed_on,
            )
            .join(ClaimRow, ClaimRow.id == PostingRow.claim_pk)
            .where(AccountRow.kind.in_([AccountKind.AR_INSURANCE.value, AccountKind.AR_PATIENT.value]))
            .group_by(
                ClaimRow.claim_id,
                AccountRow.kind,
                AccountRow.party,
                ClaimRow.patient_key,
                ClaimRow.first_service_date,
                ClaimRow.billed_on,
            )
            .order_by(ClaimRow.claim_id, AccountRow.kind, AccountRow.party)
        )
        if before is not None:
            query = query.join(EntryRow, EntryRow.id == PostingRow.entry_id).where(EntryRow.date < before)
        return [
            Receivable(claim_id, Account(AccountKind(kind), party), amount, patient, first, billed)
            for claim_id, kind, party, patient, first, billed, amount in self._session.execute(query)
            if amount != 0
        ]

    def activity(self, start: dt.date, end: dt.date) -> dict[tuple[EntryKind, AccountKind], Decimal]:
        """Sums of postings of entries dated in [start, end], by entry kind (a reversal counts as the
        kind of the entry it reverses, negated by its amounts) and account kind."""
        original = aliased(EntryRow)
        kind = func.coalesce(original.kind, EntryRow.kind)
        query = (
            self._sum(kind, AccountRow.kind)
            .join(EntryRow, EntryRow.id == PostingRow.entry_id)
            .outerjoin(original, original.id == EntryRow.reverses_id)
            .where(and_(EntryRow.date >= start, EntryRow.date <= end))
            .group_by(kind, AccountRow.kind)
        )
        return {
            (EntryKind(str(entry_kind)), AccountKind(str(account_kind))): amount
            for entry_kind, account_kind, amount in self._session.execute(query)
        }

    def claim_activity(self, claim_ids: Iterable[str]) -> dict[tuple[str, EntryKind, AccountKind], Decimal]:
        """Per claim, sums of postings by entry kind (reversals as the kind they reverse) and account kind."""
        pks = self._keys.pks(claim_ids)
        by_pk = {pk: claim_id for claim_id, pk in pks.items()}
        original = aliased(EntryRow)
        kind = func.coalesce(original.kind, EntryRow.kind)
        result: dict[tuple[str, EntryKind, AccountKind], Decimal] = {}
        for batch in chunks(sorted(by_pk)):
            query = (
                self._sum(PostingRow.claim_pk, kind, AccountRow.kind)
                .join(EntryRow, EntryRow.id == PostingRow.entry_id)
                .outerjoin(original, original.id == EntryRow.reverses_id)
                .where(PostingRow.claim_pk.in_(batch))
                .group_by(PostingRow.claim_pk, kind, AccountRow.kind)
            )
            for pk, entry_kind, account_kind, amount in self._session.execute(query):
                result[(by_pk[pk], EntryKind(entry_kind), AccountKind(account_kind))] = amount
        return result

    def total(self) -> Decimal:
        """The sum of every posting of the journal (zero when it is balanced)."""
        value = self._session.execute(self._sum()).scalar()
        return value if isinstance(value, Decimal) else ZERO

    def unbalanced_entries(self) -> list[int]:
        """Ids of entries whose postings do not sum to zero (none, unless the database was edited by hand)."""
        query = (
            select(PostingRow.entry_id)
            .group_by(PostingRow.entry_id)
            .having(func.sum(PostingRow.amount) != 0)
            .order_by(PostingRow.entry_id)
        )
        return list(self._session.scalars(query))

    def entry_count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(EntryRow)) or 0)
