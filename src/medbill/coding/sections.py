"""Section detection: which part of the note (HPI, past history, family history, plan, ...) a
position falls in.

A section starts with a header at the beginning of a line: a known title followed by a colon
(`Past Medical History:`, `PMH:`, `A/P:`), or a known title alone on its line (`FAMILY HISTORY`).
Text before the first header is `body`. The kinds matter downstream: family-history sections make
conditions `family`, past-history sections make them `history`, plan sections lean hypothetical.

>>> note = "CC: cough\\nPMH: asthma\\nFamily history: mother with breast cancer\\nA/P: bronchitis"
>>> [(s.kind.value, note[s.start:s.end].split(":")[0]) for s in detect_sections(note)]
[('chief_complaint', 'CC'), ('past_history', 'PMH'), ('family_history', 'Family history'), ('assessment', 'A/P')]
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum


class SectionKind(StrEnum):
    BODY = "body"
    CHIEF_COMPLAINT = "chief_complaint"
    HPI = "hpi"
    PAST_HISTORY = "past_history"
    SURGICAL_HISTORY = "surgical_history"
    FAMILY_HISTORY = "family_history"
    SOCIAL_HISTORY = "social_history"
    MEDICATIONS = "medications"
    ALLERGIES = "allergies"
    REVIEW_OF_SYSTEMS = "review_of_systems"
    EXAM = "exam"
    RESULTS = "results"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    PROCEDURES = "procedures"
    COURSE = "course"


_TITLES: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.CHIEF_COMPLAINT: ("chief complaint", "cc", "reason for visit", "reason for consultation"),
    SectionKind.HPI: ("history of present illness", "hpi", "present illness", "history", "subjective", "s"),
    SectionKind.PAST_HISTORY: (
        "past medical history",
        "pmh",
        "medical history",
        "past history",
        "pmhx",
        "problem list",
        "history of past illness",
        "personal history",
        "antecedents",
        "background",
    ),
    SectionKind.SURGICAL_HISTORY: (
        "past surgical history",
        "psh",
        "surgical history",
        "pshx",
        "prior surgeries",
    ),
    SectionKind.FAMILY_HISTORY: ("family history", "fh", "fhx", "family medical history"),
    SectionKind.SOCIAL_HISTORY: ("social history", "sh", "shx", "habits"),
    SectionKind.MEDICATIONS: (
        "medications",
        "meds",
        "current medications",
        "home medications",
        "medication",
        "discharge medications",
    ),
    SectionKind.ALLERGIES: ("allergies", "allergy", "nkda"),
    SectionKind.REVIEW_OF_SYSTEMS: ("review of systems", "ros"),
    SectionKind.EXAM: (
        "physical exam",
        "physical examination",
        "exam",
        "examination",
        "pe",
        "vitals",
        "vital signs",
        "o",
        "objective",
    ),
    SectionKind.RESULTS: (
        "labs",
        "laboratory",
        "results",
        "imaging",
        "studies",
        "data",
        "pathology",
        "radiology",
    ),
    SectionKind.ASSESSMENT: (
        "assessment",
        "assessment and plan",
        "a/p",
        "a&p",
        "impression",
        "diagnosis",
        "diagnoses",
        "final diagnosis",
        "discharge diagnosis",
        "discharge diagnoses",
        "admission diagnosis",
        "a",
        "clinical impression",
        "principal diagnosis",
        "secondary diagnoses",
    ),
    SectionKind.PLAN: ("plan", "p", "recommendations", "disposition", "follow up", "follow-up"),
    SectionKind.PROCEDURES: (
        "procedures",
        "procedure",
        "operations",
        "procedure performed",
        "operation performed",
        "operative procedure",
    ),
    SectionKind.COURSE: ("hospital course", "course", "evolution", "treatment"),
}
_BY_TITLE = {title: kind for kind, titles in _TITLES.items() for title in titles}
_HEADER = re.compile(r"^[ \t]*([A-Za-z][A-Za-z /&\-]{0,40}?)[ \t]*(?::|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Section:
    """A section: its kind, the span `[start, end)` of the note it covers, and its header text."""

    kind: SectionKind
    start: int
    end: int
    title: str


def _kind(title: str, alone_on_line: bool) -> SectionKind | None:
    key = " ".join(title.lower().replace("-", " ").split())
    kind = _BY_TITLE.get(key) or _BY_TITLE.get(title.lower().strip())
    if kind is None:
        return None
    if alone_on_line and (len(key) <= 2 or key == "history"):
        return None  # a bare "A" or "History" line is more often text than a header
    return kind


def detect_sections(text: str) -> list[Section]:
    """The sections of `text` in order; they tile the note from the first header on."""
    heads: list[tuple[int, SectionKind, str]] = []
    for match in _HEADER.finditer(text):
        title = match.group(1)
        after = text[match.end(1) : match.end()]
        alone = ":" not in after
        if alone and not title.isupper():
            continue
        kind = _kind(title, alone)
        if kind is not None:
            heads.append((match.start(1), kind, title.strip()))
    out: list[Section] = []
    if not heads or (heads[0][0] > 0 and text[: heads[0][0]].strip()):
        first = heads[0][0] if heads else len(text)
        out.append(Section(SectionKind.BODY, 0, first, ""))
    for i, (start, kind, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        out.append(Section(kind, start, end, title))
    return out


class SectionMap:
    """Finds the section of a position quickly."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self._starts = [s.start for s in sections]

    def at(self, position: int) -> Section | None:
        i = bisect_right(self._starts, position) - 1
        return self.sections[i] if i >= 0 else None
