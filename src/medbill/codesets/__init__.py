"""Official code sets and the knowledge base answered as of a date.

    from medbill.codesets import open_kb
    kb = open_kb()                      # read-only; DataError when not built or stale
    kb.icd10cm.get("E11.65", on=date(2026, 5, 1))
    kb.icd10cm.search("t2dm with ckd", limit=5)
    kb.hcpcs.validate("G0439", on=date(2026, 5, 1))

Releases are listed in `releases.toml` (see `manifest`), synced by `sync`, compiled by `build` from
the sections registered in `sections`.
"""

from medbill.codesets.kb import KnowledgeBase, NotInstalledError, OutOfRangeError, ReleaseInfo, open_kb
from medbill.codesets.records import CodeValidation, SearchHit, Term

__all__ = [
    "CodeValidation",
    "KnowledgeBase",
    "NotInstalledError",
    "OutOfRangeError",
    "ReleaseInfo",
    "SearchHit",
    "Term",
    "open_kb",
]
