"""Candidate codes of a note: the mentions' candidates gathered per code.

>>> from medbill.coding.assertion import Status
>>> from medbill.coding.sections import SectionKind
>>> c = Candidate("R52", "icd10cm", "description", "Pain, unspecified", "Tabular", 0.55)
>>> m = Mention(0, 4, "pain", Status.PRESENT, SectionKind.BODY, 0, "kb", (c,))
>>> [(p.code, len(p.support)) for p in gather([m, m])]
[('R52', 2)]
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from medbill.coding.assertion import Status
from medbill.coding.result import Candidate, Mention


@dataclass(slots=True)
class Proposal:
    """A code the note may get, with every mention that proposes it (none for a code suggested only
    by similar coded documents)."""

    code: str
    system: str
    description: str = ""
    support: list[tuple[Mention, Candidate]] = field(default_factory=list)
    score: float = 0.0
    suggested_by: str = ""
    # the rules alone would code it (an asserted, outermost Tabular/Index term): with a learned
    # model, such a code is coded even when the re-ranker scores it below its threshold
    rule_sure: bool = False

    def statuses(self) -> set[Status]:
        return {m.status for m, _ in self.support}


def gather(mentions: Iterable[Mention]) -> list[Proposal]:
    """One proposal per candidate code, in order of first mention."""
    out: dict[str, Proposal] = {}
    for mention in mentions:
        for cand in mention.candidates:
            proposal = out.get(cand.code)
            if proposal is None:
                proposal = out[cand.code] = Proposal(cand.code, cand.system)
            proposal.support.append((mention, cand))
    return list(out.values())
