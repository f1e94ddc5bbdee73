"""Claims known to the journal: the claim row (CLM01, patient, dates) and its billed documents."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill.ar.matching import BilledLine
from medbill.ar.records import JournalClaim
from medbill.core.claim import Claim, Responsibility
from medbill.core.money import money
from medbill.storage.repositories._common import ClaimKeys, chunks
from medbill.storage.tables import ClaimDocumentRow, ClaimRow, RemittanceClaimRow


class ClaimRepository:
    def __init__(self, session: Session, keys: ClaimKeys) -> None:
        self._session = session
        self._keys = keys

    def add(
        self, claim: Claim, *, patient_key: str, clean: bool | None, billed_on: dt.date, at: dt.datetime
    ) -> None:
        """Record a claim the journal does not know yet, with its first billed document."""
        row = ClaimRow(
            claim_id=claim.claim_id,
            patient_key=patient_key,
            first_service_date=claim.first_service_date,
            last_service_date=claim.last_service_date,
            total_charge=claim.total_charge,
            billed_on=billed_on,
            recorded_at=at,
        )
        self._session.add(row)
        self._session.flush()
        self._keys.remember(claim.claim_id, row.id)
        self.add_document(claim, clean=clean, billed_on=billed_on, at=at)

    def add_document(self, claim: Claim, *, clean: bool | None, billed_on: dt.date, at: dt.datetime) -> int:
        """Record the claim as billed to another payer (or a new version for the same one); the
        version number is returned."""
        pk = self._keys.pk(claim.claim_id)
        if pk is None:
            raise KeyError(claim.claim_id)
        responsibility = claim.responsibility.value
        latest = self._session.scalar(
            select(func.max(ClaimDocumentRow.version)).where(
                ClaimDocumentRow.claim_pk == pk, ClaimDocumentRow.responsibility == responsibility
            )
        )
        version = (latest or 0) + 1
        self._session.add(
            ClaimDocumentRow(
                claim_pk=pk,
                responsibility=responsibility,
                version=version,
                payer_id=claim.payer.id,
                payer_name=claim.payer.name,
                member_id=claim.subscriber.member_id,
                frequency=claim.frequency.value,
                payer_claim_number=claim.payer_claim_number,
                clean=clean,
                document=claim.model_dump(mode="json"),
                billed_on=billed_on,
                recorded_at=at,
            )
        )
        self._session.flush()
        return version

    def known(self, claim_ids: Iterable[str]) -> set[str]:
        return set(self._keys.pks(claim_ids))

    def get(self, claim_id: str) -> JournalClaim | None:
        return self.find([claim_id]).get(claim_id)

    def find(self, claim_ids: Iterable[str]) -> dict[str, JournalClaim]:
        """The claims among `claim_ids` that the journal knows, with payers and billed lines."""
        pks = self._keys.pks(claim_ids)
        found: dict[str, JournalClaim] = {}
        for batch in chunks(sorted(pks.values())):
            claims = {
                row.id: row for row in self._session.scalars(select(ClaimRow).where(ClaimRow.id.in_(batch)))
            }
            payers: dict[int, dict[Responsibility, tuple[int, str]]] = {pk: {} for pk in claims}
            lines: dict[int, tuple[tuple[int, int], Any]] = {}
            documents = self._session.execute(
                select(
                    ClaimDocumentRow.claim_pk,
                    ClaimDocumentRow.responsibility,
                    ClaimDocumentRow.version,
                    ClaimDocumentRow.payer_id,
                    ClaimDocumentRow.document["lines"],
                ).where(ClaimDocumentRow.claim_pk.in_(batch))
            )
            for pk, responsibility, version, payer_id, doc_lines in documents:
                role = Responsibility(responsibility)
                if version >= payers[pk].get(role, (0, ""))[0]:
                    payers[pk][role] = (version, payer_id)
                rank = (0 if role == Responsibility.PRIMARY else 1, -version)
                if pk not in lines or rank < lines[pk][0]:
                    lines[pk] = (rank, doc_lines)
            for pk, row in claims.items():
                found[row.claim_id] = JournalClaim(
                    claim_id=row.claim_id,
                    patient_key=row.patient_key,
                    first_service_date=row.first_service_date,
                    last_service_date=row.last_service_date,
                    total_charge=row.total_charge,
                    payers={role: payer for role, (_, payer) in payers[pk].items()},
                    lines=_billed_lines(lines[pk][1] if pk in lines else []),
                )
        return found

    def claim_ids_for_payer_claim_numbers(self, numbers: Iterable[str]) -> dict[str, str]:
        """Claims the payers have named by these payer claim numbers (CLP07) before, or that were
        billed as replacements of them."""
        wanted = sorted({n for n in numbers if n})
        pk_of: dict[str, int] = {}
        for batch in chunks(wanted):
            for number, pk in self._session.execute(
                select(RemittanceClaimRow.payer_claim_number, RemittanceClaimRow.claim_pk).where(
                    RemittanceClaimRow.payer_claim_number.in_(batch), RemittanceClaimRow.claim_pk.is_not(None)
                )
            ):
                if number is not None and pk is not None:
                    pk_of.setdefault(number, pk)
            for number, pk in self._session.execute(
                select(ClaimDocumentRow.payer_claim_number, ClaimDocumentRow.claim_pk).where(
                    ClaimDocumentRow.payer_claim_number.in_(batch)
                )
            ):
                if number is not None:
                    pk_of.setdefault(number, pk)
        ids = self._keys.ids(pk_of.values())
        return {number: ids[pk] for number, pk in pk_of.items()}

    def document(self, claim_id: str, responsibility: Responsibility) -> Claim | None:
        """The latest version of the claim as billed to the payer of `responsibility`."""
        pk = self._keys.pk(claim_id)
        if pk is None:
            return None
        data = self._session.scalar(
            select(ClaimDocumentRow.document)
            .where(ClaimDocumentRow.claim_pk == pk, ClaimDocumentRow.responsibility == responsibility.value)
            .order_by(ClaimDocumentRow.version.desc())
            .limit(1)
        )
        return None if data is None else Claim.model_validate(data)

    def of_patient(self, patient_key: str) -> list[JournalClaim]:
        ids = self._session.scalars(
            select(ClaimRow.claim_id).where(ClaimRow.patient_key == patient_key).order_by(ClaimRow.id)
        ).all()
        found = self.find(ids)
        return [found[i] for i in ids]

    def patient_keys(self, text: str) -> list[str]:
        """Patients matching `text`: a patient key exactly, else a subscriber member id."""
        exact = self._session.scalars(
            select(ClaimRow.patient_key).where(ClaimRow.patient_key == text.strip().upper()).limit(1)
        ).all()
        if exact:
            return list(exact)
        return list(
            self._session.scalars(
                select(ClaimRow.patient_key)
                .join(ClaimDocumentRow, ClaimDocumentRow.claim_pk == ClaimRow.id)
                .where(ClaimDocumentRow.member_id == text.strip())
                .distinct()
                .order_by(ClaimRow.patient_key)
            )
        )

    def edit_counts(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """(claims that passed the edits clean, claims that were checked) among the claims first
        billed (to any payer) in [start, end]."""
        first = select(ClaimDocumentRow.clean).where(
            ClaimDocumentRow.version == 1,
            ClaimDocumentRow.clean.is_not(None),
            ClaimDocumentRow.billed_on >= start,
            ClaimDocumentRow.billed_on <= end,
        )
        values = self._session.scalars(first).all()
        return sum(1 for v in values if v), len(values)


def _billed_lines(data: Any) -> tuple[BilledLine, ...]:
    if not isinstance(data, list):
        return ()
    return tuple(
        BilledLine(
            line=n,
            procedure=str(item.get("procedure") or "").upper(),
            modifiers=tuple(item.get("modifiers") or ()),
            service_date=dt.date.fromisoformat(item["service_date"]),
            charge=money(Decimal(str(item["charge"]))),
            revenue_code=item.get("revenue_code"),
        )
        for n, item in enumerate(data, start=1)
    )
