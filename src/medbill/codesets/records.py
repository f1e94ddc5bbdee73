"""Records the knowledge base answers with: frozen values shared by every code system.

`CodeValidation` and `SearchHit` have the shapes the CLI prints with `--json`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class CodeValidation:
    """Is `code` valid (and billable) on the date asked? For a header, its billable children; for an
    unknown code, the closest valid ones."""

    code: str
    system: str
    valid: bool
    billable: bool
    reason: str
    suggestions: tuple[str, ...] = ()
    description: str = ""
    release: str = ""
    format_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "valid": self.valid,
            "billable": self.billable,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
            "description": self.description,
            "release": self.release,
            "format_only": self.format_only,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result; `matched` is the index path or term that matched."""

    code: str
    system: str
    description: str
    score: float
    matched: str
    kind: str
    release: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "description": self.description,
            "score": self.score,
            "matched": self.matched,
            "kind": self.kind,
            "release": self.release,
        }


@dataclass(frozen=True, slots=True)
class Term:
    """A term to match in text (for the note coder's multi-pattern matcher): text → code, with its path."""

    text: str
    code: str
    system: str
    kind: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeDetail:
    """A generic code record (systems without a richer record of their own)."""

    code: str
    system: str
    description: str
    billable: bool
    valid_from: date | None
    valid_to: date | None
    release: str
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
