"""medbill's tables. Importing this package registers every table on `Base.metadata`.

A new area adds a module here (and imports it below) plus a migration in `storage/migrations`.
"""

from medbill.storage.tables.accounts import ApiTokenRow, AuditRow, JobRow, SessionRow, UserRow
from medbill.storage.tables.claims import ClaimDocumentRow, ClaimRow
from medbill.storage.tables.journal import AccountRow, BalanceAssertionRow, EntryRow, PostingRow
from medbill.storage.tables.practice import (
    AcknowledgmentRow,
    BatchRow,
    ClaimWorkRow,
    CoverageRow,
    EncounterCodeRow,
    EncounterRow,
    EraFileRow,
    PatientRow,
    PayerRow,
    ProviderRow,
)
from medbill.storage.tables.queues import DenialRow, ExceptionRow
from medbill.storage.tables.remittances import RemittanceClaimRow, RemittanceRow

__all__ = [
    "AccountRow",
    "AcknowledgmentRow",
    "ApiTokenRow",
    "AuditRow",
    "BalanceAssertionRow",
    "BatchRow",
    "ClaimDocumentRow",
    "ClaimRow",
    "ClaimWorkRow",
    "CoverageRow",
    "DenialRow",
    "EncounterCodeRow",
    "EncounterRow",
    "EntryRow",
    "EraFileRow",
    "ExceptionRow",
    "JobRow",
    "PatientRow",
    "PayerRow",
    "PostingRow",
    "ProviderRow",
    "RemittanceClaimRow",
    "RemittanceRow",
    "SessionRow",
    "UserRow",
]
