"""What the coder returns: coded items with evidence and rationale, and every mention it found."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medbill.coding.assertion import Status
from medbill.coding.sections import SectionKind


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the input: `text == note[start:end]`."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A code a mention proposes, with how it was reached."""

    code: str
    system: str
    kind: str
    term: str
    rationale: str
    weight: float = 0.0
    count: int = 0
    seen: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the note that names a condition, procedure, drug or supply."""

    start: int
    end: int
    text: str
    status: Status
    section: SectionKind
    sentence: int
    source: str  # "kb" | "learned"
    candidates: tuple[Candidate, ...]
    contained: bool = False  # inside a longer mention of the same source

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "status": self.status.value,
            "section": self.section.value,
            "source": self.source,
            "codes": sorted({c.code for c in self.candidates}),
        }


@dataclass(frozen=True, slots=True)
class CodedItem:
    """One code of the result, in sequence order."""

    code: str
    system: str
    description: str
    score: float
    status: Status
    evidence: tuple[Evidence, ...]
    rationale: str
    coded: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "system": self.system,
            "description": self.description,
            "score": round(self.score, 4),
            "status": self.status.value,
            "evidence": [e.to_dict() for e in self.evidence],
            "rationale": self.rationale,
            "coded": self.coded,
        }


@dataclass(frozen=True, slots=True)
class CodingResult:
    """`codes`: what is coded, principal/first-listed first. `others`: codes the engine considered but
    did not code (negated, family-only, outpatient-uncertain, below threshold, Excludes1 losers),
    ranked by score. `mentions`: every mention found."""

    codes: tuple[CodedItem, ...]
    others: tuple[CodedItem, ...]
    mentions: tuple[Mention, ...]
    setting: str
    on: date | None
    warnings: tuple[str, ...] = field(default=())

    def ranked(self) -> list[CodedItem]:
        """Every code considered, coded ones first, then the others by score."""
        return list(self.codes) + list(self.others)

    def by_score(self) -> list[CodedItem]:
        """Every code considered — coded or not — once, highest score first: the ranked list a
        corpus evaluation scores (each item keeps its status and whether it is coded)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for item in sorted((*self.codes, *self.others), key=lambda i: (-i.score, not i.coded)):
            if (item.system, item.code) not in seen:
                seen.add((item.system, item.code))
                out.append(item)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "setting": self.setting,
            "on": self.on.isoformat() if self.on else None,
            "codes": [c.to_dict() for c in self.codes],
            "others": [c.to_dict() for c in self.others],
            "mentions": [m.to_dict() for m in self.mentions],
            "warnings": list(self.warnings),
        }
