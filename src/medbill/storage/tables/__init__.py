"""medbill's tables. Importing this package registers every table on `Base.metadata`.

A new area adds a module here (and imports it below) plus a migration in `storage/migrations`.
"""

from medbill.storage.tables.claims import ClaimDocumentRow, ClaimRow
from medbill.storage.tables.journal import AccountRow, BalanceAssertionRow, EntryRow, PostingRow
from medbill.storage.tables.queues import DenialRow, ExceptionRow
from medbill.storage.tables.remittances import RemittanceClaimRow, RemittanceRow

__all__ = [
    "AccountRow",
    "BalanceAssertionRow",
    "ClaimDocumentRow",
    "ClaimRow",
    "DenialRow",
    "EntryRow",
    "ExceptionRow",
    "PostingRow",
    "RemittanceClaimRow",
    "RemittanceRow",
]
